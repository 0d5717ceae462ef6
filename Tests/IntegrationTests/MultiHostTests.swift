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

    /// Cutting an actor host's link for longer than the heartbeat timeout, every host under its own supervisor as
    /// in a real cluster: both sides notice (the actor gets no acks, the learner hears nothing from it), the actor
    /// reconnects by itself once the link is back (no restart), its outbox stays within its credit meanwhile, the
    /// other actor trains throughout, and the three hosts' ledgers add up to the whole run's accounting.
    func testCutActorLinkIsNoticedByBothSidesAndTheActorReconnectsByItself() throws {
        let settings = ["--set", "targetReturn=none", "--set", "maxSeconds=120", "--set", "heartbeatTimeoutSeconds=2"]
        let learnerHost = try startSupervisor(on: 0, children: [("learner", "learner", 0, learnerCommand(settings))])
        let cutHost = try startSupervisor(on: 1, children: [("actor-1", "actor", 1, actorCommand(id: 1, settings))])
        let otherHost = try startSupervisor(on: 2, children: [("actor-2", "actor", 2, actorCommand(id: 2, settings))])
        try waitForMetric("charts/version", atLeast: 50)

        try hosts.setLink(1, up: false)
        let versionAtCut = try latestMetric("charts/version")
        // The cut lasts twice the silence timeout, and on until the other actor has moved training on (a slow
        // machine takes longer for that, which is no failure of the cut).
        let cut = Date()
        var largestOutbox = 0.0
        try waitFor("the other actor to train on during the cut (20 versions)", timeout: 30) {
            let actor = try? hostStatus(1).processes.first { $0.name == "actor-1" }
            largestOutbox = max(largestOutbox, actor?.stats[ActorReport.Key.unacknowledged] ?? 0)
            let trainedOn = ((try? latestMetric("charts/version")) ?? 0) >= versionAtCut + 20
            return trainedOn && Date().timeIntervalSince(cut) >= 4
        }
        try hosts.setLink(1, up: true)
        let restored = Date()
        let actorLog = directory.appendingPathComponent("host-1/logs/actor-1.log")
        let learnerLog = directory.appendingPathComponent("host-0/logs/learner.log")
        // Each side's first sign of the other after the restore, as seconds since it.
        var learnerHeard: Double?
        var actorAcknowledged: Double?
        try waitFor("the learner to hear from actor 1 and the actor's rollouts acknowledged again", timeout: 30) {
            let now = Date().timeIntervalSince(restored)
            if learnerHeard == nil && log(learnerLog).contains("actor heard from again") { learnerHeard = now }
            if actorAcknowledged == nil && log(actorLog).contains("learner reachable again") { actorAcknowledged = now }
            return learnerHeard != nil && actorAcknowledged != nil
        }
        XCTAssertTrue(log(actorLog).contains("no ack: reconnecting"), "the actor did not notice the cut")
        let silentLines = log(learnerLog).split(separator: "\n").filter { $0.contains("actor silent") }
        XCTAssertTrue(silentLines.contains { $0.contains("actor=1") }, "the learner did not notice actor 1 go silent")
        XCTAssertFalse(silentLines.contains { $0.contains("actor=2") }, "the learner took the other actor for silent")
        XCTAssertLessThanOrEqual(largestOutbox, Double(4 * TrainingConfig().creditsPerActor),
                                 "the cut actor's outbox outgrew its credit")
        XCTAssertEqual(try hostStatus(1).processes.first?.restarts, 0, "the actor was restarted, not reconnected")

        for supervisor in [cutHost, otherHost, learnerHost] {
            supervisor.signal(SIGTERM)
            XCTAssertEqual(supervisor.wait(timeout: 30), 130, supervisor.output)
        }
        var ledger = RolloutLedger()
        for host in 0..<3 { ledger.merge(try XCTUnwrap(hostStatus(host).ledger, "host \(host) wrote no ledger")) }
        let accounting = ledger.accounting
        XCTAssertTrue(accounting.addsUp, "the run's accounting does not add up: \(accounting)")
        XCTAssertGreaterThan(accounting.consumed, 0)
        print("multi-host: link restored → learner hears the actor again in "
              + "\(String(format: "%.2f", learnerHeard ?? .nan)) s, the actor's rollouts are acknowledged again in "
              + "\(String(format: "%.2f", actorAcknowledged ?? .nan)) s; outbox at most \(Int(largestOutbox)) during "
              + "the cut; accounting: \(accounting)")
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

    /// `shoal learner …` listening on host 0's TCP ports 5555 and 5556.
    private func learnerCommand(_ extra: [String]) -> [String] {
        ["shoal", "learner", "--run-id", "hosts", "--rollouts", "tcp://*:5555", "--weights", "tcp://*:5556",
         "--checkpoints", directory.appendingPathComponent("checkpoints").path, "--metrics", metricsPath,
         "--set", "resendSeconds=1"] + extra
    }

    /// `shoal actor …` dialling the learner on host 0.
    private func actorCommand(id: Int, _ extra: [String]) -> [String] {
        ["shoal", "actor", "--run-id", "hosts", "--id", "\(id)", "--learner", "tcp://\(hosts.address(0)):5555",
         "--weights", "tcp://\(hosts.address(0)):5556", "--set", "resendSeconds=1"] + extra
    }

    /// Starts `shoal supervise` on host `index` with the given children, its run directory `host-<index>`.
    private func startSupervisor(on index: Int, children: [(name: String, role: String, id: Int, command: [String])])
        throws -> ShoalProcess
    {
        let runDirectory = directory.appendingPathComponent("host-\(index)")
        try FileManager.default.createDirectory(at: runDirectory, withIntermediateDirectories: true)
        var plan = "runID: hosts\nchildren:\n"
        for child in children {
            let command = child.command.map { "\"\($0)\"" }.joined(separator: ", ")
            plan += "  - {name: \(child.name), role: \(child.role), id: \(child.id), command: [\(command)]}\n"
        }
        let planURL = runDirectory.appendingPathComponent("plan.yaml")
        try plan.write(to: planURL, atomically: true, encoding: .utf8)
        return try start(["shoal", "supervise", planURL.path, "--run-dir", runDirectory.path], on: index,
                         log: "supervisor-\(index).log")
    }

    private func hostStatus(_ index: Int) throws -> RunStatus {
        let path = directory.appendingPathComponent("host-\(index)/status.json").path
        return try RunStatus.decode(RunStatus.readStatusBytes(at: path), from: path)
    }

    private func log(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    private var metricsPath: String { directory.appendingPathComponent("metrics.jsonl").path }

    /// Starts the learner alone (no supervisor) on host 0.
    private func startLearner(_ extra: [String]) throws -> ShoalProcess {
        try start(learnerCommand(extra), on: 0, log: "learner.log")
    }

    /// Starts an actor alone (no supervisor) on host `host`, with the host's number as its id.
    private func startActor(on host: Int) throws -> ShoalProcess {
        try start(actorCommand(id: host, []), on: host, log: "actor-\(host).log")
    }

    /// Runs a `shoal …` command on host `index`.
    private func start(_ command: [String], on index: Int, log: String) throws -> ShoalProcess {
        let process = try ShoalProcess(Array(command.dropFirst()), log: directory.appendingPathComponent(log),
                                       launcher: hosts.launcher(index))
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
