import ArgumentParser

@main
struct Shoal: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Distributed actor-learner reinforcement learning (IMPALA / V-trace).",
        subcommands: [Train.self, Status.self, Learner.self, Actor.self, Supervise.self, Bench.self, Probe.self]
    )
}
