import Foundation
import XCTest

/// SIGTERM ends every role within a bounded time, also when its peer never connected.
final class ShutdownTests: XCTestCase {
    func testLearnerWithoutActorsStopsPromptly() throws {
        let directory = try temporaryDirectory("lonely-learner")
        let learner = try ShoalProcess(
            ["learner", "--run-id", "lonely", "--rollouts", "ipc://\(directory.path)/r", "--weights",
             "ipc://\(directory.path)/w", "--checkpoints", directory.appendingPathComponent("ckpt").path],
            log: directory.appendingPathComponent("learner.log"))
        defer { learner.kill() }
        try assertStopsWithinBound(learner, seconds: 3)
    }

    func testActorWithoutLearnerStopsPromptly() throws {
        let directory = try temporaryDirectory("lonely-actor")
        let actor = try ShoalProcess(
            ["actor", "--run-id", "lonely", "--id", "0", "--learner", "tcp://127.0.0.1:1", "--weights",
             "ipc://\(directory.path)/nobody"],
            log: directory.appendingPathComponent("actor.log"))
        defer { actor.kill() }
        try assertStopsWithinBound(actor, seconds: 4)
    }

    func testTrainWithAStalledChildStopsWithinItsGrace() throws {
        let live = try LiveRun("stalled-shutdown", ["--set", "targetReturn=none", "--max-seconds", "120"])
        try live.chaos.inject(.stop, into: "actor-1")
        let started = Date()
        let (code, _) = try live.interrupt()
        XCTAssertEqual(code, 130)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    /// Lets the process start, sends SIGTERM and expects a clean exit within `seconds`.
    private func assertStopsWithinBound(_ process: ShoalProcess, seconds: Double, file: StaticString = #filePath,
                                        line: UInt = #line) throws {
        Thread.sleep(forTimeInterval: 0.5)
        let sent = Date()
        process.signal(SIGTERM)
        let code = process.wait(timeout: seconds + 5)
        let elapsed = Date().timeIntervalSince(sent)
        XCTAssertEqual(code, 0, process.output, file: file, line: line)
        XCTAssertLessThan(elapsed, seconds, "took \(elapsed) s", file: file, line: line)
    }
}
