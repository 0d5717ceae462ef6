/// How a supervised run ended.
public enum SupervisionOutcome: Sendable, Equatable {
    /// A child that completes the run exited cleanly (or every child stopped of its own accord, none failed).
    case finished(reason: String)
    /// A child the run cannot do without was given up after too many restarts (or every child failed).
    case failed(reason: String)
    /// A signal or `ShutdownRequest` stopped the run.
    case interrupted(reason: String)

    /// Why the run ended, for status.json and the log.
    public var reason: String {
        switch self {
        case .finished(let reason), .failed(let reason), .interrupted(let reason): return reason
        }
    }

    /// The run state status.json reports.
    public var runState: RunState {
        switch self {
        case .finished: return .finished
        case .failed: return .failed
        case .interrupted: return .interrupted
        }
    }

    /// The exit code for a command hosting the supervisor: 0 finished, 1 failed, 130 interrupted (as after SIGINT).
    public var exitCode: Int32 {
        switch self {
        case .finished: return 0
        case .failed: return 1
        case .interrupted: return 130
        }
    }
}
