import ArgumentParser
import ShoalEnvs
import ShoalRuntime

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a part of Shoal on this machine (use a release build)."
    )

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case mlp
        case conv
        case env
        case codec
        case zmq
    }

    @Argument(help: "What to measure: \(Target.allCases.map(\.rawValue).joined(separator: ", ")).")
    var target: Target

    func run() throws {
        switch target {
        case .mlp:
            print(NetworkBench.run())
        case .conv:
            print(TorsoBench.run())
        case .env:
            for environment in EnvironmentRegistry.builtIn.ids {
                print(try VectorEnvBench.run(environment: environment))
            }
        case .codec:
            print(try RolloutCodecBench.run())
            for frames in [RolloutCodecBench.Observations.atariFrames, .atariFloats] {
                print(try RolloutCodecBench.run(frames, unrollLength: 16, batchSize: 32, iterations: 20))
            }
        case .zmq:
            print(try ZeroMQBench.run())
        }
    }
}
