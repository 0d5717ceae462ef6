import Foundation
import ShoalRuntime
import XCTest

/// `shoal supervise` restarting real `shoal probe` processes that crash, crash-loop or fall silent.
final class SupervisorRestartTests: XCTestCase {
    private var run: SupervisedRun!

    override func tearDown() {
        run?.cleanUp()
    }

    func testCrashedChildIsRestartedWithNewIncarnationAndGrowingDelay() throws {
        run = try SupervisedRun(
            children: [
                "{name: learner, role: learner, command: [shoal, probe, --role, learner, --exit-after, '2.4']}",
                "{name: actor-0, role: actor, command: [shoal, probe, --exit-after, '0.1', --exit-code, '1']}",
            ],
            restart: "{maxRestarts: 10, window: 60, initialBackoff: 0.1, maxBackoff: 4, jitter: 0}")

        XCTAssertEqual(run.waitForExit(timeout: 10), 0, run.supervisorLog)

        let events = run.events(of: "actor-0")
        let starts = events.filter { $0.event == "start" }
        let exits = events.filter { $0.event == "exit code=1" }
        XCTAssertGreaterThanOrEqual(starts.count, 4, "\(events)")
        XCTAssertEqual(starts.map(\.incarnation), Array(1...starts.count), "each start is the next incarnation")
        XCTAssertEqual(Set(starts.map(\.pid)).count, starts.count, "each start is a new process")
        // The time from one incarnation's exit to the next one's start: the backoff (0.1 s doubling) plus
        // noticing the exit and starting the program.
        let gaps = zip(exits, starts.dropFirst()).map { $1.time - $0.time }
        for (restart, gap) in gaps.enumerated() {
            let backoff = 0.1 * Double(1 << restart)
            XCTAssertGreaterThanOrEqual(gap, backoff, "restart \(restart + 1) waited at least its backoff")
            XCTAssertLessThan(gap, backoff + 0.6, "restart \(restart + 1) not much later than its backoff")
        }
        XCTAssertGreaterThan(gaps.last! - gaps.first!, 0.2, "delays grow: \(gaps)")
        // The end of the run may catch one more incarnation before it could log its start.
        let restarts = try XCTUnwrap(run.status()?.processes.first { $0.name == "actor-0" }?.restarts)
        XCTAssertTrue(
            (starts.count - 1...starts.count).contains(restarts), "\(restarts) restarts, \(starts.count) starts")
    }

    func testCrashLoopIsGivenUpAndTheRunContinuesWithoutIt() throws {
        run = try SupervisedRun(children: [
            "{name: learner, role: learner, command: [shoal, probe, --role, learner, --exit-after, '1.5']}",
            "{name: actor-0, role: actor, id: 0, command: [shoal, probe, --id, '0']}",
            "{name: actor-1, role: actor, id: 1, command: [shoal, probe, --id, '1', --crash-at-start]}",
        ])

        XCTAssertEqual(run.waitForExit(timeout: 10), 0, "the run still finishes: \(run.supervisorLog)")

        XCTAssertEqual(run.events(of: "actor-1").filter { $0.event == "start" }.count, 4, "started once + 3 restarts")
        let log = run.supervisorLog
        XCTAssertTrue(
            log.contains("giving up on actor-1: it ended again (exit 1) after 3 restarts within 10.0 s; "
                + "the run continues without it"), log)
        let status = try XCTUnwrap(run.status())
        XCTAssertEqual(status.state, .finished)
        XCTAssertEqual(status.processes.first { $0.name == "actor-1" }?.state, .failed)
        XCTAssertEqual(
            run.events(of: "actor-0").map(\.event), ["start", "sigterm", "exit code=0"],
            "the healthy actor ran on until the learner finished")
    }

    func testCrashLoopOfTheLearnerFailsTheRun() throws {
        run = try SupervisedRun(children: [
            "{name: learner, role: learner, command: [shoal, probe, --role, learner, --crash-at-start]}",
            "{name: actor-0, role: actor, command: [shoal, probe]}",
        ])

        XCTAssertEqual(run.waitForExit(timeout: 10), 1, run.supervisorLog)

        let status = try XCTUnwrap(run.status())
        XCTAssertEqual(status.state, .failed)
        let outcome = try XCTUnwrap(status.outcome)
        XCTAssertTrue(outcome.contains("giving up on learner") && outcome.contains("the run fails"), outcome)
        XCTAssertEqual(status.processes.map(\.state), [.failed, .stopped])
        XCTAssertEqual(run.events(of: "actor-0").last?.event, "exit code=0", "the actor was stopped with SIGTERM")
        for pid in run.allChildPIDs() { XCTAssertTrue(isGone(pid), "pid \(pid) left behind") }
    }

    func testStoppedChildIsDetectedAsSilentKilledAndRestarted() throws {
        run = try SupervisedRun(children: [
            "{name: learner, role: learner, command: [shoal, probe, --role, learner]}",
            "{name: actor-0, role: actor, command: [shoal, probe]}",
        ])
        let before = try XCTUnwrap(run.waitUntilAllRunning(), run.supervisorLog)
        let stopped = try XCTUnwrap(before.processes.first { $0.name == "actor-0" }?.pid)

        kill(stopped, SIGSTOP)
        let stoppedAt = ContinuousClock.now
        let after = run.waitForStatus(timeout: 5) { status in
            status.processes.contains { $0.name == "actor-0" && $0.incarnation == 2 && $0.state == .running }
        }
        let detection = (ContinuousClock.now - stoppedAt) / .seconds(1)

        let actor = try XCTUnwrap(after?.processes.first { $0.name == "actor-0" }, run.supervisorLog)
        // Silent from its last beat (at most 0.1 s before SIGSTOP): killed after the 1 s timeout, restarted after
        // 50 ms, and up once its first heartbeat arrives.
        XCTAssertGreaterThan(detection, 0.85, "not killed before the heartbeat timeout")
        XCTAssertLessThan(detection, 2.5, "noticed within the heartbeat timeout and some slack")
        XCTAssertEqual(actor.lastExit, "signal 9 (killed: no heartbeat for 1.0 s)")
        XCTAssertNotEqual(actor.pid, stopped)
        XCTAssertTrue(isGone(stopped))
        XCTAssertEqual(after?.processes.first { $0.name == "learner" }?.incarnation, 1, "the learner was left alone")
    }
}
