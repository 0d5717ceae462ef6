/// Where a rollout came from; (actorID, incarnation, seq) identifies it uniquely within a run.
public struct RolloutOrigin: Sendable, Equatable, Hashable, Codable {
    /// The run this rollout belongs to; messages from another run are refused.
    public var runID: String
    /// The actor process that produced it.
    public var actorID: UInt32
    /// Grows by one each time the actor is restarted.
    public var incarnation: UInt32
    /// Sequence number within one incarnation, starting at 0.
    public var seq: UInt64

    public init(runID: String, actorID: UInt32, incarnation: UInt32, seq: UInt64) {
        self.runID = runID
        self.actorID = actorID
        self.incarnation = incarnation
        self.seq = seq
    }
}

/// Statistics of one episode that finished during an unroll.
public struct EpisodeStats: Sendable, Equatable, Codable {
    /// Undiscounted sum of rewards over the episode.
    public var episodeReturn: Float
    /// Number of steps in the episode.
    public var length: Int32

    public init(episodeReturn: Float, length: Int32) {
        self.episodeReturn = episodeReturn
        self.length = length
    }
}

/// One fixed-length unroll of a vector of `batchSize` environments for `unrollLength` steps.
///
/// All arrays are row-major and time-major. With T = `unrollLength`, B = `batchSize`,
/// O = product of `observationShape`, A = action size, P = distribution parameter count:
/// - `observations`: [T+1, B, O], floats or bytes as the environment gave them; row T is the first row of the next
///   unroll.
/// - `actions`: [T, B, A]; a discrete action is stored as its index (exact in Float up to 2^24).
/// - `rewards`, `terminated`, `truncated`: [T, B]. Termination ends the return; truncation (a time limit)
///   ends the episode but its return is bootstrapped from `truncatedObservations`.
/// - `behaviourLogits`: [T, B, P], the acting policy's distribution parameters.
/// - `truncatedObservations`: [K, O], of the same dtype as `observations`: the final observation of each step that was truncated but not terminated,
///   in the order of the indices `t * B + b` listed in `truncatedIndices` ([K], increasing). Needed because the
///   environment was reset, so `observations[t+1]` is the first observation of the next episode.
/// - `resetSteps`: [T, B] or empty when there are none: steps of environments that autoreset on the next step
///   (an environment server's NEXT_STEP mode), whose action was ignored and whose reward is 0. Learning leaves them
///   out; `observations[t]` of a reset step is the last observation of the episode that ended at t − 1.
/// - `recurrentState`: [2, B, H], or empty for a feed-forward policy: the acting policy's recurrent state (hidden
///   states, then cells) before step 0, already zeroed for environments whose episode begins there. The learner
///   unrolls its core from it.
public struct Rollout: Sendable, Equatable {
    public var origin: RolloutOrigin
    /// Version of the weights that chose every action in this unroll.
    public var policyVersion: UInt64
    public var unrollLength: Int
    public var batchSize: Int
    public var observationShape: [Int]
    public var actionSize: Int
    public var distributionParameterCount: Int
    public var observations: ObservationData
    public var actions: [Float]
    public var rewards: [Float]
    public var terminated: [Bool]
    public var truncated: [Bool]
    public var behaviourLogits: [Float]
    public var truncatedIndices: [Int32]
    public var truncatedObservations: ObservationData
    /// Episodes that finished during this unroll.
    public var episodes: [EpisodeStats]
    public var resetSteps: [Bool]
    public var recurrentState: [Float]
    /// Every seq of this incarnation below this one was acknowledged to the actor (so it forgot them); a learner
    /// restarted from a checkpoint counts those it has no record of as lost in its predecessor's crash.
    public var acknowledgedBelow: UInt64

    public init(
        origin: RolloutOrigin, policyVersion: UInt64, unrollLength: Int, batchSize: Int,
        observationShape: [Int], actionSize: Int, distributionParameterCount: Int,
        observations: ObservationData, actions: [Float], rewards: [Float], terminated: [Bool], truncated: [Bool],
        behaviourLogits: [Float], truncatedIndices: [Int32] = [], truncatedObservations: ObservationData? = nil,
        episodes: [EpisodeStats] = [], resetSteps: [Bool] = [], recurrentState: [Float] = [],
        acknowledgedBelow: UInt64 = 0
    ) {
        self.origin = origin
        self.policyVersion = policyVersion
        self.unrollLength = unrollLength
        self.batchSize = batchSize
        self.observationShape = observationShape
        self.actionSize = actionSize
        self.distributionParameterCount = distributionParameterCount
        self.observations = observations
        self.actions = actions
        self.rewards = rewards
        self.terminated = terminated
        self.truncated = truncated
        self.behaviourLogits = behaviourLogits
        self.truncatedIndices = truncatedIndices
        self.truncatedObservations = truncatedObservations ?? observations.emptied
        self.episodes = episodes
        self.resetSteps = resetSteps
        self.recurrentState = recurrentState
        self.acknowledgedBelow = acknowledgedBelow
    }

    /// Elements in one observation.
    public var observationSize: Int { observationShape.reduce(1, *) }

    /// Whether the environment of column b began an episode at step t (it ended one, or took a reset step, at t − 1):
    /// where a recurrent policy's state is zeroed. [T + 1, B]; step 0's are already in `recurrentState`.
    public var episodeStarts: [Bool] {
        Self.episodeStarts(terminated: terminated, truncated: truncated, resetSteps: resetSteps,
                           timeSteps: unrollLength, batchSize: batchSize)
    }

    static func episodeStarts(terminated: [Bool], truncated: [Bool], resetSteps: [Bool], timeSteps: Int,
                              batchSize: Int) -> [Bool] {
        var starts = [Bool](repeating: false, count: (timeSteps + 1) * batchSize)
        for index in 0..<(timeSteps * batchSize) {
            starts[index + batchSize] = terminated[index] || truncated[index]
                || (!resetSteps.isEmpty && resetSteps[index])
        }
        return starts
    }
}
