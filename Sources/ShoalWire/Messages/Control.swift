/// A command the supervisor sends to a process.
public enum ControlCommand: String, Sendable, Hashable, CaseIterable {
    /// Finish cleanly (the learner writes a final checkpoint) and exit.
    case shutdown
    /// Stop producing or consuming rollouts until resumed; keep heartbeating.
    case pause
    /// Continue after a pause.
    case resume
}

/// A command to one process or to all of them.
public struct Control: Sendable, Equatable, Hashable {
    /// The run the command belongs to.
    public var runID: String
    /// What to do.
    public var command: ControlCommand
    /// Why, for the receiver's log.
    public var reason: String

    public init(runID: String, command: ControlCommand, reason: String = "") {
        self.runID = runID
        self.command = command
        self.reason = reason
    }
}
