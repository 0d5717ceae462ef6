import Glibc

/// The child's half of "die with the supervisor", for roles to call first thing at startup.
public enum ParentWatch {
    /// When started by a supervisor ($SHOAL_SUPERVISOR_PID set), asks the kernel to SIGKILL this process as soon as
    /// the supervisor dies, and exits at once if it died already (before the request could take effect, when this
    /// process was reparented). Does nothing for a process started by hand.
    public static func dieWithParent() {
        guard let supervisor = SupervisedEnvironment.value(SupervisedEnvironment.supervisorPID).flatMap(Int32.init)
        else { return }
        guard DynamicLibc.setParentDeathSignal(SIGKILL) else {
            exitWithMessage("prctl(PR_SET_PDEATHSIG) failed (errno \(errno)): refusing to run unwatched")
        }
        // Checked after the request: had the supervisor died in between, this process is already reparented.
        if getppid() != supervisor {
            exitWithMessage("the supervisor (pid \(supervisor)) is gone")
        }
    }

    private static func exitWithMessage(_ message: String) -> Never {
        let line = Array("shoal: \(message); exiting\n".utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        exit(EXIT_FAILURE)
    }
}
