import Foundation

/// What an actor asks of an environment server (env.proto's EnvRequest bodies).
public enum EnvRequest: Sendable, Equatable {
    /// Opens a session, or with `describeOnly` only asks what the server hosts; answered with the server's spec.
    case hello(client: String, describeOnly: Bool = false)
    /// Starts a new episode everywhere, with one seed per environment or none; answered with observations.
    case reset(seeds: [UInt64])
    /// Steps every environment once; answered with transitions.
    case step(EnvActions)
}

/// One action per environment, in the encoding env.proto gives for the action space.
public enum EnvActions: Sendable, Equatable {
    /// Discrete: the index of each environment's action, [M].
    case indices([Int64])
    /// Box: the values of each environment's action, [M, d...].
    case values([Float], shape: [Int])
}

/// What an environment server answered (env.proto's EnvReply bodies).
public enum EnvReply: Sendable, Equatable {
    case spec(EnvServerSpec)
    case observations(ObservationBatch)
    case transitions(EnvTransitions)
    /// The server could not carry out the request: its message and its own details (a traceback).
    case error(message: String, details: String)
}

/// Observations of several environments as raw rows in their wire dtype: `count` rows of `layout`.
public struct ObservationBatch: Sendable, Equatable {
    public var layout: TensorLayout
    public var count: Int
    /// `count * layout.byteCount` bytes, little-endian, row-major.
    public var data: Data

    public init(layout: TensorLayout, count: Int, data: Data) {
        self.layout = layout
        self.count = count
        self.data = data
    }
}

/// What one step of M environments produced (episode boundaries follow the server's autoreset mode: see env.proto).
public struct EnvTransitions: Sendable, Equatable {
    /// [M]: after the step; for an environment whose episode ended, its next episode's first observation.
    public var observations: ObservationBatch
    public var rewards: [Double]
    public var terminated: [Bool]
    public var truncated: [Bool]
    /// Environments whose episode ended on this step, increasing.
    public var ended: [Int]
    /// [K]: the last observation of each episode in `ended`, in that order.
    public var finalObservations: ObservationBatch
    /// Return and length of each episode in `ended`, in that order.
    public var episodes: [EpisodeEnd]

    public init(observations: ObservationBatch, rewards: [Double], terminated: [Bool], truncated: [Bool],
                ended: [Int], finalObservations: ObservationBatch, episodes: [EpisodeEnd]) {
        self.observations = observations
        self.rewards = rewards
        self.terminated = terminated
        self.truncated = truncated
        self.ended = ended
        self.finalObservations = finalObservations
        self.episodes = episodes
    }
}

/// Return and length of a finished episode, as the environment counts them.
public struct EpisodeEnd: Sendable, Equatable {
    public var episodeReturn: Double
    public var length: Int

    public init(episodeReturn: Double, length: Int) {
        self.episodeReturn = episodeReturn
        self.length = length
    }
}
