import Glibc

/// How a child process ended, as `waitpid` reports it (or that it never started).
public enum ChildExit: Sendable, Equatable, CustomStringConvertible {
    /// It called exit with this status.
    case exited(code: Int32)
    /// A signal ended it.
    case signalled(signal: Int32)
    /// posix_spawn failed with this errno: the program is missing, not executable, or the log file cannot be opened.
    case spawnFailed(errno: Int32)
    /// Its exit status was collected by someone else (SIGCHLD ignored in this process, or another waitpid).
    case statusLost

    /// Exited with status 0.
    public var isClean: Bool { self == .exited(code: 0) }

    /// E.g. "exit 1", "signal 9 (Killed)", "spawn failed: No such file or directory".
    public var description: String {
        switch self {
        case .exited(let code): return "exit \(code)"
        case .signalled(let signal): return "signal \(signal) (\(String(cString: strsignal(signal))))"
        case .spawnFailed(let error): return "spawn failed: \(String(cString: strerror(error)))"
        case .statusLost: return "exit status lost (reaped elsewhere)"
        }
    }

    /// The description, with why the supervisor killed the child when it did: "signal 9 (killed: no heartbeat
    /// for 5.0 s)".
    func description(killedBecause reason: String?) -> String {
        guard let reason else { return description }
        if case .signalled(let signal) = self { return "signal \(signal) (killed: \(reason))" }
        return "\(description) (killed: \(reason))"
    }

    /// Decodes a `waitpid` status word (the WIFEXITED / WEXITSTATUS / WTERMSIG macros, which Swift cannot import).
    init(waitStatus status: Int32) {
        let terminatingSignal = status & 0x7f
        if terminatingSignal == 0 {
            self = .exited(code: (status >> 8) & 0xff)
        } else {
            self = .signalled(signal: terminatingSignal)
        }
    }

    /// The exit of `pid` if it has ended; with `blocking`, waits for it. Never reports a stopped child, because
    /// stopping is detected by heartbeats instead.
    static func reap(_ pid: pid_t, blocking: Bool) -> ChildExit? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid { return ChildExit(waitStatus: status) }
            if result == 0 { return nil }
            switch errno {
            case EINTR: continue
            case ECHILD: return .statusLost
            default: preconditionFailure("waitpid(\(pid)) failed with errno \(errno)")
            }
        }
    }
}
