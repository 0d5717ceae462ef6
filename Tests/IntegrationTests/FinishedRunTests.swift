import Foundation
import ShoalRuntime
import ShoalWire
import XCTest
import ZeroMQ

/// How a learner that reaches its stop condition ends the run for its actors, and how actors leave a run.
final class FinishedRunTests: XCTestCase {
    private var directory: URL!
    private var processes: [ShoalProcess] = []

    override func setUpWithError() throws {
        directory = try temporaryDirectory("finished-run")
    }

    override func tearDown() {
        processes.forEach { $0.kill() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The shutdown broadcast on the weights PUB can miss an actor (a slow subscriber's full queue drops it, closing
    /// the PUB discards what is unsent), which then trains on against nobody and keeps its host's supervisor alive.
    /// So the finished learner also answers each actor's next message with the command, on the actor's own
    /// connection. This actor never subscribes to the broadcast at all and is still told; every rollout it sent is
    /// accounted for.
    func testAnActorThatMissesTheBroadcastIsToldOnItsOwnConnection() throws {
        let settings = ["targetReturn=none", "maxEnvSteps=160", "envsPerActor=4"]
        let learner = try startLearner(settings)
        let context = try ZMQContext()
        let actor = try ZMQSocket(.dealer, context: context, options: SocketOptions(linger: .zero))
        defer {
            actor.close()
            context.close()
        }
        try actor.connect(rolloutsEndpoint)
        let network = try GoodMessages.network(settings)

        // Sends rollouts one at a time (160 env steps are 3 of them), reading what comes back after each.
        var shutdown: Control?
        var sent: UInt64 = 0
        while shutdown == nil, sent < 50 {
            sent += 1
            let rollout = WireMessage.rollout(GoodMessages.rollout(network: network, seq: sent))
            XCTAssertEqual(try actor.send(rollout.encode(), timeout: .seconds(5)), .sent)
            while shutdown == nil, let frame = try actor.receive(timeout: .milliseconds(200)) {
                if case .control(let control) = try WireMessage.decode(frame), control.command == .shutdown {
                    shutdown = control
                }
            }
        }

        XCTAssertEqual(shutdown?.reason, "step budget spent", "no shutdown after \(sent) rollouts: \(learner.output)")
        XCTAssertEqual(learner.wait(timeout: 10), 0, learner.output)
        let last = try XCTUnwrap(MetricsFile.records(at: metricsPath).last?.values)
        let dropped = last.filter { $0.key.hasPrefix("queue/dropped_") }.values.reduce(0, +)
        XCTAssertEqual(last["queue/received"], Double(sent), "\(last)")
        XCTAssertEqual((last["queue/consumed"] ?? 0) + dropped, Double(sent), "\(last)")
    }

    /// A finished learner makes sure each of its actors has heard the run is over (answered, or said it is leaving
    /// after the broadcast), and every actor ends with the run.
    func testEveryActorIsToldTheRunIsOver() throws {
        let settings = ["targetReturn=none", "maxEnvSteps=20000"]
        let learner = try startLearner(settings)
        let actors = try (0..<2).map { try startActor(id: $0, settings) }
        XCTAssertEqual(learner.wait(timeout: 60), 0, learner.output)
        for actor in actors {
            XCTAssertEqual(actor.wait(timeout: 10), 0, actor.output)
            XCTAssertTrue(actor.output.contains("runFinished"), actor.output)
        }
        let farewell = learner.output.split(separator: "\n").first { $0.contains("actors told the run is over") }
        XCTAssertTrue(farewell?.contains("told=2 untold=[]") == true, learner.output)
    }

    /// An actor asked to stop says it is leaving, so the learner does not take its silence for a fault.
    func testAnActorAskedToStopIsNotTakenForSilent() throws {
        let settings = ["targetReturn=none", "maxSeconds=60", "heartbeatTimeoutSeconds=1"]
        let learner = try startLearner(settings)
        let actor = try startActor(id: 0, settings)
        _ = try XCTUnwrap(poll(timeout: 30) { (latestVersion() ?? 0) >= 3 ? true : nil }, "not training: \(learner.output)")
        actor.signal(SIGTERM)
        XCTAssertEqual(actor.wait(timeout: 10), 0, actor.output)
        _ = try XCTUnwrap(poll(timeout: 10) { learner.output.contains("actor left") ? true : nil }, learner.output)
        Thread.sleep(forTimeInterval: 2)  // twice the silence timeout
        XCTAssertFalse(learner.output.contains("actor silent"), learner.output)
        XCTAssertTrue(learner.output.contains("asked to stop"), learner.output)
        learner.signal(SIGTERM)
        XCTAssertEqual(learner.wait(timeout: 10), 0, learner.output)
    }

    /// An actor that hears nothing from any learner (here: it comes when the learner is long gone) leaves the run by
    /// itself after `learnerGoneSeconds`, so that its host's supervisor is not kept running for nothing.
    func testAnActorWithoutLearnerLeavesAfterLearnerGoneSeconds() throws {
        let started = Date()
        let actor = try startActor(id: 0, ["resendSeconds=0.5", "learnerGoneSeconds=1.5"])
        XCTAssertEqual(actor.wait(timeout: 20), 0, actor.output)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1.5, "left before learnerGoneSeconds")
        XCTAssertTrue(actor.output.contains("learner gone"), actor.output)
        XCTAssertTrue(actor.output.contains("learnerGone"), actor.output)
    }

    // MARK: - Helpers

    private var rolloutsEndpoint: String { "ipc://\(directory.path)/rollouts" }
    private var weightsEndpoint: String { "ipc://\(directory.path)/weights" }
    private var metricsPath: String { directory.appendingPathComponent("metrics.jsonl").path }

    private func startLearner(_ settings: [String]) throws -> ShoalProcess {
        try start(["learner", "--rollouts", rolloutsEndpoint, "--weights", weightsEndpoint, "--metrics", metricsPath,
                   "--checkpoints", directory.appendingPathComponent("checkpoints").path], settings, log: "learner")
    }

    private func startActor(id: Int, _ settings: [String]) throws -> ShoalProcess {
        try start(["actor", "--id", "\(id)", "--learner", rolloutsEndpoint, "--weights", weightsEndpoint], settings,
                  log: "actor-\(id)")
    }

    private func start(_ command: [String], _ settings: [String], log: String) throws -> ShoalProcess {
        let process = try ShoalProcess(command + ["--run-id", GoodMessages.runID] + settings.flatMap { ["--set", $0] },
                                       log: directory.appendingPathComponent("\(log).log"))
        processes.append(process)
        return process
    }

    private func latestVersion() -> Double? {
        (try? MetricsFile.records(at: metricsPath))?.last?.values["charts/version"]
    }
}
