/// Where a supervisor keeps its files and how quickly it judges its children.
public struct SupervisorSettings: Sendable {
    /// The run id; children get it as $SHOAL_RUN_ID and heartbeats from any other run are refused.
    public var runID: String
    /// Directory for status.json, the heartbeat socket and (by default) the children's logs; created if missing.
    public var runDirectory: String
    /// Where the heartbeat PULL socket binds: nil means `ipc://<run directory>/supervisor.ipc`; a `tcp://` endpoint
    /// (e.g. `tcp://*:5599`) lets children on other hosts report in.
    public var heartbeatEndpoint: String?
    /// A running child silent for longer than this is killed and restarted.
    public var heartbeatTimeout: Duration
    /// A freshly started child may take this long to send its first heartbeat.
    public var startupTimeout: Duration
    /// Longest wait for heartbeats in one turn of the loop; bounds how late exits and signals are noticed.
    public var pollInterval: Duration
    /// How often status.json is rewritten while the run goes on.
    public var statusInterval: Duration
    /// Turn SIGINT and SIGTERM into a shutdown while `run()` runs (off when the host handles signals itself and
    /// uses a `ShutdownRequest`).
    public var handlesSignals: Bool
    /// Where the supervisor serves its Prometheus metrics (`http://HOST:PORT/metrics`); nil for nowhere.
    public var prometheus: MetricsAddress?

    /// Settings with production defaults: heartbeat timeout 10 s, startup timeout 60 s, 100 ms polls, status
    /// every 0.5 s, signals handled.
    public init(
        runID: String, runDirectory: String, heartbeatEndpoint: String? = nil,
        heartbeatTimeout: Duration = .seconds(10), startupTimeout: Duration = .seconds(60),
        pollInterval: Duration = .milliseconds(100), statusInterval: Duration = .milliseconds(500),
        handlesSignals: Bool = true
    ) {
        self.runID = runID
        self.runDirectory = runDirectory
        self.heartbeatEndpoint = heartbeatEndpoint
        self.heartbeatTimeout = heartbeatTimeout
        self.startupTimeout = startupTimeout
        self.pollInterval = pollInterval
        self.statusInterval = statusInterval
        self.handlesSignals = handlesSignals
    }

    /// Where status.json is written.
    public var statusPath: String { "\(runDirectory)/status.json" }

    /// The endpoint the heartbeat socket binds.
    var heartbeatBindEndpoint: String { heartbeatEndpoint ?? "ipc://\(runDirectory)/supervisor.ipc" }

    /// Where `spec` logs.
    func logPath(for spec: ChildSpec) -> String { spec.logPath ?? "\(runDirectory)/logs/\(spec.name).log" }
}
