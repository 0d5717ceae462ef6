/// A configuration problem, naming the field and the value at fault.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case unknownField
        case invalidValue
        case unreadableFile
    }

    public let code: Code
    /// The config key at fault (or the file path for `.unreadableFile`).
    public let field: String
    /// The offending value as written.
    public let value: String
    /// What is wrong and what is expected.
    public let reason: String

    public init(_ code: Code, field: String, value: String, reason: String) {
        self.code = code
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var description: String {
        switch code {
        case .unknownField: return "config: unknown field '\(field)' (\(reason))"
        case .invalidValue: return "config: invalid value '\(value)' for '\(field)': \(reason)"
        case .unreadableFile: return "config: cannot read '\(field)': \(reason)"
        }
    }
}
