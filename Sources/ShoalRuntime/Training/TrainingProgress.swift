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
