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
    private var lastLearnerBeat: (time: Double, steps: Int64)?
    private var restarts = 0
    private var latest: TrainingProgress?

    public init(config: TrainingConfig, run: RunDirectory, executable: String) {
        var config = config
        if (try? config.environmentSource()) == .served {
            config.envServers = (0..<(config.actors * config.envServersPerActor)).map {
                run.ipcEndpoint(named: "env-\($0)")
            }
        }
        self.config = config
        self.run = run
        self.executable = executable
    }

    /// The processes of the run.
    public var childSpecs: [ChildSpec] {
        var restartPolicy = RestartPolicy.default
        restartPolicy.maxRestarts = config.maxRestarts
        restartPolicy.window = .seconds(config.restartWindowSeconds)
        let common = ["--run-id", run.runID, "--config", run.configPath]
        let (rollouts, weights) = (run.ipcEndpoint(named: "rollouts"), run.ipcEndpoint(named: "weights"))
        let learner = ChildSpec(
            name: "learner", role: .learner, id: 0, executable: executable,
            arguments: ["learner"] + common + ["--rollouts", rollouts, "--weights", weights,
                                                "--checkpoints", run.checkpointsPath, "--metrics", run.metricsPath],
            logPath: run.logPath(for: "learner"), restartPolicy: restartPolicy)
        let actors = (0..<config.actors).map { id in
            ChildSpec(
                name: "actor-\(id)", role: .actor, id: UInt32(id), executable: executable,
                arguments: ["actor"] + common + ["--id", "\(id)", "--learner", rollouts, "--weights", weights],
                logPath: run.logPath(for: "actor-\(id)"), restartPolicy: restartPolicy)
        }
        return [learner] + actors + environmentServers(restartPolicy: restartPolicy)
    }

    /// The environment servers of a served environment, one per address in `envServers`; none otherwise.
    private func environmentServers(restartPolicy: RestartPolicy) -> [ChildSpec] {
        guard (try? config.environmentSource()) == .served else { return [] }
        return config.envServers.enumerated().map { index, endpoint in
            let name = "env-\(index / config.envServersPerActor)-\(index % config.envServersPerActor)"
            let command = config.environmentServerCommand
            var arguments = Array(command.dropFirst()) + [endpoint]
            if let env = config.environmentServerEnv { arguments += ["--env", env] }
            arguments += ["--num-envs", "\(config.envsPerServer)", "--env-args", config.envArgs, "--id", "\(index)",
                          "--heartbeat-seconds", "\(config.heartbeatSeconds)"]
            return ChildSpec(name: name, role: .envServer, id: UInt32(index), executable: command[0],
                             arguments: arguments, logPath: run.logPath(for: name), restartPolicy: restartPolicy)
        }
    }

    /// Runs the processes until the learner finishes, the run fails or a signal interrupts it; calls `progress`
    /// on each learner heartbeat. Returns the outcome and the last progress and accounting seen.
    public func start(progress: @escaping (TrainingProgress) -> Void) throws -> TrainingRunSummary {
        try run.writeConfig(config)
        let settings = SupervisorSettings(
            runID: run.runID, runDirectory: run.path, heartbeatEndpoint: run.supervisorEndpoint,
            heartbeatTimeout: .seconds(config.heartbeatTimeoutSeconds), startupTimeout: .seconds(60))
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
