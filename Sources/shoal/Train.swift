import ArgumentParser
import ShoalRuntime

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a policy on this machine (built-in default: CartPole-v1 until solved)."
    )

    @Flag(name: .long, help: "Run actor and learner interleaved in this one process.")
    var inProcess = false

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override a config field, e.g. --set learningRate=0.0005.", valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: "Seed for weights, environments and sampling.")
    var seed: UInt64?

    @Option(help: "Stop once the mean return of the last 100 episodes reaches this.")
    var targetReturn: Float?

    @Option(help: "Stop after this many environment steps.")
    var maxEnvSteps: Int?

    @Option(help: "Stop after this many seconds.")
    var maxSeconds: Double?

    func run() throws {
        let config = try resolvedConfig()
        guard inProcess else {
            throw ValidationError("multiprocess training is not built yet: use --in-process")
        }
        let trainer = try InProcessTrainer(config: config)
        let display = ProgressDisplay()
        let summary = trainer.run { display.show($0) }
        display.finish()
        print("stopped: \(summary.reason.rawValue)")
        print(ProgressDisplay.format(summary.final))
    }

    /// The default config with the file, `--set` overrides and dedicated flags applied, in that order.
    private func resolvedConfig() throws -> TrainingConfig {
        var extra = overrides
        if let seed { extra.append("seed=\(seed)") }
        if let targetReturn { extra.append("targetReturn=\(targetReturn)") }
        if let maxEnvSteps { extra.append("maxEnvSteps=\(maxEnvSteps)") }
        if let maxSeconds { extra.append("maxSeconds=\(maxSeconds)") }
        do {
            return try TrainingConfig().applying(overrides: extra)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
