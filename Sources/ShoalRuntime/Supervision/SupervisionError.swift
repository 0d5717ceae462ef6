/// What stops a supervisor from starting, or a supervision plan from loading.
public struct SupervisionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of problem.
    public enum Code: Sendable, Equatable {
        /// The child specs contradict themselves (no children, duplicate names or role/id pairs, bad values).
        case invalidSpec
        /// The heartbeat socket could not be created or bound.
        case heartbeatSocket
        /// The run directory or a log directory could not be created.
        case runDirectory
        /// A plan file could not be read or parsed.
        case unreadablePlan
    }

    /// The kind of problem.
    public let code: Code
    /// The child, endpoint or path at fault.
    public let subject: String
    /// What is wrong and what to do about it.
    public let reason: String

    public init(_ code: Code, subject: String, reason: String) {
        self.code = code
        self.subject = subject
        self.reason = reason
    }

    public var description: String {
        switch code {
        case .invalidSpec: return "supervisor: child '\(subject)': \(reason)"
        case .heartbeatSocket: return "supervisor: cannot listen for heartbeats on \(subject): \(reason)"
        case .runDirectory: return "supervisor: cannot create \(subject): \(reason)"
        case .unreadablePlan: return "supervisor: cannot load plan \(subject): \(reason)"
        }
    }
}
