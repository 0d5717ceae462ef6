import ArgumentParser
import Foundation
import ShoalRuntime

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a policy on this machine (built-in default: CartPole-v1 until solved).",
        discussion: """
            Starts a supervisor that runs one learner and --actors actor processes, shows live progress and writes \
            a run directory (config, metrics.jsonl, logs, checkpoints, status.json). Ctrl-C stops the run cleanly \
            (exit code 130) after a final checkpoint; --resume continues it.
            """
    )

    @Argument(help: "YAML config file (see configs/cartpole.yaml); fields it leaves out keep their defaults.")
    var config: String?

    @Flag(name: .long, help: "Run actor and learner interleaved in this one process (no sockets, no run directory).")
    var inProcess = false

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override a config field, e.g. --set learningRate=0.0005.", valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: "Seed for weights, environments and sampling.")
    var seed: UInt64?

    @Option(help: "Actor processes.")
    var actors: Int?

    @Option(help: "Stop once the mean return of the last 100 episodes reaches this.")
    var targetReturn: Float?

    @Option(help: "Stop after this many environment steps.")
    var maxEnvSteps: Int?

    @Option(help: "Stop after this many seconds.")
    var maxSeconds: Double?

    @Option(help: "Continue the run in this directory from its newest checkpoint (its config.yaml is the base).")
    var resume: String?

    @Option(help: "Where new run directories are created.")
    var runsDir = RunDirectory.defaultBase

    @Option(help: ArgumentHelp(
        "Serve Prometheus metrics: the supervisor at http://HOST:PORT/metrics, the learner on PORT+1, actor i on "
            + "PORT+2+i.", valueName: "host:port"))
    var prometheus: String?

    @Flag(help: ArgumentHelp(
        "Print the resolved config, each field with where its value came from (default, preset, file, --set, flag), "
            + "and exit."))
    var printConfig = false

    func validate() throws {
        if resume != nil && config != nil {
            throw ValidationError("--resume uses the run's own config.yaml; give overrides with --set, not a file")
        }
        if resume != nil && inProcess { throw ValidationError("--resume applies to multiprocess runs, not --in-process") }
        if prometheus != nil && inProcess {
            throw ValidationError("--prometheus serves the processes of a multiprocess run, not --in-process")
        }
    }

    func run() throws {
        let layers = try resolvedLayers()
        if printConfig {
            print(layers.annotatedYAML(), terminator: "")
            return
        }
        bootstrapLogging()
        let config = layers.config
        if inProcess {
            guard try config.environmentSource() == .builtIn else {
                throw ValidationError("--in-process steps built-in environments only; \(config.env) needs environment "
                                      + "servers, which multiprocess runs start")
            }
            try trainInProcess(config)
        } else {
            try trainWithProcesses(config)
        }
    }

    private func trainInProcess(_ config: TrainingConfig) throws {
        let trainer = try InProcessTrainer(config: config)
        let display = ProgressDisplay()
        let summary = trainer.run { display.show($0) }
        display.finish()
        print("stopped: \(summary.reason.rawValue)")
        print(ProgressDisplay.format(summary.final))
    }

    private func trainWithProcesses(_ config: TrainingConfig) throws {
        let address = try asUsageError { () throws(ShoalRuntimeError) in
            try prometheus.map { text throws(ShoalRuntimeError) in try MetricsAddress(parsing: text) }
        }
        let run: RunDirectory
        do {
            run = try resume.map { path throws(ShoalRuntimeError) in try RunDirectory.open(path) }
                ?? RunDirectory.create(for: config, under: runsDir)
        } catch {
            throw ValidationError("\(error)")
        }
        let training: SingleNodeTraining
        do {
            training = try SingleNodeTraining(config: config, run: run, executable: Self.executablePath,
                                              prometheus: address)
        } catch {
            // Nothing has started: a run directory made for this run only would be an empty husk.
            if resume == nil { try? FileManager.default.removeItem(atPath: run.path) }
            throw ValidationError(error.description)
        }
        print("run directory: \(run.path)")
        print("tensorboard: tensorboard --logdir \(run.path)")
        if let address {
            print(address.port == 0
                  ? "prometheus: every process on a free port of \(address.host); shoal status lists them"
                  : "prometheus: \(address.url) (learner and actors on the next ports)")
        }
        let display = ProgressDisplay()
        let summary = try training.start { display.show($0) }
        display.finish()
        print(TrainingRunReport.render(summary))
        print("status: shoal status \(run.path)")
        throw ExitCode(summary.outcome.exitCode)
    }

    /// The defaults; the environment's preset, unless a file is given; the run's config (resume) or the file; `--set`
    /// overrides; the dedicated flags; in that order.
    private func resolvedLayers() throws -> ConfigLayers {
        var flags: [String] = []
        if let seed { flags.append("seed=\(seed)") }
        if let actors { flags.append("actors=\(actors)") }
        if let targetReturn { flags.append("targetReturn=\(targetReturn)") }
        if let maxEnvSteps { flags.append("maxEnvSteps=\(maxEnvSteps)") }
        if let maxSeconds { flags.append("maxSeconds=\(maxSeconds)") }
        let file = resume.map { "\($0)/config.yaml" } ?? config
        do {
            return try ConfigLayers(file: file, overrides: overrides, flags: flags)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// This executable, which the supervisor starts again for each role.
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
