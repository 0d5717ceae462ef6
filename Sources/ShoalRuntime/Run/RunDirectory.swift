import Foundation
import ShoalCore

#if canImport(Glibc)
import Glibc
#endif

/// A run's directory, `<base>/<env>__<name>__<seed>__<yyyyMMdd-HHmmss>/`: the resolved config, metrics, per-process
/// logs, checkpoints and the supervisor's status file. The run id is the directory's name.
public struct RunDirectory: Sendable, Equatable {
    /// Absolute path of the directory, so that children started elsewhere find the same files.
    public let path: String

    /// Base directory runs are created under unless told otherwise.
    public static let defaultBase = "runs"

    /// Longest path a unix socket address holds (108 bytes of `sun_path` less the terminating NUL).
    public static let maxSocketPathBytes = 107

    private init(path: String) {
        self.path = path
    }

    /// Creates a new run directory (with logs/ and checkpoints/) under `base`, creating `base` if needed. A run
    /// started in the same second with the same env, name and seed gets a `-2`, `-3`... suffix.
    public static func create(
        for config: TrainingConfig, under base: String = defaultBase, startedAt date: Date = Date()
    ) throws(ShoalRuntimeError) -> RunDirectory {
        let basePath = absolute(base)
        do {
            try FileManager.default.createDirectory(atPath: basePath, withIntermediateDirectories: true)
        } catch {
            throw ShoalRuntimeError(.cannotCreate, subject: basePath, reason: error.localizedDescription)
        }
        let stem = name(for: config, startedAt: date)
        for attempt in 1...1_000 {
            let candidate = "\(basePath)/\(attempt == 1 ? stem : "\(stem)-\(attempt)")"
            // mkdir fails with EEXIST rather than reusing another run's directory, even against a racing run.
            if mkdir(candidate, 0o755) == 0 {
                let directory = RunDirectory(path: candidate)
                try directory.createSubdirectories()
                return directory
            }
            guard errno == EEXIST else {
                throw ShoalRuntimeError(.cannotCreate, subject: candidate, reason: String(cString: strerror(errno)))
            }
        }
        throw ShoalRuntimeError(.cannotCreate, subject: "\(basePath)/\(stem)",
                                reason: "too many runs with this name this second")
    }

    /// Opens an existing run directory (to resume it or read its files), recreating logs/ and checkpoints/ if absent.
    public static func open(_ path: String) throws(ShoalRuntimeError) -> RunDirectory {
        let resolved = absolute(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ShoalRuntimeError(.notFound, subject: resolved,
                                    reason: "not a run directory (expected \(defaultBase)/<run id>/)")
        }
        let directory = RunDirectory(path: resolved)
        try directory.createSubdirectories()
        return directory
    }

    /// The directory name for a run: `<env>__<name>__<seed>__<yyyyMMdd-HHmmss>` with the start time in UTC, so that
    /// names sort by start time on every host; characters unsafe in file names become `_`.
    public static func name(for config: TrainingConfig, startedAt date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                           Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return [safe(config.env), safe(config.name), "\(config.seed)", stamp].joined(separator: "__")
    }

    /// The run id: the directory's name.
    public var runID: String { String(path.split(separator: "/").last ?? "") }
    /// The resolved config (every field), written at start and read back by --resume.
    public var configPath: String { "\(path)/config.yaml" }
    /// Metrics as JSON lines (see `MetricsWriter`).
    public var metricsPath: String { "\(path)/metrics.jsonl" }
    /// The supervisor's status file (see `RunStatus`), read by `shoal status`.
    public var statusPath: String { "\(path)/status.json" }
    /// Per-process log files.
    public var logsPath: String { "\(path)/logs" }
    /// The learner's checkpoints.
    public var checkpointsPath: String { "\(path)/checkpoints" }

    /// The log file of the process named `processName` (e.g. "learner", "actor-3").
    public func logPath(for processName: String) -> String {
        "\(logsPath)/\(Self.safe(processName)).log"
    }

    /// The endpoint the supervisor binds for heartbeats and children connect to.
    public var supervisorEndpoint: String { ipcEndpoint(named: "supervisor") }

    /// An `ipc://` endpoint for the socket `name`: `<run dir>/<name>.sock`, or, when that path is longer than a unix
    /// socket address holds, `/tmp/shoal-<hash of the run directory's path>-<name>.sock`.
    public func ipcEndpoint(named name: String) -> String {
        Self.ipcEndpoint(in: path, named: name)
    }

    /// An `ipc://` endpoint for the socket `name` in `directory`, as `ipcEndpoint(named:)` makes them.
    public static func ipcEndpoint(in directory: String, named name: String) -> String {
        precondition(!name.isEmpty && name.utf8.count <= 32 && name == safe(name), "short plain socket names only")
        let inside = "\(directory)/\(name).sock"
        if inside.utf8.count <= maxSocketPathBytes { return "ipc://\(inside)" }
        let hash = String(fnv1a(directory), radix: 16)
        return "ipc:///tmp/shoal-\(String(repeating: "0", count: 16 - hash.count))\(hash)-\(name).sock"
    }

    /// Writes the resolved config atomically.
    public func writeConfig(_ config: TrainingConfig) throws(ShoalRuntimeError) {
        let text = "# Resolved config of run \(runID).\n" + config.yamlText()
        do {
            try AtomicFile.replace(configPath, with: Array(text.utf8))
        } catch {
            throw ShoalRuntimeError(.inputOutput, subject: configPath, reason: "\(error)")
        }
    }

    /// Reads the resolved config back (for --resume).
    public func readConfig() throws(ShoalRuntimeError) -> TrainingConfig {
        try TrainingConfig.load(contentsOf: configPath)
    }

    private func createSubdirectories() throws(ShoalRuntimeError) {
        for subdirectory in [logsPath, checkpointsPath] {
            do {
                try FileManager.default.createDirectory(atPath: subdirectory, withIntermediateDirectories: true)
            } catch {
                throw ShoalRuntimeError(.cannotCreate, subject: subdirectory, reason: error.localizedDescription)
            }
        }
    }

    private static func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : "\(FileManager.default.currentDirectoryPath)/\(path)"
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    /// `text` with every character outside [A-Za-z0-9._-] replaced by `_`, at most 64 characters.
    private static func safe(_ text: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        return String(text.prefix(64).map { allowed.contains($0) ? $0 : "_" })
    }

    /// 64-bit FNV-1a: a short stable name for a long path (no security role).
    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { hash, byte in (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    }
}
