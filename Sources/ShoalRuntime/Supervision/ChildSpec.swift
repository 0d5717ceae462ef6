import ShoalWire

/// One process a supervisor runs: what to execute, where its output goes, and what its exits mean for the run.
public struct ChildSpec: Sendable, Equatable {
    /// Stable, unique name, e.g. "learner" or "actor-3"; also names its log file.
    public var name: String
    /// What the process does; heartbeats are matched to children by role and id.
    public var role: ProcessRole
    /// Index within the role (the actor id; 0 for the learner).
    public var id: UInt32
    /// Path of the program, or a bare name looked up in `PATH`.
    public var executable: String
    /// Arguments after the program name.
    public var arguments: [String]
    /// Variables added to (or replacing) the supervisor's environment.
    public var environment: [String: String]
    /// File that receives the child's stdout and stderr, appended across restarts; nil means
    /// `<run directory>/logs/<name>.log`.
    public var logPath: String?
    /// Backoff between restarts and how many restarts within a window are tolerated.
    public var restartPolicy: RestartPolicy
    /// What an exit with status 0 means.
    public var onCleanExit: CleanExitAction
    /// What happens when the child has been restarted too often.
    public var onGiveUp: GiveUpAction
    /// Shutdown order: stage 0 is stopped first, then 1, and so on (actors before the learner).
    public var shutdownStage: Int
    /// How long the child may take to exit after SIGTERM before it is killed.
    public var shutdownGrace: Duration

    /// Makes a spec with the usual exit handling and shutdown order for `role`; change the fields to differ.
    ///
    /// The learner's clean exit ends the run and losing it fails the run; it stops last, with time to write a final
    /// checkpoint. An actor that exits cleanly stays stopped, losing one leaves the others running, and actors stop
    /// first so that the learner still receives their last rollouts. An environment server is restarted whenever it
    /// ends, and stops with the learner, after its actors.
    public init(
        name: String, role: ProcessRole, id: UInt32, executable: String, arguments: [String] = [],
        environment: [String: String] = [:], logPath: String? = nil, restartPolicy: RestartPolicy = .default
    ) {
        self.name = name
        self.role = role
        self.id = id
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.logPath = logPath
        self.restartPolicy = restartPolicy
        switch role {
        case .learner:
            (onCleanExit, onGiveUp, shutdownStage, shutdownGrace) = (.completeRun, .failRun, 1, .seconds(30))
        case .actor, .supervisor:
            (onCleanExit, onGiveUp, shutdownStage, shutdownGrace) = (.stayStopped, .continueWithout, 0, .seconds(5))
        case .envServer:
            // It serves until told to stop, so any exit is a fault; it stops after the actors that step it.
            (onCleanExit, onGiveUp, shutdownStage, shutdownGrace) = (.restart, .continueWithout, 1, .seconds(5))
        }
    }
}

extension ChildSpec {
    /// Where the child serves Prometheus metrics: the address its command gives with `--prometheus`, if any.
    public var prometheus: String? {
        guard let flag = arguments.firstIndex(of: "--prometheus"), flag + 1 < arguments.count else { return nil }
        return arguments[flag + 1]
    }
}

/// What a child's exit with status 0 means.
public enum CleanExitAction: String, Sendable, Codable, CaseIterable {
    /// The child finished the run's work (the learner reached its target): stop the others in order, run finished.
    case completeRun
    /// Start it again, like a crash (with backoff, counted against the restart limit).
    case restart
    /// Leave it stopped; the run goes on without it.
    case stayStopped
}

/// What happens once a child has crashed or fallen silent more often than its restart policy allows.
public enum GiveUpAction: String, Sendable, Codable, CaseIterable {
    /// The run cannot go on without it (the learner): stop the others in order, run failed.
    case failRun
    /// Mark it failed and carry on with the others (an actor).
    case continueWithout
}
