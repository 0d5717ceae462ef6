/// What `status.json` in a run directory says: every supervised process and the run's accounting.
/// Written atomically by the supervisor; read by `shoal status`.
public struct RunStatus: Codable, Sendable, Equatable {
    /// The run id (also the run directory's name).
    public var runID: String
    /// running, finished, failed or interrupted.
    public var state: RunState
    /// Unix time (seconds) the run started and, once over, ended.
    public var startedAt: Double
    public var endedAt: Double?
    /// Why the run ended (target reached, budget spent, a child failed too often, interrupted).
    public var outcome: String?
    /// Pid of the supervisor writing this file.
    public var supervisorPID: Int32
    /// Where the supervisor serves Prometheus metrics (`HOST:PORT`), if it does.
    public var prometheus: String?
    public var processes: [ProcessStatus]
    /// Rollout accounting, from the learner's and actors' latest reports.
    public var accounting: RolloutAccounting
    /// What the accounting was computed from, to merge with other hosts' (absent in files of older versions).
    public var ledger: RolloutLedger?

    public init(runID: String, state: RunState, startedAt: Double, endedAt: Double? = nil, outcome: String? = nil,
                supervisorPID: Int32, processes: [ProcessStatus], accounting: RolloutAccounting = RolloutAccounting(),
                ledger: RolloutLedger? = nil) {
        self.runID = runID
        self.state = state
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.outcome = outcome
        self.supervisorPID = supervisorPID
        self.processes = processes
        self.accounting = accounting
        self.ledger = ledger
    }
}

/// The life cycle of a run.
public enum RunState: String, Codable, Sendable {
    case running, finished, failed, interrupted
}

/// One supervised child process as the supervisor sees it.
public struct ProcessStatus: Codable, Sendable, Equatable {
    /// Stable name, e.g. "learner" or "actor-3".
    public var name: String
    /// learner or actor.
    public var role: String
    /// Actor id (0 for the learner).
    public var id: UInt32
    /// Current pid, nil while not running.
    public var pid: Int32?
    public var state: ProcessState
    /// Times restarted after a crash or silence.
    public var restarts: Int
    /// Where it serves Prometheus metrics (`HOST:PORT`), if it does.
    public var prometheus: String?
    /// Grows by one on each start; actors stamp it on their rollouts.
    public var incarnation: UInt32
    /// Unix time of the last heartbeat, nil before the first.
    public var lastHeartbeat: Double?
    /// Last exit description, e.g. "exit 1" or "signal 9 (killed: no heartbeat for 5.0 s)".
    public var lastExit: String?
    /// Key statistics from the last heartbeat (steps, queue depth, policy version...).
    public var stats: [String: Double]

    public init(name: String, role: String, id: UInt32, pid: Int32? = nil, state: ProcessState, restarts: Int = 0,
                incarnation: UInt32 = 0, lastHeartbeat: Double? = nil, lastExit: String? = nil,
                stats: [String: Double] = [:]) {
        self.name = name
        self.role = role
        self.id = id
        self.pid = pid
        self.state = state
        self.restarts = restarts
        self.incarnation = incarnation
        self.lastHeartbeat = lastHeartbeat
        self.lastExit = lastExit
        self.stats = stats
    }
}

/// What the supervisor believes about a child.
public enum ProcessState: String, Codable, Sendable, CaseIterable {
    /// Spawned; no heartbeat yet.
    case starting
    /// Sending heartbeats.
    case running
    /// Exited or killed; waiting out its backoff before a restart.
    case backingOff = "backing-off"
    /// Restarted too often within the window: given up.
    case failed
    /// Stopped on purpose (shutdown) or finished its work.
    case stopped
}

/// Where every rollout ended up. Invariant: produced = consumed + Σ dropped + inFlight, each rollout counted once
/// however often it was sent; re-sent copies the learner already had are counted in `duplicates` only.
public struct RolloutAccounting: Codable, Sendable, Equatable {
    /// Rollouts actors finished collecting.
    public var produced: Int64 = 0
    /// Rollout messages the learner received, duplicates and malformed ones included.
    public var received: Int64 = 0
    /// Rollouts used in an update, each exactly once.
    public var consumed: Int64 = 0
    /// Dropped, by reason: "stale", "malformed", "buffer_overflow", "lost_in_crash", "shutdown", ...
    public var dropped: [String: Int64] = [:]
    /// Re-sent copies of rollouts the learner had already consumed or dropped, discarded.
    public var duplicates: Int64 = 0
    /// Produced but not yet consumed or dropped (in actors' buffers, on the wire or queued at the learner).
    public var inFlight: Int64 = 0

    public init() {}
}
