/// Everything that can go wrong in ShoalEnvs: a small code, the value at fault, and a message saying what to do.
public struct EnvironmentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: Sendable, Equatable {
        /// No environment is registered under the requested id.
        case unknownEnvironment
        /// A state vector does not fit the environment's state layout.
        case invalidState
    }

    /// What kind of failure this is.
    public let code: Code
    /// The value at fault (an environment id, a state count), for logs and tests.
    public let context: String
    /// A sentence a user can act on.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, context: String, message: String) {
        self.code = code
        self.context = context
        self.message = message
    }

    public var description: String { message }
}
