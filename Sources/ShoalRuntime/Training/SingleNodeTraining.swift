import Foundation
import Logging
import ShoalWire

/// `shoal train` without `--in-process`: a supervisor in this process runs one learner and `config.actors` actor
/// processes of the same binary on this machine, talking over ipc sockets in the run directory, exactly as they
/// would across hosts. For a served environment (`gymnasium:`, `python:` or `exec:`) it also runs
/// `envServersPerActor` environment servers per actor, and the resolved config lists their addresses.
public final class SingleNodeTraining {
    public let config: TrainingConfig
    public let run: RunDirectory
    /// The `shoal` executable the children run.
    public let executable: String
    /// Where the supervisor serves Prometheus metrics; the learner and actors take the ports after it.
    public let prometheus: MetricsAddress?
    private var lastLearnerBeat: (time: Double, steps: Int64)?
    private var restarts = 0
    private var latest: TrainingProgress?

    public init(config: TrainingConfig, run: RunDirectory, executable: String, prometheus: MetricsAddress? = nil)
        throws(ShoalRuntimeError)
    {
        self.run = run
        self.executable = executable
        self.prometheus = prometheus
        var config = config
        let plan = Self.plan(config: config, run: run, executable: executable, prometheus: prometheus)
        try plan.validatePrometheusPorts()
        for address in plan.children.compactMap(\.prometheus) {
            try MetricsHTTPServer.checkBindable(MetricsAddress(parsing: address))
        }
        // The learner asks the first of them what the environment looks like, as each actor asks its own.
        if plan.servesEnvironments { config.envServers = plan.envServerEndpoints }
        self.config = config
    }

    /// The processes of the run.
    public var childSpecs: [ChildSpec] {
        Self.plan(config: config, run: run, executable: executable, prometheus: prometheus).children
    }

    /// The run as one host's plan: everything on this machine, over ipc sockets in the run directory.
    private static func plan(config: TrainingConfig, run: RunDirectory, executable: String,
                             prometheus: MetricsAddress?) -> HostPlan {
        let (rollouts, weights) = (run.ipcEndpoint(named: "rollouts"), run.ipcEndpoint(named: "weights"))
        var plan = HostPlan(
            config: config, runID: run.runID, configPath: run.configPath, executable: executable,
            learner: .init(rollouts: rollouts, weights: weights, checkpoints: run.checkpointsPath,
                           metrics: run.metricsPath),
            actorIDs: 0..<UInt32(config.actors), learnerEndpoints: ActorEndpoints(learner: rollouts, weights: weights),
            socketDirectory: run.path)
        plan.restartPolicy.maxRestarts = config.maxRestarts
        plan.restartPolicy.window = .seconds(config.restartWindowSeconds)
        plan.logPath = { run.logPath(for: $0) }
        plan.prometheus = prometheus
        return plan
    }

    /// Runs the processes until the learner finishes, the run fails or a signal interrupts it; calls `progress`
    /// on each learner heartbeat. Returns the outcome and the last progress and accounting seen.
    public func start(progress: @escaping (TrainingProgress) -> Void) throws -> TrainingRunSummary {
        try run.writeConfig(config)
        var settings = SupervisorSettings(
            runID: run.runID, runDirectory: run.path, heartbeatEndpoint: run.supervisorEndpoint,
            heartbeatTimeout: .seconds(config.heartbeatTimeoutSeconds), startupTimeout: .seconds(60))
        settings.prometheus = prometheus
        let supervisor = try Supervisor(settings: settings, children: childSpecs)
        supervisor.onHeartbeat = { [unowned self] spec, heartbeat in
            guard spec.role == .learner else { return }
            let snapshot = progressSnapshot(heartbeat)
            latest = snapshot
            progress(snapshot)
        }
        supervisor.onExit = { [unowned self] _, _, exit in
            if !exit.isClean { restarts += 1 }
        }
        let outcome = supervisor.run()
        return TrainingRunSummary(outcome: outcome, progress: latest, accounting: supervisor.ledger.accounting)
    }

    private func progressSnapshot(_ heartbeat: Heartbeat) -> TrainingProgress {
        let stats = heartbeat.stats
        let elapsed = stats[LearnerReport.Key.elapsedSeconds] ?? 0
        let steps = Int64(heartbeat.environmentSteps)
        var rate = 0.0
        if let last = lastLearnerBeat, elapsed > last.time { rate = Double(steps - last.steps) / (elapsed - last.time) }
        lastLearnerBeat = (elapsed, steps)
        return TrainingProgress(
            elapsedSeconds: elapsed, envSteps: Int(steps), updates: Int(stats[LearnerReport.Key.updates] ?? 0),
            stepsPerSecond: rate, meanReturn: stats[LearnerReport.Key.meanReturn].map(Float.init),
            episodes: Int(stats[LearnerReport.Key.episodes] ?? 0), policyLag: stats[LearnerReport.Key.medianLag] ?? 0,
            queueDepth: Int(heartbeat.queueDepth), version: heartbeat.policyVersion, restarts: restarts)
    }
}

/// How a multiprocess run ended, with the last progress and accounting the supervisor saw.
public struct TrainingRunSummary: Sendable {
    public var outcome: SupervisionOutcome
    public var progress: TrainingProgress?
    public var accounting: RolloutAccounting
}
