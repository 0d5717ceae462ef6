import Foundation
import XCTest

@testable import ShoalRuntime

final class RunStatusReportTests: XCTestCase {
    private func status(accounting: RolloutAccounting) -> RunStatus {
        RunStatus(runID: "CartPole-v1__shoal__1__20240101-120000", state: .running, startedAt: 1_000,
                  supervisorPID: 4242, processes: [
                      ProcessStatus(name: "learner", role: "learner", id: 0, pid: 4243, state: .running,
                                    incarnation: 1, lastHeartbeat: 1_097.5,
                                    stats: ["envSteps": 12_800, "policyVersion": 100, "queueDepth": 2]),
                      ProcessStatus(name: "actor-1", role: "actor", id: 1, pid: nil, state: .backingOff,
                                    restarts: 3, incarnation: 4, lastHeartbeat: nil,
                                    lastExit: "signal 9 (killed: no heartbeat for 5.0 s)"),
                  ], accounting: accounting)
    }

    private func accounting(produced: Int64, consumed: Int64, dropped: [String: Int64], inFlight: Int64)
        -> RolloutAccounting
    {
        var accounting = RolloutAccounting()
        accounting.produced = produced
        accounting.received = produced + 2
        accounting.consumed = consumed
        accounting.dropped = dropped
        accounting.duplicates = 2
        accounting.inFlight = inFlight
        return accounting
    }

    func testReportShowsTheRunAndEveryProcess() {
        let report = StatusReport.render(
            status(accounting: accounting(produced: 10, consumed: 6, dropped: ["stale": 1], inFlight: 3)),
            now: 1_100, supervisorAlive: true)
        XCTAssertTrue(report.contains("CartPole-v1__shoal__1__20240101-120000"), report)
        XCTAssertTrue(report.contains("pid 4242, alive"), report)
        XCTAssertTrue(report.contains("100.0 s"), report)
        let lines = report.split(separator: "\n").map(String.init)
        let learner = try? XCTUnwrap(lines.first { $0.hasPrefix("learner ") })
        for cell in ["learner", "4243", "running", "2.5 s ago", "envSteps=12800", "policyVersion=100", "queueDepth=2"] {
            XCTAssertTrue(learner?.contains(cell) == true, "\(cell) missing from: \(learner ?? report)")
        }
        let actor = try? XCTUnwrap(lines.first { $0.hasPrefix("actor-1 ") })
        for cell in ["actor", "backing-off", " 3 ", " 4 "] {
            XCTAssertTrue(actor?.contains(cell) == true, "\(cell) missing from: \(actor ?? report)")
        }
        XCTAssertTrue(report.contains("actor-1: signal 9 (killed: no heartbeat for 5.0 s)"), report)
        XCTAssertFalse(report.contains("stale status"), report)
    }

    func testAccountingThatAddsUpSaysYes() {
        let numbers = accounting(produced: 100, consumed: 80, dropped: ["stale": 5, "lost_in_crash": 3], inFlight: 12)
        XCTAssertTrue(numbers.addsUp)
        let report = StatusReport.render(status(accounting: numbers), now: 1_100, supervisorAlive: true)
        XCTAssertEqual(line(of: report, startingWith: "adds up:"),
                       "yes (produced 100 = consumed 80 + dropped 8 + in flight 12)")
        XCTAssertEqual(line(of: report, startingWith: "dropped:"), "8 (lost_in_crash 3, stale 5)")
        XCTAssertTrue(report.contains("received 102"), report)
        XCTAssertTrue(report.contains("duplicates 2"), report)
    }

    func testAccountingThatDoesNotAddUpSaysNoAndByHowMuch() {
        let numbers = accounting(produced: 100, consumed: 80, dropped: ["stale": 5], inFlight: 12)
        XCTAssertFalse(numbers.addsUp)
        XCTAssertEqual(numbers.imbalance, 3)
        let report = StatusReport.render(status(accounting: numbers), now: 1_100, supervisorAlive: true)
        let verdict = line(of: report, startingWith: "adds up:")
        XCTAssertTrue(verdict?.hasPrefix("no ") == true, report)
        XCTAssertTrue(verdict?.hasSuffix("off by 3)") == true, report)
    }

