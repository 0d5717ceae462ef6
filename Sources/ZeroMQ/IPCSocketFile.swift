#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file a socket's `ipc://` bind created. libzmq (4.3) leaves it behind when the socket closes, so without this
/// every ended process would leave its socket files in the run directory, or in /tmp for long paths. The file is
/// recorded by its inode when bound and removed at close only if it is still that file: a process that bound the
/// same path since (a restarted learner) keeps its own.
struct IPCSocketFile {
    let path: String
    private let device: UInt64
    private let inode: UInt64

    /// The file bound at `endpoint`, if it is an `ipc://` path (not a wildcard, not an abstract socket).
    init?(boundAt endpoint: String) {
        let scheme = "ipc://"
        guard endpoint.hasPrefix(scheme) else { return nil }
        let path = String(endpoint.dropFirst(scheme.count))
        guard !path.isEmpty, path != "*", !path.hasPrefix("@"), let identity = Self.identity(of: path) else {
            return nil
        }
        self.path = path
        (device, inode) = identity
    }

    /// Removes the file if it is still the one bound.
    func remove() {
        guard let identity = Self.identity(of: path), identity == (device, inode) else { return }
        unlink(path)
    }

    private static func identity(of path: String) -> (UInt64, UInt64)? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }
}
