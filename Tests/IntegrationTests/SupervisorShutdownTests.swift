import Foundation
import ShoalRuntime
import XCTest

/// How `shoal supervise` and its `shoal probe` children end: on SIGTERM, when the learner completes the run, and
/// when the supervisor itself is killed.
final class SupervisorShutdownTests: XCTestCase {
    private var run: SupervisedRun!

    override func tearDown() {
        run?.cleanUp()
    }

    func testSigtermStopsActorsThenLearnerAndLeavesNothingBehind() throws {
        run = try SupervisedRun(children: [
            "{name: learner, role: learner, command: [shoal, probe, --role, learner, --term-delay, '0.3'], "
                + "shutdownGrace: 3}",
            "{name: actor-0, role: actor, id: 0, command: [shoal, probe, --id, '0'], shutdownGrace: 0.5}",
            "{name: actor-1, role: actor, id: 1, command: [shoal, probe, --id, '1', --ignore-sigterm], "
                + "shutdownGrace: 0.5}",
        ])
        XCTAssertNotNil(run.waitUntilAllRunning(), run.supervisorLog)
        let requested = ContinuousClock.now

        run.process.terminate()
        let exitStatus = run.waitForExit(timeout: 6)
        let shutdown = (ContinuousClock.now - requested) / .seconds(1)

        XCTAssertEqual(exitStatus, 130, run.supervisorLog)
        // actor-1's 0.5 s grace, the learner's 0.3 s "checkpoint", and noticing each exit.
        XCTAssertLessThan(shutdown, 2.5)
        let learnerTerm = try XCTUnwrap(run.events(of: "learner").first { $0.event == "sigterm" })
        let actor0Exit = try XCTUnwrap(run.events(of: "actor-0").first { $0.event == "exit code=0" })
        let actor1Term = try XCTUnwrap(run.events(of: "actor-1").first { $0.event == "sigterm-ignored" })
        XCTAssertGreaterThan(learnerTerm.time, actor0Exit.time, "the learner is stopped after the actors")
        XCTAssertGreaterThan(learnerTerm.time, actor1Term.time + 0.45, "after the stubborn actor's grace ran out")
        XCTAssertEqual(run.events(of: "learner").last?.event, "exit code=0", "the learner finished its checkpoint")
        let status = try XCTUnwrap(run.status())
        XCTAssertEqual(status.state, .interrupted)
        XCTAssertEqual(status.processes.map(\.state), [.stopped, .stopped, .stopped])
        XCTAssertEqual(status.processes.compactMap(\.pid), [])
        XCTAssertEqual(status.processes[2].lastExit, "signal 9 (killed: still running 0.5 s after SIGTERM)")
        let pids = run.allChildPIDs()
        XCTAssertEqual(pids.count, 3)
        for pid in pids { XCTAssertTrue(isGone(pid), "pid \(pid) left behind") }
    }

    func testLearnerExitingCleanlyFinishesTheRun() throws {
        run = try SupervisedRun(children: [
            "{name: learner, role: learner, command: [shoal, probe, --role, learner, --exit-after, '0.5']}",
            "{name: actor-0, role: actor, id: 0, command: [shoal, probe, --id, '0']}",
            "{name: actor-1, role: actor, id: 1, command: [shoal, probe, --id, '1']}",
        ])

        XCTAssertEqual(run.waitForExit(timeout: 5), 0, run.supervisorLog)

        let status = try XCTUnwrap(run.status())
        XCTAssertEqual(status.state, .finished)
        XCTAssertEqual(status.outcome, "learner completed the run")
        XCTAssertEqual(status.processes.map(\.state), [.stopped, .stopped, .stopped])
        for actor in ["actor-0", "actor-1"] {
            XCTAssertEqual(run.events(of: actor).map(\.event), ["start", "sigterm", "exit code=0"], actor)
        }
        for pid in run.allChildPIDs() { XCTAssertTrue(isGone(pid), "pid \(pid) left behind") }
    }

    func testKilledSupervisorTakesItsChildrenWithIt() throws {
        run = try SupervisedRun(children: [
            "{name: learner, role: learner, command: [shoal, probe, --role, learner]}",
            "{name: actor-0, role: actor, id: 0, command: [shoal, probe, --id, '0', --ignore-sigterm]}",
            "{name: actor-1, role: actor, id: 1, command: [shoal, probe, --id, '1']}",
        ])
        XCTAssertNotNil(run.waitUntilAllRunning(), run.supervisorLog)
        let pids = run.allChildPIDs()
        XCTAssertEqual(pids.count, 3)

        kill(run.process.processIdentifier, SIGKILL)

        XCTAssertEqual(run.waitForExit(timeout: 5), SIGKILL)
        let orphans = poll(timeout: 2) { pids.allSatisfy(isGone) ? [Int32]() : nil } ?? pids.filter { !isGone($0) }
        XCTAssertEqual(orphans, [], "children outlived their supervisor")
    }
}
