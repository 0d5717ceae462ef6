/// What goes wrong in Shoal's runtime, as one type: a bad config, a run's files, supervision, keys and transport
/// security, fault injection. `subject` names the thing at fault (a config field, a path, a child, an endpoint, a
/// process) and `reason` says what is wrong and, where it can, what to do.
public struct ShoalRuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of problem.
    public enum Code: Sendable, Equatable {
        /// A config key that no field has (`subject`: the key).
        case unknownConfigField
        /// A config value of the wrong type or out of range (`subject`: the field, `value`: as written).
        case invalidConfigValue
        /// A config file that cannot be read or parsed (`subject`: the file).
        case unreadableConfig
        /// A file or directory that could not be created.
        case cannotCreate
        /// A path that does not exist, or is not what it should be (a file where a directory belongs).
        case notFound
        /// A file that exists but could not be read or written.
        case inputOutput
        /// A file that was read but does not parse.
        case garbled
        /// A sound file that does not go with the others given (another run's, an older version's).
        case incompatible
        /// Child specs that contradict themselves (no children, duplicate names or role/id pairs, bad values).
        case invalidChildSpec
        /// A heartbeat socket that could not be created or bound (`subject`: the endpoint).
        case heartbeatSocket
        /// A supervision plan that cannot be read or parsed.
        case unreadablePlan
        /// A key file or allow-list that is not what it should be.
        case badKeyFile
        /// `shoal keygen` would overwrite an existing key file.
        case keyFileExists
        /// The libzmq loaded is too old to be exposed to untrusted peers (`subject`: its version).
        case libzmqTooOld
        /// `shoal chaos` was given a process the run does not have.
        case noSuchProcess
        /// `shoal chaos` was given a process that is not running now.
        case processNotRunning
        /// A process could not be signalled.
        case cannotSignal
        /// An environment server that cannot be used (`subject`: its address): it does not answer, answers with an
        /// error, or hosts environments that do not fit the run.
        case environmentServer
        /// A Prometheus endpoint that cannot be used (`subject`: the address as given): not `HOST:PORT`, or it
        /// cannot be bound.
        case metricsEndpoint
    }

    /// The kind of problem.
    public let code: Code
    /// The config field, path, child, endpoint or process at fault.
    public let subject: String
    /// The offending value as written, for config values; empty otherwise.
    public let value: String
    /// What is wrong and, where possible, what to do about it.
    public let reason: String

    public init(_ code: Code, subject: String, value: String = "", reason: String) {
        self.code = code
        self.subject = subject
        self.value = value
        self.reason = reason
    }

    public var description: String {
        switch code {
        case .unknownConfigField: return "config: unknown field '\(subject)' (\(reason))"
        case .invalidConfigValue: return "config: invalid value '\(value)' for '\(subject)': \(reason)"
        case .unreadableConfig: return "config: cannot read '\(subject)': \(reason)"
        case .cannotCreate: return "cannot create '\(subject)': \(reason)"
        case .notFound: return "'\(subject)' not found: \(reason)"
        case .inputOutput: return "cannot access '\(subject)': \(reason)"
        case .garbled: return "'\(subject)' is garbled: \(reason)"
        case .incompatible: return "'\(subject)' does not fit: \(reason)"
        case .invalidChildSpec: return "supervisor: child '\(subject)': \(reason)"
        case .heartbeatSocket: return "supervisor: cannot listen for heartbeats on \(subject): \(reason)"
        case .unreadablePlan: return "supervisor: cannot load plan \(subject): \(reason)"
        case .badKeyFile: return "key file '\(subject)': \(reason)"
        case .keyFileExists: return "'\(subject)' already exists: remove it or choose another name"
        case .libzmqTooOld, .cannotSignal: return reason
        case .noSuchProcess: return "no process '\(subject)' in this run; \(reason)"
        case .processNotRunning: return "'\(subject)' is not running now (\(reason))"
        case .environmentServer: return "environment server \(subject): \(reason)"
        case .metricsEndpoint: return "prometheus endpoint '\(subject)': \(reason)"
        }
    }
}
