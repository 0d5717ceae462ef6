#if canImport(Glibc)
import Glibc
#endif

/// Replaces small files (status, configs) so that a reader or a crash sees the old content or the new, never a mix.
public enum AtomicFile {
    /// Writes `bytes` to a temporary file beside `path`, fsyncs it, renames it over `path` and fsyncs the directory.
    public static func replace(_ path: String, with bytes: [UInt8]) throws {
        let temporaryPath = "\(path).\(getpid()).tmp"
        do {
            try PosixFileSystem.writeDurably(bytes, to: temporaryPath)
            try PosixFileSystem.rename(temporaryPath, to: path)
        } catch {
            try? PosixFileSystem.remove(temporaryPath)
            throw error
        }
        try PosixFileSystem.syncDirectory(PosixFileSystem.parentDirectory(of: path))
    }
}
