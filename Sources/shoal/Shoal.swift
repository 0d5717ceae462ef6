import ArgumentParser
import Foundation

@main
struct Shoal: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Distributed actor-learner reinforcement learning (IMPALA / V-trace).",
        subcommands: [Train.self, Status.self, Eval.self, Export.self, Chaos.self, Learner.self, Actor.self,
                      Supervise.self, Bench.self, Probe.self, Keygen.self, Plan.self, EnvServer.self]
    )

    /// Usage errors — a bad argument, config file, field or value — exit with 2 (as most Unix tools do) rather
    /// than ArgumentParser's 64, after a message naming the problem and before anything is started.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
