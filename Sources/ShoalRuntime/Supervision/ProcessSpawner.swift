import Foundation
import Glibc

/// Starts child processes with posix_spawn (fork is unsafe in a multithreaded Swift process).
///
/// Each child leads its own process group, so a terminal's Ctrl-C reaches only the supervisor, which then stops the
/// children in order; its stdin is /dev/null, stdout and stderr are appended to its log file, its signal dispositions
/// and mask are reset to the defaults, and no other descriptor is inherited.
enum ProcessSpawner {
    /// Spawns `executable` (a path, or a name looked up in `PATH`) and returns its pid; throws the errno when
    /// posix_spawn fails, including when the program cannot be executed.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String], logPath: String
    ) throws(SpawnFailure) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setpgroup(&attributes, 0)  // 0: a new group led by the child
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO)
        // Best effort: where glibc lacks closefrom, descriptors opened with O_CLOEXEC (libzmq's, Foundation's)
        // still do not leak.
        _ = DynamicLibc.addCloseFrom(STDERR_FILENO + 1, to: &actions)

        let argv = CStringArray([executable] + arguments)
        let envp = CStringArray(environment.map { "\($0.key)=\($0.value)" }.sorted())
        defer {
            argv.free()
            envp.free()
        }
        var pid = pid_t()
        let result = posix_spawnp(&pid, executable, &actions, &attributes, argv.pointers, envp.pointers)
        guard result == 0 else { throw SpawnFailure(errno: result) }
        return pid
    }

    /// This process's environment with `additions` laid over it.
    static func environment(adding additions: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(additions) { _, added in added }
    }
}

/// posix_spawn's error number.
struct SpawnFailure: Error {
    let errno: Int32
}

/// A NULL-terminated array of C strings for argv and envp, freed explicitly.
private struct CStringArray {
    let pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    func free() {
        for pointer in pointers { Glibc.free(pointer) }
    }
}
