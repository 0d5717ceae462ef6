/// A problem with a run directory or one of its files (status, metrics), naming the path at fault.
public struct RunError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// A directory or file could not be created.
        case cannotCreate
        /// The path does not exist (or is not what it should be, e.g. a file where a directory belongs).
        case notFound
        /// The file exists but could not be read or written.
        case inputOutput
        /// The file was read but its content does not parse.
        case garbled
        /// The file is sound but does not go with the others given (another run's, or an older version's).
        case incompatible
    }

    public let code: Code
    /// The file or directory at fault.
    public let path: String
    /// What went wrong and, where possible, what to do about it.
    public let reason: String

    public init(_ code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch code {
        case .cannotCreate: return "cannot create '\(path)': \(reason)"
        case .notFound: return "'\(path)' not found: \(reason)"
        case .inputOutput: return "cannot access '\(path)': \(reason)"
        case .garbled: return "'\(path)' is garbled: \(reason)"
        case .incompatible: return "'\(path)' does not fit: \(reason)"
        }
    }
}
