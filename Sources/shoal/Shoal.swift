import ArgumentParser

@main
struct Shoal: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Distributed actor-learner reinforcement learning (IMPALA / V-trace).",
        subcommands: [Train.self, Bench.self, Supervise.self, Probe.self]
    )
}
