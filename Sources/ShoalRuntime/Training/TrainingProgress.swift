/// A snapshot of a run's progress, for the live display and the metrics file.
public struct TrainingProgress: Sendable {
    public var elapsedSeconds: Double
    public var envSteps: Int
    public var updates: Int
    /// Environment steps per second since the previous snapshot.
    public var stepsPerSecond: Double
    /// Mean return of the last 100 episodes (nil before the first episode ends).
    public var meanReturn: Float?
    public var episodes: Int
    public var policyLag: Double
    public var lastUpdate: UpdateSummary?
    /// Rollouts waiting at the learner (multiprocess runs).
    public var queueDepth: Int?
    /// Weights version (multiprocess runs; in-process, it equals `updates`).
    public var version: UInt64?
    /// Child restarts so far (multiprocess runs).
    public var restarts: Int?

    public init(elapsedSeconds: Double, envSteps: Int, updates: Int, stepsPerSecond: Double, meanReturn: Float?,
                episodes: Int, policyLag: Double, lastUpdate: UpdateSummary? = nil, queueDepth: Int? = nil,
                version: UInt64? = nil, restarts: Int? = nil) {
        self.elapsedSeconds = elapsedSeconds
        self.envSteps = envSteps
        self.updates = updates
        self.stepsPerSecond = stepsPerSecond
        self.meanReturn = meanReturn
        self.episodes = episodes
        self.policyLag = policyLag
        self.lastUpdate = lastUpdate
        self.queueDepth = queueDepth
        self.version = version
        self.restarts = restarts
    }

    /// The loss side of the last update.
    public struct UpdateSummary: Sendable {
        public var policyLoss: Float
        public var baselineLoss: Float
        public var entropy: Float
        public var gradientNorm: Float
        public var learningRate: Float
    }
}

/// How a run ended.
public struct TrainingSummary: Sendable {
    public enum StopReason: String, Sendable {
        case targetReached = "target return reached"
        case stepBudget = "step budget spent"
        case timeBudget = "time budget spent"
    }

    public var reason: StopReason
    public var final: TrainingProgress
}
