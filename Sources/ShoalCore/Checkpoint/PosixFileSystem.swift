import Glibc

/// The few file-system calls checkpoints need, made directly so that data reaches the disk (fsync) before a rename
/// publishes it. Every call retries EINTR, writes handle short writes, and failures become `CheckpointError(.io)`.
enum PosixFileSystem {
    /// Creates or replaces `path` with `bytes` and fsyncs it, so the contents are on disk when this returns.
    static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let descriptor = try call("open", path) { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        do {
            try bytes.withUnsafeBytes { buffer in
                var written = 0
                while written < buffer.count {
                    let remaining = UnsafeRawBufferPointer(rebasing: buffer[written...])
                    written += try call("write", path) { write(descriptor, remaining.baseAddress, remaining.count) }
                }
            }
            try call("fsync", path) { fsync(descriptor) }
        } catch {
            _ = close(descriptor)
            throw error
        }
        try closeDescriptor(descriptor, path)
    }

    /// The whole contents of `path`.
    static func read(_ path: String) throws -> [UInt8] {
        let descriptor = try call("open", path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { _ = close(descriptor) }  // read-only: a failing close loses nothing
        var info = stat()
        try call("fstat", path) { fstat(descriptor, &info) }
        let size = Int(info.st_size)
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let count = try call("read", path) {
                    Glibc.read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                }
                // End of file early: the file shrank under us; the shorter contents fail validation later.
                if count == 0 { break }
                initialized += count
            }
        }
    }

    /// Atomically replaces `destination` with `source` (both in one directory).
    static func rename(_ source: String, to destination: String) throws {
        try call("rename to \(destination)", source) { Glibc.rename(source, destination) }
    }

    /// Deletes `path`; a file that is already gone is not an error.
    static func remove(_ path: String) throws {
        while unlink(path) != 0 {
            let error = errno
            if error == ENOENT { return }
            if error != EINTR { throw ioError("unlink", path, error) }
        }
    }

    /// Fsyncs a directory, making renames and creations inside it durable.
    static func syncDirectory(_ path: String) throws {
        let descriptor = try call("open", path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        do {
            try call("fsync", path) { fsync(descriptor) }
        } catch {
            _ = close(descriptor)
            throw error
        }
        try closeDescriptor(descriptor, path)
    }

    /// Creates `path` and any missing parents (like `mkdir -p`), syncing each parent so the new entries persist.
    static func createDirectory(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw CheckpointError(.io, path: path, reason: "exists but is not a directory", errno: ENOTDIR)
            }
            return
        }
        let error = errno
        guard error == ENOENT else { throw ioError("stat", path, error) }
        let parent = parentDirectory(of: path)
        try createDirectory(parent)
        // EEXIST here means someone else created it in the meantime, which is just as good.
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw ioError("mkdir", path, errno) }
        try syncDirectory(parent)
    }

    /// Names of the entries in `path` (without "." and ".."), or nil when the directory does not exist.
    static func entries(of path: String) throws -> [String]? {
        guard let directory = opendir(path) else {
            let error = errno
            if error == ENOENT { return nil }
            throw ioError("opendir", path, error)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            // readdir signals errors only through errno, so clear it first to tell an error from the end.
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { throw ioError("readdir", path, errno) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { nameBytes in
                String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Runs a call returning -1 on failure, retrying while it is interrupted by a signal.
    @discardableResult
    private static func call<Result: FixedWidthInteger>(
        _ name: String, _ path: String, _ body: () -> Result
    ) throws -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let error = errno
            if error != EINTR { throw ioError(name, path, error) }
        }
    }

    /// Closes without retrying: on Linux the descriptor is gone even when close reports EINTR.
    private static func closeDescriptor(_ descriptor: Int32, _ path: String) throws {
        if close(descriptor) != 0 && errno != EINTR { throw ioError("close", path, errno) }
    }

    private static func ioError(_ name: String, _ path: String, _ error: Int32) -> CheckpointError {
        CheckpointError(.io, path: path, reason: "\(name) failed: \(String(cString: strerror(error)))", errno: error)
    }
}
