/// What a process does in a run.
public enum ProcessRole: String, Sendable, Hashable, CaseIterable {
    /// Spawns and watches the other processes on a host.
    case supervisor
    /// Consumes rollouts and publishes weights.
    case learner
    /// Steps environments and sends rollouts.
    case actor
    /// Hosts environments for actors over the environment protocol.
    case envServer = "env-server"
}

/// Liveness and progress of one process, sent to its supervisor (and shown by `shoal status`).
public struct Heartbeat: Sendable, Equatable {
    /// The run the process belongs to.
    public var runID: String
    /// What the process does.
    public var role: ProcessRole
    /// Index of the process within its role (the actor id; 0 for the learner).
    public var id: UInt32
    /// Operating-system process id.
    public var pid: Int32
    /// Host name the process runs on.
    public var host: String
    /// Grows by one each time the process is restarted.
    public var incarnation: UInt32
    /// When the heartbeat was sent, in nanoseconds since the Unix epoch on the sender's clock.
    public var timestampNanos: Int64
    /// Learner: its newest weights version. Actor: the version it acts with.
    public var policyVersion: UInt64
    /// Environment steps taken (actor) or consumed (learner) since the run started.
    public var environmentSteps: UInt64
    /// Learner: rollouts waiting to be batched. Actor: rollouts sent but not yet acknowledged.
    public var queueDepth: UInt32
    /// Further named figures, e.g. "charts/sps"; values must be finite.
    public var stats: [String: Double]

    public init(
        runID: String, role: ProcessRole, id: UInt32, pid: Int32, host: String, incarnation: UInt32,
        timestampNanos: Int64, policyVersion: UInt64 = 0, environmentSteps: UInt64 = 0, queueDepth: UInt32 = 0,
        stats: [String: Double] = [:]
    ) {
        self.runID = runID
        self.role = role
        self.id = id
        self.pid = pid
        self.host = host
        self.incarnation = incarnation
        self.timestampNanos = timestampNanos
        self.policyVersion = policyVersion
        self.environmentSteps = environmentSteps
        self.queueDepth = queueDepth
        self.stats = stats
    }
}
