import ArgumentParser
import ShoalRuntime

struct Actor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an actor role: step environments with the latest weights and send unrolls to the learner."
    )

    @OptionGroup var role: RoleOptions

    @OptionGroup(title: "CurveZMQ security") var security: ActorSecurityOptions

    @Option(help: "This actor's id, unique within the run.")
    var id: UInt32

    @Option(help: "The learner's rollout endpoint, e.g. tcp://learner-host:5555.")
    var learner: String

    @Option(help: "The learner's weights endpoint, e.g. tcp://learner-host:5556.")
    var weights: String

    @Option(help: ArgumentHelp(
        "Environment servers to step, comma-separated, instead of this actor's share of the config's envServers.",
        valueName: "endpoint,..."))
    var envServers: String?

    func run() throws {
        let config = try role.startRole()
        let service = try ActorService(
            config: config, runID: role.runID, actorID: id, incarnation: role.resolvedIncarnation,
            endpoints: ActorEndpoints(
                learner: learner, weights: weights,
                envServers: envServers.map { $0.split(separator: ",").map(String.init) }),
            security: try security.load())
        let prometheus = try role.serveMetrics(role: .actor, id: id, series: ActorPrometheus.init)
        defer { prometheus?.stop() }
        let heartbeats = try SupervisorLink(role: .actor, id: id)
        heartbeats.metricsPort = prometheus?.address.port
        defer { heartbeats.close() }
        service.onReport = { report in
            prometheus?.series.record(report)
            heartbeats.beat(policyVersion: report.policyVersion, environmentSteps: report.envSteps,
                            queueDepth: report.unacknowledged, stats: report.stats)
        }
        let outcome = try service.run()
        print("actor \(id): \(outcome)")
    }
}
