import ArgumentParser
import Foundation
import ShoalRuntime

struct Learner: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the learner role: consume rollouts, update, broadcast weights, checkpoint."
    )

    @OptionGroup var role: RoleOptions

    @OptionGroup(title: "CurveZMQ security") var security: LearnerSecurityOptions

    @Option(help: "Endpoint to bind for rollouts and weights requests, e.g. tcp://*:5555.")
    var rollouts: String

    @Option(help: "Endpoint to bind for weights broadcasts, e.g. tcp://*:5556.")
    var weights: String

    @Option(help: "Directory of this run's checkpoints; the learner resumes from the newest complete one.")
    var checkpoints: String

    @Option(help: "JSON-lines file the learner appends metrics to; a TensorBoard event file goes beside it.")
    var metrics: String?

    func run() throws {
        let config = try role.startRole()
        let service = try LearnerService(
            config: config, runID: role.runID, incarnation: role.resolvedIncarnation,
            endpoints: LearnerEndpoints(rollouts: rollouts, weights: weights), checkpointDirectory: checkpoints,
            security: try security.load())
        let metricsWriter = try metrics.map { path throws(ShoalRuntimeError) in try MetricsWriter(path: path) }
        defer { metricsWriter?.close() }
        let tensorBoard = try metrics.map { path throws(ShoalRuntimeError) in
            try TensorBoardWriter(directory: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                  config: config.yamlText(),
                                  step: Int(service.envSteps))
        }
        defer { tensorBoard?.close() }
        service.onMetrics = { step, values in
            try? metricsWriter?.record(values, step: Int(step))
            try? tensorBoard?.record(values, step: Int(step))
        }
        let prometheus = try role.serveMetrics(role: .learner) {
            LearnerPrometheus(metrics: $0, start: service.report())
        }
        defer { prometheus?.stop() }
        let heartbeats = try SupervisorLink(role: .learner, id: 0)
        heartbeats.metricsPort = prometheus?.address.port
        defer { heartbeats.close() }
        service.onReport = { report in
            prometheus?.series.record(report)
            heartbeats.beat(policyVersion: report.version, environmentSteps: report.envSteps,
                            queueDepth: report.queueDepth, stats: report.stats)
        }
        let outcome = try service.run()
        print("learner: \(outcome) at version \(service.version)")
    }
}
