/// A checkpoint could not be written, listed or read; `path` names the file or directory and `reason` says why.
public struct CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: Sendable, Equatable {
        /// A system call failed (permissions, disk full, not a directory, ...); `errno` holds the cause.
        case io
        /// The file ends before the length its header promises: a write that never finished, or a cut copy.
        case truncated
        /// The file does not start with the checkpoint magic bytes: not a Shoal checkpoint at all.
        case notACheckpoint
        /// The file is a checkpoint in a format version this build cannot read.
        case unsupportedFormat
        /// The stored checksum does not match the contents: the file was damaged after it was written.
        case checksumMismatch
        /// The checksum matches but the contents are inconsistent (bad section, or named for another version).
        case malformed
        /// The new checkpoint was saved durably, but removing old checkpoints or stale temporary files failed.
        case pruneFailed
        /// The checkpoint is sound but its state does not fit what it is restored into (another network shape or
        /// optimizer). Restoring code that does not know the file leaves `path` empty for its caller to fill in.
        case doesNotFit
    }

    /// What kind of failure this is.
    public var code: Code
    /// The file or directory concerned.
    public var path: String
    /// A sentence saying what went wrong, for logs and users.
    public var reason: String
    /// The system error number for `.io` and `.pruneFailed`, nil otherwise.
    public var errno: Int32?

    /// Creates an error.
    public init(_ code: Code, path: String, reason: String, errno: Int32? = nil) {
        self.code = code
        self.path = path
        self.reason = reason
        self.errno = errno
    }

    /// "checkpoint <path>: <reason>".
    public var description: String { "checkpoint \(path): \(reason)" }
}
