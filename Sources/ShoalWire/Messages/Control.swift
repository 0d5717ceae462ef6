/// A command to a process (from its supervisor, or from the learner to actors), or a notice from one.
public enum ControlCommand: String, Sendable, Hashable, CaseIterable {
    /// Finish cleanly (the learner writes a final checkpoint) and exit.
    case shutdown
    /// Stop producing or consuming rollouts until resumed; keep heartbeating.
    case pause
    /// Continue after a pause.
    case resume
    /// Actor to learner, on the actor's own connection: the sender is leaving the run (told it is over, or asked
    /// to stop), so its silence from now on is no fault.
    case leaving
}

/// A command to one process or to all of them, or a notice from one.
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
