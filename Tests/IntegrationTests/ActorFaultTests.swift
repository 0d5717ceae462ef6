import Foundation
import ShoalRuntime
import XCTest

/// Actors killed, crash-looping and stalled in a real `shoal train` run.
final class ActorFaultTests: XCTestCase {
    private let longRun = ["--set", "targetReturn=none", "--max-seconds", "120", "--max-env-steps", "1000000000"]

    /// SIGKILL mid-unroll: the actor is back with a new incarnation within a few heartbeat intervals, starts from
    /// weights at least as new as the learner's at the restart, and the learner's throughput recovers.
    func testKilledActorIsReplacedWithCurrentWeightsAndThroughputRecovers() throws {
        let live = try LiveRun("actor-kill", longRun)
        try live.waitUntil("learner version 20", timeout: 30) { _ in try live.learnerStat("policy_version") >= 20 }
        let stepsBefore = try live.learnerStat("env_steps")

        let killedAt = Date()
        try live.chaos.inject(.kill, into: "actor-0")
        let versionAtKill = try live.learnerStat("policy_version")
        try live.waitUntil("actor-0 incarnation 2 running", timeout: 10) { status in
            status.processes.contains { $0.name == "actor-0" && $0.incarnation == 2 && $0.state == .running }
        }
        let restartSeconds = Date().timeIntervalSince(killedAt)
        XCTAssertLessThan(restartSeconds, 5, "restart took \(restartSeconds) s")

        let firstVersion = try XCTUnwrap(try firstWeightsVersion(in: live.log(of: "actor-0"), incarnation: 2))
        XCTAssertGreaterThanOrEqual(Double(firstVersion), versionAtKill)

        // Throughput recovers: both actors feed the learner again.
        let stepsAtRestart = try live.learnerStat("env_steps")
        XCTAssertGreaterThan(stepsAtRestart, stepsBefore)
        try live.waitUntil("actor-0's new incarnation to produce", timeout: 10) { status in
            (status.processes.first { $0.name == "actor-0" }?.stats["produced"] ?? 0) >= 20
        }
        let (code, status) = try live.interrupt()
        XCTAssertEqual(code, 130)
        XCTAssertAccountingAddsUp(status.accounting)
        XCTAssertEqual(status.processes.first { $0.name == "actor-0" }?.restarts, 1)
        print("actor restart took \(String(format: "%.2f", restartSeconds)) s")
    }

    /// An actor that dies as soon as it starts is restarted with growing delays, then given up with a message
    /// naming it; the run goes on with the healthy actor and finishes.
    func testCrashLoopingActorIsGivenUpAndTheRunContinues() throws {
        let live = try LiveRun("crash-loop", longRun + ["--set", "maxRestarts=2"])
        var pids: Set<Int32> = []
        while pids.count < 3 {
            let status = try live.waitUntil("actor-1 up again", timeout: 30) { status in
                status.processes.contains { $0.name == "actor-1" && $0.pid.map { !pids.contains($0) } == true }
            }
            let pid = try XCTUnwrap(status.processes.first { $0.name == "actor-1" }?.pid)
            pids.insert(pid)
            kill(pid, SIGKILL)
        }
        let givenUp = try live.waitUntil("actor-1 given up", timeout: 30) { status in
            status.processes.contains { $0.name == "actor-1" && $0.state == .failed }
        }
        let versionAtGiveUp = try live.learnerStat("policy_version")
        try live.waitUntil("the learner to keep training", timeout: 20) { _ in
            try live.learnerStat("policy_version") > versionAtGiveUp + 50
        }
        XCTAssertEqual(givenUp.processes.first { $0.name == "learner" }?.state, .running)
        let (code, status) = try live.interrupt()
        // Restart delays grow (backoff doubles from 0.25 s, less up to 20% jitter): as the supervisor announces them,
        // not timed from here, where status.json, rewritten only every so often, blurs the timing.
        let delays = announcedRestartDelays(of: "actor-1", in: live.train.output)
        XCTAssertEqual(delays.count, 2, live.train.output)
        XCTAssertGreaterThan(delays.last ?? 0, delays.first ?? 0, "restart delays grow: \(delays)")
        XCTAssertEqual(code, 130)
        XCTAssertTrue(live.train.output.contains("actor-1"), live.train.output)
        XCTAssertTrue(live.train.output.lowercased().contains("giving up") || live.train.output.lowercased().contains("gave up"),
                      live.train.output)
        XCTAssertAccountingAddsUp(status.accounting)
    }

    /// A stalled actor (SIGSTOP) that comes back before the timeout finds its rollouts stale: dropped and counted;
    /// one stalled past the timeout is killed and replaced; the learner never stops training meanwhile.
    func testStalledActorsRolloutsAreDroppedAsStaleOrItIsReplaced() throws {
        let live = try LiveRun("actor-stall", longRun + ["--set", "maxPolicyLag=3",
                                                         "--set", "heartbeatTimeoutSeconds=3"])
        try live.waitUntil("learner version 20", timeout: 30) { _ in try live.learnerStat("policy_version") >= 20 }

        let staleBefore = try live.learnerStat("dropped/stale")
        try live.chaos.inject(.stop, into: "actor-0")
        let versionAtStop = try live.learnerStat("policy_version")
        Thread.sleep(forTimeInterval: 1.5)
        try live.chaos.inject(.resume, into: "actor-0")
        XCTAssertGreaterThan(try live.learnerStat("policy_version"), versionAtStop + 3, "the learner stalled too")
        try live.waitUntil("stale rollouts dropped", timeout: 10) { _ in
            try live.learnerStat("dropped/stale") > staleBefore
        }

        try live.chaos.inject(.stop, into: "actor-0")
        let replaced = try live.waitUntil("actor-0 replaced", timeout: 15) { status in
            status.processes.contains { $0.name == "actor-0" && $0.incarnation == 2 && $0.state == .running }
        }
        let lastExit = replaced.processes.first { $0.name == "actor-0" }?.lastExit ?? ""
        XCTAssertTrue(lastExit.contains("no heartbeat"), lastExit)
        let (code, status) = try live.interrupt()
        XCTAssertEqual(code, 130)
        XCTAssertAccountingAddsUp(status.accounting)
    }

    /// The delays the supervisor announced for restarting `name` ("<name> ended (…); restarting in 0.23 s").
    private func announcedRestartDelays(of name: String, in log: String) -> [Double] {
        log.split(separator: "\n").filter { $0.contains("\(name) ended") }.compactMap { line in
            guard let range = line.range(of: "restarting in ") else { return nil }
            return Double(line[range.upperBound...].prefix { $0 != " " })
        }
    }

    /// The version in the "first weights" log line of one incarnation.
    private func firstWeightsVersion(in log: String, incarnation: UInt32) -> UInt64? {
        let line = log.split(separator: "\n").first {
            $0.hasSuffix("first weights") && $0.contains("incarnation=\(incarnation) ")
        }
        guard let line, let range = line.range(of: "version=v") else { return nil }
        return UInt64(line[range.upperBound...].prefix { $0.isNumber })
    }
}
