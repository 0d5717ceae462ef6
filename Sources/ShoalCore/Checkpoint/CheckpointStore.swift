import Glibc

/// A directory of crash-safe checkpoints: `save` writes atomically and keeps the newest `keep`; `loadLatest` returns
/// the newest one that validates, skipping damaged ones.
///
/// A missing directory is created (with its parents) by `save`, and reads as empty for `list` and `loadLatest`, so a
/// fresh run and a resumed run use the same code. One process at a time may save into a directory: `save` deletes
/// every temporary file it finds, assuming they were left by a writer that crashed.
public struct CheckpointStore: Sendable {
    /// The directory holding the checkpoint files.
    public let directory: String
    /// How many of the newest checkpoints `save` keeps; older ones are deleted.
    public let keep: Int

    /// A store in `directory` keeping the newest `keep` (at least 1) checkpoints. Touches nothing on disk.
    public init(directory: String, keep: Int = 3) {
        precondition(keep >= 1, "CheckpointStore must keep at least one checkpoint, got keep: \(keep)")
        var directory = directory
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        self.directory = directory
        self.keep = keep
    }

    /// Writes `state` as the checkpoint for `state.version` (replacing one of the same version), durably and
    /// atomically: a crash at any moment leaves either the old set of files or the new one, never a partial file
    /// under a checkpoint name. Then deletes stale temporary files and all checkpoints but this one and the newest
    /// `keep - 1` others.
    /// Throws `CheckpointError`; `.pruneFailed` means the checkpoint itself was saved.
    @discardableResult
    public func save(_ state: CheckpointState) throws -> CheckpointFile {
        try PosixFileSystem.createDirectory(directory)
        let file = CheckpointFile(version: state.version, directory: directory)
        let temporaryPath = directory + "/" + CheckpointFile.temporaryName(version: state.version, processID: getpid())
        do {
            try PosixFileSystem.writeDurably(CheckpointFormat.encode(state), to: temporaryPath)
            try PosixFileSystem.rename(temporaryPath, to: file.path)
        } catch {
            // Best effort: the write error is the one worth reporting, and the next save retries the cleanup.
            try? PosixFileSystem.remove(temporaryPath)
            throw error
        }
        // The rename is durable only once the directory entry is on disk.
        try PosixFileSystem.syncDirectory(directory)
        try prune(keeping: file)
        return file
    }

    /// The checkpoint files in the directory, oldest version first; empty when the directory does not exist.
    /// Only names are checked here; contents are validated by `load` and `loadLatest`.
    public func list() throws -> [CheckpointFile] {
        checkpointFiles(named: try PosixFileSystem.entries(of: directory) ?? [])
    }

    /// The newest checkpoint whose contents validate, or nil when there is none. Each newer file that fails to
    /// read or validate is passed to `onSkip` with the reason, newest first, and the next older one is tried.
    /// Throws only when the directory itself cannot be read.
    public func loadLatest(onSkip: (CheckpointError) -> Void = { _ in }) throws -> LoadedCheckpoint? {
        for file in try list().reversed() {
            do {
                return LoadedCheckpoint(file: file, state: try load(file))
            } catch let error as CheckpointError {
                onSkip(error)
            }
        }
        return nil
    }

    /// Reads and validates one checkpoint file, including that it holds the version its name says.
    public func load(_ file: CheckpointFile) throws -> CheckpointState {
        let state = try CheckpointFormat.decode(PosixFileSystem.read(file.path), path: file.path)
        guard state.version == file.version else {
            throw CheckpointError(
                .malformed, path: file.path, reason: "is named for version \(file.version) but holds \(state.version)")
        }
        return state
    }

    /// Deletes temporary files, and checkpoints other than `saved` and the newest `keep - 1` others. The saved one
    /// is always kept, even when a newer version is present (say, a damaged file a restarted run could not load).
    /// Deleted files need no directory fsync: one that reappears after a crash is merely pruned again.
    private func prune(keeping saved: CheckpointFile) throws {
        do {
            let names = try PosixFileSystem.entries(of: directory) ?? []
            for name in names where CheckpointFile.isTemporaryName(name) {
                try PosixFileSystem.remove(directory + "/" + name)
            }
            let others = checkpointFiles(named: names).filter { $0 != saved }
            for file in others.dropLast(keep - 1) {
                try PosixFileSystem.remove(file.path)
            }
        } catch let error as CheckpointError {
            throw CheckpointError(
                .pruneFailed, path: error.path,
                reason: "\(saved.path) was saved, but removing old files failed: \(error.reason)", errno: error.errno)
        }
    }

    /// The checkpoint files among directory entry names, oldest version first.
    private func checkpointFiles(named names: [String]) -> [CheckpointFile] {
        names.compactMap { name in
            CheckpointFile.version(fromName: name).map { CheckpointFile(version: $0, directory: directory) }
        }.sorted { $0.version < $1.version }
    }
}
