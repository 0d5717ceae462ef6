/// How a learner process ended.
public enum LearnerOutcome: Sendable, Equatable {
    /// A stop condition of the config held (target return, step or time budget); the run is complete.
    case finished(TrainingSummary.StopReason)
    /// Asked to stop (SIGTERM/SIGINT) before finishing.
    case interrupted
}
