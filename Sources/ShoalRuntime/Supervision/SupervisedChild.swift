/// What the supervisor knows about one child while the run goes on.
struct SupervisedChild {
    let spec: ChildSpec
    /// Where its stdout and stderr go.
    let logPath: String
    /// Its restart history.
    var budget: RestartBudget
    /// Its pid while it is running (or exited but not yet reaped).
    var pid: Int32?
    var state: ProcessState = .starting
    /// Starts so far, the current one included.
    var incarnation: UInt32 = 0
    /// Starts after the first.
    var restarts = 0
    /// When the current incarnation was started.
    var startedAt: ContinuousClock.Instant?
    /// When its current incarnation last sent a heartbeat (supervisor clock), nil before the first.
    var lastHeartbeatAt: ContinuousClock.Instant?
    /// The same as Unix time, for status.json.
    var lastHeartbeatUnixTime: Double?
    /// Figures from the last heartbeat.
    var stats: [String: Double] = [:]
    /// How the previous incarnation ended, e.g. "exit 1".
    var lastExit: String?
    /// Why the supervisor sent SIGKILL to the current incarnation, until it is reaped.
    var killReason: String?
    /// While backing off: when to start it again.
    var restartAt: ContinuousClock.Instant?

    init(spec: ChildSpec, logPath: String) {
        self.spec = spec
        self.logPath = logPath
        self.budget = RestartBudget(policy: spec.restartPolicy)
    }

    /// Whether it is running or will be started again.
    var isActive: Bool { pid != nil || state == .backingOff }

    /// Its line in status.json.
    var status: ProcessStatus {
        var status = ProcessStatus(
            name: spec.name, role: spec.role.rawValue, id: spec.id, pid: pid, state: state, restarts: restarts,
            incarnation: incarnation, lastHeartbeat: lastHeartbeatUnixTime, lastExit: lastExit, stats: stats)
        status.prometheus = prometheus
        return status
    }

    /// Where it serves metrics: the address its command gives, with the port it reports when that one asks for
    /// any free port (`HOST:0`).
    var prometheus: String? {
        guard let given = spec.prometheus, let address = try? MetricsAddress(parsing: given), address.port == 0,
              let port = stats[SupervisorLink.metricsPortKey].flatMap({ UInt16(exactly: $0) }) else {
            return spec.prometheus
        }
        return MetricsAddress(host: address.host, port: port).description
    }
}
