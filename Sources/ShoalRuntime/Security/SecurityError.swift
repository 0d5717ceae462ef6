/// A problem with Shoal's transport security: a key file, an allow-list or the libzmq in use.
public struct SecurityError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// A key file or allow-list cannot be read, or is not what it should be.
        case badKeyFile
        /// `shoal keygen` would overwrite an existing key file.
        case keyFileExists
        /// A key file cannot be written.
        case cannotWrite
        /// The libzmq loaded is too old to be exposed to untrusted peers.
        case libzmqTooOld
    }

    public let code: Code
    /// What went wrong and what to do about it.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
