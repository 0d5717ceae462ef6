import Glibc

/// The environment variables through which a supervisor tells its children how to reach it.
public enum SupervisedEnvironment {
    /// The endpoint children connect their heartbeat PUSH socket to.
    public static let supervisorEndpoint = "SHOAL_SUPERVISOR"
    /// The supervisor's pid, so a child can tell whether its parent already died.
    public static let supervisorPID = "SHOAL_SUPERVISOR_PID"
    /// How many times this child has been started, 1 for the first.
    public static let incarnation = "SHOAL_INCARNATION"
    /// The run id, which heartbeats must carry.
    public static let runID = "SHOAL_RUN_ID"

    /// The value of `name` in this process's environment.
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
