import ArgumentParser
import ShoalRuntime

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one host's supervision plan for a cluster run (what `shoal supervise` reads).",
        discussion: """
            The cluster launchers (cluster/launch.sh, cluster/slurm/shoal.sbatch) run this on each host. The plan \
            holds the learner when --learner-ports is given, the actors --first-actor ..< --first-actor + --actors, \
            and, when the config's env is served (gymnasium:, python:, exec:), envServersPerActor environment \
            servers beside each actor on ipc sockets in --sockets (node-local), which the actor is told with \
            --env-servers. The learner then asks a server it starts for a moment what the environment looks like.

              shoal plan --run-id R --config C --dir D --learner-ports 5555,5556 --learner-host gpu0 --actors 4
            """
    )

    @Option(help: "Run id; messages from other runs are refused.")
    var runID: String

    @Option(help: "YAML config file every role reads (an absolute path the host sees).")
    var config: String

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override a config field, for every role.", valueName: "key=value"))
    var overrides: [String] = []

    @Option(help: "This host's run directory: the learner's checkpoints and metrics go there.")
    var dir: String

    @Option(help: ArgumentHelp("Run the learner here, binding these TCP ports for rollouts and weights.",
                               valueName: "rollouts,weights"))
    var learnerPorts: String?

    @Option(help: "The learner's host as actors dial it.")
    var learnerHost: String

    @Option(help: ArgumentHelp("The learner's ports as actors dial them (default: --learner-ports, else 5555,5556).",
                               valueName: "rollouts,weights"))
    var learnerAddressPorts: String?

    @Option(help: "Actor processes on this host.")
    var actors = 0

    @Option(help: "The first actor id on this host; ids are unique across the run.")
    var firstActor: UInt32 = 0

    @Option(help: "Node-local directory for the environment servers' ipc sockets and the supervisor's (default: --dir).")
    var sockets: String?

    @Option(help: ArgumentHelp(
        "CurveZMQ key directory (learner.key, learner.pub, actor.key, actor.pub from `shoal keygen`) as this host "
            + "sees it: the learner accepts only the actor key.", valueName: "dir"))
    var keys: String?

    @Option(help: ArgumentHelp(
        "Serve Prometheus metrics: this host's supervisor at HOST:PORT, its learner on PORT+1, its actors on PORT+2 "
            + "onwards in id order.", valueName: "host:port"))
    var prometheus: String?

    func run() throws {
        let resolved = try TrainingConfig.resolve(file: config, overrides: overrides)
        let binds = try learnerPorts.map { try ports($0, option: "--learner-ports") }
        let dialed = try learnerAddressPorts.map { try ports($0, option: "--learner-address-ports") }
            ?? binds ?? (5555, 5556)
        var plan = HostPlan(
            config: resolved, runID: runID, configPath: config, executable: "shoal",
            learner: binds.map {
                .init(rollouts: "tcp://*:\($0.0)", weights: "tcp://*:\($0.1)", checkpoints: "\(dir)/checkpoints",
                      metrics: "\(dir)/metrics.jsonl")
            },
            actorIDs: firstActor..<(firstActor + UInt32(actors)),
            learnerEndpoints: ActorEndpoints(learner: "tcp://\(learnerHost):\(dialed.0)",
                                             weights: "tcp://\(learnerHost):\(dialed.1)"),
            socketDirectory: sockets ?? dir)
        plan.overrides = overrides
        plan.keyDirectory = keys
        try asUsageError { () throws(ShoalRuntimeError) in
            plan.prometheus = try prometheus.map { text throws(ShoalRuntimeError) in try MetricsAddress(parsing: text) }
            try plan.validatePrometheusPorts()
        }
        print(plan.yaml(heartbeatEndpoint: sockets.map { RunDirectory.ipcEndpoint(in: $0, named: "supervisor") }),
              terminator: "")
    }

    private func ports(_ text: String, option: String) throws -> (Int, Int) {
        let parts = text.split(separator: ",").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ (1...65535).contains($0) }) else {
            throw ValidationError("\(option) '\(text)': expected two TCP ports, rollouts,weights")
        }
        return (parts[0], parts[1])
    }
}
