import ArgumentParser
import Foundation
import ShoalRuntime

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a trained policy without training and report its mean return and episode length.",
        discussion: """
            Steps the run's environment (built-in, or served by an environment server started for the purpose; for \
            env: remote, the server given with --env-server, which no actor of a live run may be stepping) with \
            the policy of SOURCE until every environment has finished its share of --episodes, so that short \
            episodes count no more than long ones. On a live run it takes the newest complete checkpoint.
            """
    )

    @Argument(help: "A run directory (its newest complete checkpoint, also of a live run) or a checkpoint file.")
    var source: String

    @Option(help: "Episodes to run.")
    var episodes = 100

    @Option(help: ArgumentHelp("Environments stepped side by side (default: the run's envsPerActor, or "
                               + "envsPerServer for a served environment).", valueName: "n"))
    var envs: Int?

    @Flag(help: "Take the policy's most likely actions instead of sampling them.")
    var greedy = false

    @Option(help: "Seed for the environments and the sampling.")
    var seed: UInt64 = 1

    @Flag(help: "Print the result as JSON (every episode's return and length too).")
    var json = false

    @Option(help: "The config to use when SOURCE is not in a run directory (default: the run's config.yaml).")
    var config: String?

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override a field of the run's config, e.g. --set env=gymnasium:CartPole-v1.",
                               valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: "For env: remote, the environment server to step (not one a live run's actor steps).")
    var envServer: String?

    func run() throws {
        bootstrapLogging()
        let result: EvaluationResult
        do {
            let policy = try TrainedPolicy.load(source)
            guard let configPath = config ?? policy.runDirectory.map({ "\($0)/config.yaml" }) else {
                throw ValidationError("\(policy.checkpoint) is not in a run directory: give its config with --config")
            }
            var settings = EvaluationSettings()
            (settings.episodes, settings.environments, settings.greedy) = (episodes, envs, greedy)
            (settings.seed, settings.envServer) = (seed, envServer)
            result = try Evaluation.run(policy, config: try TrainingConfig.resolve(file: configPath,
                                                                                  overrides: overrides),
                                        settings: settings)
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("shoal eval: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.summary)
        }
    }
}
