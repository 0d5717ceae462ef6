import Foundation
import ShoalCore
import ShoalRuntime
import XCTest

/// `shoal train` end to end: a supervisor, a learner and actors as real processes over real ipc sockets.
final class TrainCommandTests: XCTestCase {
    /// A small-budget run finishes cleanly, its return rises well above a random policy's (≈ 22), and it leaves no
    /// socket file behind.
    func testSmallBudgetRunImprovesTheReturn() throws {
        let runs = try temporaryDirectory("train")
        let train = try ShoalProcess(
            ["train", "--runs-dir", runs.path, "--max-env-steps", "120000", "--set", "targetReturn=none"],
            log: runs.appendingPathComponent("train.log"))
        defer { train.kill() }
        XCTAssertEqual(train.wait(timeout: 120), 0, train.output)
        let run = try onlyRun(in: runs)
        let records = try MetricsFile.records(at: run.metricsPath)
        let finalReturn = try XCTUnwrap(records.last { $0.values["charts/episodic_return"] != nil }?
            .values["charts/episodic_return"])
        XCTAssertGreaterThan(finalReturn, 60, "mean return of the last 100 episodes")
        let status = try RunStatus.read(from: run.statusPath)
        XCTAssertEqual(status.state, .finished)
        XCTAssertTrue(status.accounting.addsUp, "\(status.accounting)")
        XCTAssertGreaterThan(status.accounting.consumed, 0)
        let sockets = try FileManager.default.contentsOfDirectory(atPath: run.path).filter { $0.hasSuffix(".sock") }
        XCTAssertEqual(sockets, [], "every process removes the socket files it bound")
    }

    /// Ctrl-C stops every process, leaves a loadable checkpoint and exits 130.
    /// `--print-config` prints the resolved config with each field's source and starts nothing.
    func testPrintConfigShowsSourcesAndStartsNothing() throws {
        let runs = try temporaryDirectory("print-config")
        let train = try ShoalProcess(
            ["train", "--runs-dir", runs.path, "--set", "env=Pendulum-v1", "--seed", "7", "--print-config"],
            log: runs.appendingPathComponent("train.log"))
        XCTAssertEqual(train.wait(timeout: 30), 0, train.output)
        for line in ["env: Pendulum-v1  # --set", "targetReturn: -200.0  # preset Pendulum-v1", "seed: 7  # flag",
                     "activation: tanh  # default"] {
            XCTAssertTrue(train.output.contains(line), "no '\(line)' in:\n\(train.output)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: runs.path), ["train.log"])
    }

    func testInterruptLeavesNoProcessAndALoadableCheckpoint() throws {
        let runs = try temporaryDirectory("interrupt")
        let train = try ShoalProcess(
            ["train", "--runs-dir", runs.path, "--set", "targetReturn=none", "--max-seconds", "120"],
            log: runs.appendingPathComponent("train.log"))
        defer { train.kill() }
        let run = try waitForRunningProcesses(in: runs, count: 3)
        let status = try RunStatus.read(from: run.statusPath)
        let pids = status.processes.compactMap(\.pid)
        XCTAssertEqual(pids.count, 3)

        train.signal(SIGINT)
        XCTAssertEqual(train.wait(timeout: 30), 130, train.output)
        for pid in pids { XCTAssertEqual(Glibc.kill(pid, 0), -1, "process \(pid) outlived the run") }
        let checkpoint = try CheckpointStore(directory: run.checkpointsPath).loadLatest()
        XCTAssertNotNil(checkpoint, "no loadable checkpoint after Ctrl-C")
        XCTAssertEqual(try RunStatus.read(from: run.statusPath).state, .interrupted)
    }

    /// `--resume` continues from the newest checkpoint: the version sequence and the step count go on.
    func testResumeContinuesVersionAndStepCount() throws {
        let runs = try temporaryDirectory("resume")
        let first = try ShoalProcess(
            ["train", "--runs-dir", runs.path, "--max-env-steps", "30000", "--set", "targetReturn=none"],
            log: runs.appendingPathComponent("first.log"))
        defer { first.kill() }
        XCTAssertEqual(first.wait(timeout: 120), 0, first.output)
        let run = try onlyRun(in: runs)
        let store = CheckpointStore(directory: run.checkpointsPath)
        let before = try XCTUnwrap(try store.loadLatest()).state

        let second = try ShoalProcess(
            ["train", "--resume", run.path, "--max-env-steps", "60000"],
            log: runs.appendingPathComponent("second.log"))
        defer { second.kill() }
        XCTAssertEqual(second.wait(timeout: 120), 0, second.output)
        let after = try XCTUnwrap(try store.loadLatest()).state
        XCTAssertGreaterThan(after.version, before.version)
        XCTAssertGreaterThanOrEqual(after.counters["env_steps"] ?? 0, 60000)
        XCTAssertGreaterThanOrEqual(before.counters["env_steps"] ?? 0, 30000)
        let learnerLog = try String(contentsOfFile: run.logPath(for: "learner"), encoding: .utf8)
        XCTAssertTrue(learnerLog.contains("version=\(before.version)"), "the learner did not resume: \(learnerLog)")
    }

    // MARK: - Helpers

    /// Waits until status.json shows `count` processes that have sent a heartbeat.
    private func waitForRunningProcesses(in runs: URL, count: Int) throws -> RunDirectory {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let run = try? onlyRun(in: runs), let status = try? RunStatus.read(from: run.statusPath),
               status.processes.filter({ $0.state == .running }).count == count {
                return run
            }
            usleep(100_000)
        }
        throw Timeout(what: "\(count) running processes in status.json under \(runs.path)")
    }
}
