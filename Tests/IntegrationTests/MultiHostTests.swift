import Foundation
import ShoalRuntime
import XCTest

/// A learner on one test host and actors on two others, over real TCP between network namespaces: training
/// across hosts, cut links, and delay and loss on the actors' links. Skips, saying why, where namespaces cannot be
/// made.
final class MultiHostTests: XCTestCase {
    private var hosts: TestHosts!
    private var directory: URL!
    private var processes: [ShoalProcess] = []

    override func setUpWithError() throws {
        hosts = try TestHosts(count: 3)
        directory = try temporaryDirectory("hosts")
    }

    override func tearDown() {
        for process in processes { process.kill() }
        processes = []
        hosts = nil
    }

    /// The learner on host 0 and an actor on each of hosts 1 and 2 solve CartPole and all finish cleanly.
    func testRunAcrossThreeHostsTrainsAndFinishes() throws {
        let started = Date()
        let learner = try startLearner(["--set", "maxSeconds=120"])
        let actors = try (1...2).map { try startActor(on: $0) }
        XCTAssertEqual(learner.wait(timeout: 150), 0, learner.output)
        for actor in actors { XCTAssertEqual(actor.wait(timeout: 10), 0, actor.output) }
        XCTAssertTrue(learner.output.contains("targetReached"), learner.output)
        report("three hosts", since: started)
    }

    /// Cutting an actor host's link for longer than the re-send timeout: the actor notices (no acks), reconnects by
    /// itself once the link is back, its outbox stays within its credit, and the other actor trains meanwhile.
    func testCutActorLinkIsNoticedAndTheActorReconnectsByItself() throws {
        let learner = try startLearner(["--set", "targetReturn=none", "--set", "maxSeconds=60"])
        let cut = try startActor(on: 1)
        _ = try startActor(on: 2)
        try waitForMetric("charts/version", atLeast: 50)

        try hosts.setLink(1, up: false)
        let versionAtCut = try latestMetric("charts/version")
        Thread.sleep(forTimeInterval: 4)
        XCTAssertGreaterThan(try latestMetric("charts/version"), versionAtCut + 20, "the other actor kept training")
        try hosts.setLink(1, up: true)
        let restored = Date()
        try waitFor("the cut actor's rollouts acknowledged again", timeout: 30) {
            cut.output.contains("learner reachable again")
        }
        let recovery = Date().timeIntervalSince(restored)
        XCTAssertTrue(cut.output.contains("no ack: reconnecting"), "the actor did not notice the cut: \(cut.output)")
        learner.signal(SIGTERM)
        XCTAssertEqual(learner.wait(timeout: 20), 0, learner.output)
        print("multi-host: link restored → actor's rollouts acknowledged again in \(String(format: "%.2f", recovery)) s")
    }

    /// 50 ms delay and 5% loss on everything both actor hosts send: training still reaches its target.
    func testDelayAndLossOnActorLinksStillReachTarget() throws {
        let mechanism = try hosts.impair(1, delayMilliseconds: 50, lossPercent: 5)
        try hosts.impair(2, delayMilliseconds: 50, lossPercent: 5)
        let started = Date()
        let learner = try startLearner(["--set", "maxSeconds=240"])
        _ = try (1...2).map { try startActor(on: $0) }
        XCTAssertEqual(learner.wait(timeout: 260), 0, learner.output)
        XCTAssertTrue(learner.output.contains("targetReached"), learner.output)
        report("\(mechanism): 50 ms delay, 5% loss", since: started)
    }

    /// Cutting the learner's host off and back: both actors resume without a restart.
    func testCutLearnerHostAndRestore() throws {
        let learner = try startLearner(["--set", "targetReturn=none", "--set", "maxSeconds=60"])
        let actors = try (1...2).map { try startActor(on: $0) }
        try waitForMetric("charts/version", atLeast: 50)
        try hosts.setLink(0, up: false)
        Thread.sleep(forTimeInterval: 4)
        try hosts.setLink(0, up: true)
        for (index, actor) in actors.enumerated() {
            try waitFor("actor \(index + 1) acknowledged again", timeout: 30) {
                actor.output.contains("learner reachable again")
            }
        }
        let versionAfter = try latestMetric("charts/version")
        try waitForMetric("charts/version", atLeast: versionAfter + 50)
        learner.signal(SIGTERM)
        XCTAssertEqual(learner.wait(timeout: 20), 0, learner.output)
    }

    // MARK: - Helpers

    private var metricsPath: String { directory.appendingPathComponent("metrics.jsonl").path }

    private func startLearner(_ extra: [String]) throws -> ShoalProcess {
        let process = try ShoalProcess(
            ["learner", "--run-id", "hosts", "--rollouts", "tcp://*:5555", "--weights", "tcp://*:5556",
             "--checkpoints", directory.appendingPathComponent("checkpoints").path, "--metrics", metricsPath,
             "--set", "resendSeconds=1"] + extra,
            log: directory.appendingPathComponent("learner.log"), launcher: hosts.launcher(0))
        processes.append(process)
        return process
    }

    private func startActor(on host: Int) throws -> ShoalProcess {
        let learnerAddress = hosts.address(0)
        let process = try ShoalProcess(
            ["actor", "--run-id", "hosts", "--id", "\(host)", "--learner", "tcp://\(learnerAddress):5555",
             "--weights", "tcp://\(learnerAddress):5556", "--set", "resendSeconds=1"],
            log: directory.appendingPathComponent("actor-\(host).log"), launcher: hosts.launcher(host))
        processes.append(process)
        return process
    }

    private func latestMetric(_ name: String) throws -> Double {
        try MetricsFile.records(at: metricsPath).last?.values[name] ?? 0
    }

    private func waitForMetric(_ name: String, atLeast value: Double) throws {
        try waitFor("\(name) ≥ \(value)", timeout: 60) { ((try? latestMetric(name)) ?? 0) >= value }
    }

    private func waitFor(_ what: String, timeout: Double, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw TestHostsError(description: "timed out waiting for \(what)") }
            usleep(50_000)
        }
    }

    private func report(_ label: String, since started: Date) {
        let records = (try? MetricsFile.records(at: metricsPath)) ?? []
        guard let last = records.last else { return }
        let seconds = last.values["charts/elapsed_seconds"] ?? Date().timeIntervalSince(started)
        print("multi-host (\(label)): \(last.step) env steps in \(String(format: "%.1f", seconds)) s, "
              + "\(Int(Double(last.step) / max(seconds, 0.001))) env steps/s")
    }
}
