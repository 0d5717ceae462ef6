import Foundation
import Logging
import ShoalWire
import Synchronization
import XCTest
import ZeroMQ

@testable import ShoalRuntime

/// The supervisor in this process over real child processes (shell commands: the `shoal probe` children are
/// exercised in IntegrationTests).
final class SupervisionProcessTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "supervision-\(UUID().uuidString.prefix(8))"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Quick settings; children here send no heartbeats, so the startup timeout must outlast them.
    private func settings() -> SupervisorSettings {
        SupervisorSettings(
            runID: "run-under-test", runDirectory: directory, heartbeatTimeout: .seconds(1),
            startupTimeout: .seconds(30), pollInterval: .milliseconds(20), statusInterval: .milliseconds(100),
            handlesSignals: false)
    }

    /// The supervisor's log is checked through outcomes and files here; keep the test output quiet.
    private var quietLogger: Logger {
        var logger = Logger(label: "test.supervisor")
        logger.logLevel = .critical
        return logger
    }

    private func shell(_ name: String, role: ProcessRole = .actor, id: UInt32 = 0, _ script: String) -> ChildSpec {
        var spec = ChildSpec(name: name, role: role, id: id, executable: "/bin/sh", arguments: ["-c", script])
        spec.restartPolicy = RestartPolicy(
            maxRestarts: 2, window: .seconds(10), initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50))
        spec.shutdownGrace = .seconds(2)
        return spec
    }

    func testChildGetsItsEnvironmentLogAndProcessGroup() throws {
        let script = """
            echo "$SHOAL_INCARNATION $OPENBLAS_NUM_THREADS $SHOAL_RUN_ID $EXTRA"
            echo "group $(cut -d' ' -f5 /proc/$$/stat) pid $$"
            echo oops >&2
            """
        var child = shell("learner", role: .learner, script)
        child.environment = ["EXTRA": "extra-value"]
        let supervisor = try Supervisor(settings: settings(), children: [child], logger: quietLogger)

        XCTAssertEqual(supervisor.run(), .finished(reason: "learner completed the run"))

        let log = try String(contentsOfFile: "\(directory!)/logs/learner.log", encoding: .utf8)
        let lines = log.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "1 1 run-under-test extra-value")
        let words = lines[1].split(separator: " ")
        XCTAssertEqual(words[1], words[3], "the child leads its own process group: \(lines[1])")
        XCTAssertEqual(lines.last, "oops", "stderr goes to the same log")
        let status = try JSONDecoder().decode(
            RunStatus.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory!)/status.json")))
        XCTAssertEqual(status.state, .finished)
        XCTAssertEqual(status.processes.map(\.state), [.stopped])
        XCTAssertNotNil(status.endedAt)
    }

    func testLogIsAppendedAcrossRestarts() throws {
        var child = shell("actor-0", "echo start $SHOAL_INCARNATION; exit 3")
        child.onGiveUp = .failRun
        let supervisor = try Supervisor(settings: settings(), children: [child], logger: quietLogger)

        let outcome = supervisor.run()

        guard case .failed(let reason) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(reason.contains("actor-0") && reason.contains("2 restarts within 10.0 s"), reason)
        let log = try String(contentsOfFile: "\(directory!)/logs/actor-0.log", encoding: .utf8)
        XCTAssertEqual(log, "start 1\nstart 2\nstart 3\n")
    }

    func testAProgramThatCannotStartCountsAsACrash() throws {
        var missing = shell("learner", role: .learner, "unused")
        missing.executable = "\(directory!)/no-such-program"
        let supervisor = try Supervisor(settings: settings(), children: [missing], logger: quietLogger)

        let outcome = supervisor.run()

        XCTAssertEqual(outcome.runState, .failed)
        XCTAssertTrue(outcome.reason.contains("spawn failed"), outcome.reason)
    }

    func testShutdownRequestStopsChildrenByStage() throws {
        // Each child notes when SIGTERM reached it and exits 0, so the log shows the order.
        func trapping(_ name: String, role: ProcessRole, id: UInt32) -> ChildSpec {
            shell(name, role: role, id: id, #"trap 'date +%s.%N; exit 0' TERM; while true; do sleep 0.01; done"#)
        }
        let children = [
            trapping("learner", role: .learner, id: 0), trapping("actor-0", role: .actor, id: 0),
            trapping("actor-1", role: .actor, id: 1),
        ]
        let shutdown = ShutdownRequest()
        let supervisor = try Supervisor(
            settings: settings(), children: children, shutdownRequest: shutdown, logger: quietLogger)
        let running = BackgroundSupervisor(supervisor)
        Thread.sleep(forTimeInterval: 0.3)
        let requested = ContinuousClock.now

        shutdown.request()
        let outcome = try XCTUnwrap(running.wait(timeout: .seconds(5)))

        XCTAssertLessThan(ContinuousClock.now - requested, .seconds(2))
        XCTAssertEqual(outcome.outcome, .interrupted(reason: "shutdown requested"))
        // The last line: the shell may first report that its `sleep` died of the SIGTERM sent to the group.
        let termTimes = try children.map { child in
            let log = try String(contentsOfFile: "\(directory!)/logs/\(child.name).log", encoding: .utf8)
            return try XCTUnwrap(log.split(separator: "\n").last.flatMap { Double($0) }, "\(child.name): \(log)")
        }
        XCTAssertGreaterThanOrEqual(termTimes[0], max(termTimes[1], termTimes[2]), "the learner stops last")
    }

    func testASecondRequestCutsTheGracePeriodShort() throws {
        // `trap '' TERM` is inherited by the shell's `sleep` too, so only SIGKILL ends this child.
        var stubborn = shell("actor-0", "trap '' TERM; while true; do sleep 0.01; done")
        stubborn.shutdownGrace = .seconds(30)
        let shutdown = ShutdownRequest()
        let supervisor = try Supervisor(
            settings: settings(), children: [stubborn], shutdownRequest: shutdown, logger: quietLogger)
        let running = BackgroundSupervisor(supervisor)
        Thread.sleep(forTimeInterval: 0.2)
        let requested = ContinuousClock.now

        shutdown.request()
        Thread.sleep(forTimeInterval: 0.2)
        shutdown.request()
        let outcome = try XCTUnwrap(running.wait(timeout: .seconds(5)))

        XCTAssertLessThan(ContinuousClock.now - requested, .seconds(2), "the 30 s grace was cut short")
        XCTAssertEqual(outcome.outcome.runState, .interrupted)
        let status = try JSONDecoder().decode(
            RunStatus.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory!)/status.json")))
        XCTAssertEqual(status.processes.first?.lastExit, "signal 9 (killed: shutdown hurried by a second request)")
    }

    func testRunEndsWhenNoChildIsLeft() throws {
        var restarting = shell("actor-0", id: 0, "exit 0")
        restarting.onCleanExit = .restart
        let done = shell("actor-1", id: 1, "exit 0")
        let supervisor = try Supervisor(settings: settings(), children: [done], logger: quietLogger)
        XCTAssertEqual(supervisor.run(), .finished(reason: "every child has exited"))
        try FileManager.default.removeItem(atPath: directory)

        let failing = try Supervisor(settings: settings(), children: [restarting, done], logger: quietLogger)
        XCTAssertEqual(failing.run(), .failed(reason: "no child left running; given up: actor-0"))
        let status = try JSONDecoder().decode(
            RunStatus.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory!)/status.json")))
        XCTAssertEqual(status.processes.map(\.state), [.failed, .stopped])
        XCTAssertEqual(status.processes[0].restarts, 2, "clean exits restarted like crashes, within the same limit")
    }

    /// A host's actors finish (the learner is elsewhere): their environment servers, restarted on any exit, do not
    /// keep the run going; they are stopped and the run finishes.
    func testEnvironmentServersDoNotOutliveTheActorsTheyServe() throws {
        let actor = shell("actor-0", id: 0, "sleep 0.3; exit 0")
        let server = shell("env-0-0", role: .envServer, id: 0, "sleep 30")
        let started = ContinuousClock.now
        let supervisor = try Supervisor(settings: settings(), children: [actor, server], logger: quietLogger)
        XCTAssertEqual(supervisor.run(), .finished(reason: "every child has exited"))
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(10), "the server's sleep 30 was not waited out")
        let status = try JSONDecoder().decode(
            RunStatus.self, from: Data(contentsOf: URL(fileURLWithPath: "\(directory!)/status.json")))
        XCTAssertEqual(status.processes.map(\.state), [.stopped, .stopped])
    }

    func testMalformedAndForeignHeartbeatsAreCountedAndIgnored() throws {
        let shutdown = ShutdownRequest()
        let supervisor = try Supervisor(
            settings: settings(), children: [shell("actor-0", "sleep 30")], shutdownRequest: shutdown,
            logger: quietLogger)
        let endpoint = supervisor.heartbeatEndpoint
        let running = BackgroundSupervisor(supervisor)
        let context = try ZMQContext()
        defer { context.close() }
        let push = try ZMQSocket(.push, context: context, options: SocketOptions(linger: .seconds(1)))
        defer { push.close() }
        try push.connect(endpoint)

        func heartbeat(run: String, id: UInt32) -> [UInt8] {
            Heartbeat(runID: run, role: .actor, id: id, pid: 1, host: "h", incarnation: 1, timestampNanos: 0).encode()
        }
        for frame in [[0xFF, 0x01, 0x02], heartbeat(run: "another-run", id: 0), heartbeat(run: "run-under-test", id: 9)]
        {
            XCTAssertEqual(try push.send(frame, timeout: .seconds(1)), .sent)
        }
        Thread.sleep(forTimeInterval: 0.3)
        shutdown.request()
        let result = try XCTUnwrap(running.wait(timeout: .seconds(5)))

        XCTAssertEqual(result.ignoredHeartbeats["malformed"], 1)
        XCTAssertEqual(result.ignoredHeartbeats["wrong_run_id"], 1)
        XCTAssertEqual(result.ignoredHeartbeats["unknown_child"], 1)
        XCTAssertEqual(result.outcome.runState, .interrupted)
    }

    func testHeartbeatSenderNeverBlocksWithoutASupervisor() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let identity = Heartbeat(
            runID: "r", role: .actor, id: 0, pid: 0, host: "", incarnation: 1, timestampNanos: 0)
        let sender = try HeartbeatSender(
            endpoint: "ipc://\(NSTemporaryDirectory())nobody-listens-\(UUID().uuidString.prefix(8))",
            identity: identity, interval: .zero, context: context)
        defer { sender.close() }
        let start = ContinuousClock.now

        for _ in 0..<100 { sender.beat() }

        XCTAssertLessThan(ContinuousClock.now - start, .seconds(1))
        XCTAssertEqual(sender.sentCount + sender.droppedCount, 100)
        XCTAssertGreaterThan(sender.droppedCount, 0, "the small queue fills and further beats are dropped")
    }

    func testHeartbeatSenderIsRateLimited() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let identity = Heartbeat(runID: "r", role: .actor, id: 0, pid: 0, host: "", incarnation: 1, timestampNanos: 0)
        let sender = try HeartbeatSender(
            endpoint: "ipc://\(NSTemporaryDirectory())rate-\(UUID().uuidString.prefix(8))", identity: identity,
            interval: .seconds(60), context: context)
        defer { sender.close() }

        XCTAssertTrue(sender.beat())
        XCTAssertFalse(sender.beat(), "a second beat within the interval is not sent")
        XCTAssertEqual(sender.sentCount, 1)
    }
}

/// A supervisor running on its own thread, since `run()` blocks until the run is over.
private final class BackgroundSupervisor: Sendable {
    private let result = Mutex<(outcome: SupervisionOutcome, ignoredHeartbeats: [String: Int])?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ supervisor: Supervisor) {
        // The supervisor is handed over: this test touches it no more.
        nonisolated(unsafe) let supervisor = supervisor
        Thread.detachNewThread { [self] in
            let outcome = supervisor.run()
            result.withLock { $0 = (outcome, supervisor.ignoredHeartbeats) }
            done.signal()
        }
    }

    /// The outcome, or nil if the run did not end within `timeout`.
    func wait(timeout: Duration) -> (outcome: SupervisionOutcome, ignoredHeartbeats: [String: Int])? {
        guard done.wait(timeout: .now() + timeout.seconds) == .success else { return nil }
        return result.withLock { $0 }
    }
}
