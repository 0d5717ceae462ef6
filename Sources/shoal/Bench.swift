import ArgumentParser
import ShoalRuntime

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a part of Shoal on this machine (use a release build)."
    )

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case mlp
    }

    @Argument(help: "What to measure: \(Target.allCases.map(\.rawValue).joined(separator: ", ")).")
    var target: Target

    func run() throws {
        switch target {
        case .mlp:
            print(NetworkBench.run())
        }
    }
}