    func testRunningStatusWithoutItsSupervisorIsFlaggedStale() {
        let report = StatusReport.render(
            status(accounting: RolloutAccounting()), now: 1_100, supervisorAlive: false)
        XCTAssertTrue(report.contains("pid 4242, not running"), report)
        XCTAssertTrue(report.contains("stale"), report)
        var finished = status(accounting: RolloutAccounting())
        finished.state = .finished
        finished.endedAt = 1_050
        finished.outcome = "target return reached"
        let finishedReport = StatusReport.render(finished, now: 9_999, supervisorAlive: false)
        XCTAssertFalse(finishedReport.contains("stale"), finishedReport)
        XCTAssertTrue(finishedReport.contains("50.0 s"), finishedReport)
        XCTAssertTrue(finishedReport.contains("target return reached"), finishedReport)
    }

    func testLivenessProbe() {
        XCTAssertTrue(StatusReport.isAlive(pid: getpid()))
        XCTAssertFalse(StatusReport.isAlive(pid: Int32.max))
        XCTAssertFalse(StatusReport.isAlive(pid: 0))
    }

    func testStatusArgumentMayBeTheDirectoryOrTheFile() throws {
        let directory = NSTemporaryDirectory() + "shoal-status-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        XCTAssertEqual(StatusReport.statusPath(forArgument: directory), directory + "/status.json")
        try status(accounting: RolloutAccounting()).write(to: directory + "/status.json")
        XCTAssertEqual(StatusReport.statusPath(forArgument: directory + "/status.json"), directory + "/status.json")
    }

    /// Statuses of one run's two hosts: each host's report, then the whole run's accounting from both ledgers; a
    /// status of another run, or one without a ledger, is refused with its path.
    func testHostsOfOneRunAreReportedTogetherWithTheWholeRunsAccounting() throws {
        var learnerLedger = RolloutLedger()
        learnerLedger.recordLearner(incarnation: 1, stats: ["consumed": 7, "settled/3.1": 7])
        var actorLedger = RolloutLedger()
        actorLedger.recordActor(id: 3, incarnation: 1, stats: ["produced": 9, "acknowledged": 7])
        var learnerHost = status(accounting: learnerLedger.accounting)
        learnerHost.ledger = learnerLedger
        var actorHost = status(accounting: actorLedger.accounting)
        actorHost.ledger = actorLedger

        let alone = StatusReport.render(learnerHost, now: 1_100, supervisorAlive: true)
        XCTAssertTrue(alone.contains("give `shoal status` every host's run directory"), alone)
        let report = try StatusReport.render(hosts: [("a/status.json", learnerHost, nil),
                                                     ("b/status.json", actorHost, nil)], now: 1_100)
        XCTAssertTrue(report.contains("== a/status.json") && report.contains("== b/status.json"), report)
        let whole = try XCTUnwrap(report.components(separatedBy: "== whole run (2 hosts)").last)
        XCTAssertEqual(line(of: whole, startingWith: "adds up:"),
                       "yes (produced 9 = consumed 7 + dropped 0 + in flight 2)")
        XCTAssertFalse(report.contains("every host's run directory"), "no partial-host note when merged: \(report)")

        var otherRun = actorHost
        otherRun.runID = "another-run"
        XCTAssertThrowsError(try StatusReport.render(hosts: [("a", learnerHost, nil), ("b", otherRun, nil)], now: 0)) {
            XCTAssertTrue("\($0)".contains("'b'") && "\($0)".contains("another-run"), "\($0)")
        }
        var noLedger = actorHost
        noLedger.ledger = nil
        XCTAssertThrowsError(try StatusReport.render(hosts: [("a", learnerHost, nil), ("c", noLedger, nil)], now: 0)) {
            XCTAssertTrue("\($0)".contains("'c'") && "\($0)".contains("no rollout ledger"), "\($0)")
        }
    }

    /// The rest of the report's line that starts with `label`, without the padding after the label.
    private func line(of report: String, startingWith label: String) -> String? {
        report.split(separator: "\n").first { $0.hasPrefix(label) }
            .map { String($0.dropFirst(label.count).drop { $0 == " " }) }
    }
}
