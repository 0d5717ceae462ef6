import Foundation
import XCTest

@testable import ShoalRuntime

final class RunDirectoryTests: XCTestCase {
    private var base = ""

    override func setUpWithError() throws {
        base = NSTemporaryDirectory() + "shoal-runs-\(UUID().uuidString.prefix(8))"
        addTeardownBlock { [base] in try? FileManager.default.removeItem(atPath: base) }
    }

    func testNameIsEnvNameSeedAndUTCStartTime() {
        var config = TrainingConfig()
        config.name = "my exp/1"
        config.seed = 7
        // 1_700_000_000 is 2023-11-14 22:13:20 UTC.
        let name = RunDirectory.name(for: config, startedAt: Date(timeIntervalSince1970: 1_700_000_000.9))
        XCTAssertEqual(name, "CartPole-v1__my_exp_1__7__20231114-221320")
    }

    func testCreateLaysOutTheDirectory() throws {
        let start = Date()
        let run = try RunDirectory.create(for: TrainingConfig(), under: base, startedAt: start)
        XCTAssertEqual(run.runID, RunDirectory.name(for: TrainingConfig(), startedAt: start))
        XCTAssertTrue(run.path.hasPrefix("/"), run.path)
        XCTAssertEqual(URL(fileURLWithPath: run.path).deletingLastPathComponent().standardizedFileURL.path,
                       URL(fileURLWithPath: base).standardizedFileURL.path)
        for directory in [run.path, run.logsPath, run.checkpointsPath] {
            XCTAssertTrue(isDirectory(directory), directory)
        }
        for file in [run.configPath, run.metricsPath, run.statusPath, run.logPath(for: "actor-3")] {
            XCTAssertTrue(file.hasPrefix(run.path + "/"), file)
        }
        XCTAssertEqual(run.logPath(for: "actor-3"), run.logsPath + "/actor-3.log")
    }

    func testRunsStartedTogetherGetDistinctDirectories() throws {
        let start = Date()
        let first = try RunDirectory.create(for: TrainingConfig(), under: base, startedAt: start)
        let second = try RunDirectory.create(for: TrainingConfig(), under: base, startedAt: start)
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(second.runID, first.runID + "-2")
        XCTAssertTrue(isDirectory(second.logsPath))
    }

    func testOpenFindsAnExistingRunAndRestoresItsFolders() throws {
        let run = try RunDirectory.create(for: TrainingConfig(), under: base)
        try FileManager.default.removeItem(atPath: run.logsPath)
        let reopened = try RunDirectory.open(run.path)
        XCTAssertEqual(reopened, run)
        XCTAssertTrue(isDirectory(run.logsPath))
        XCTAssertThrowsError(try RunDirectory.open(base + "/no-such-run")) { error in
            XCTAssertEqual((error as? ShoalRuntimeError)?.code, .notFound)
        }
    }

    func testResolvedConfigIsWrittenAndReadBack() throws {
        var config = TrainingConfig()
        config.learningRate = 3e-4
        config.targetReturn = nil
        let run = try RunDirectory.create(for: config, under: base)
        try run.writeConfig(config)
        XCTAssertEqual(try RunDirectory.open(run.path).readConfig(), config)
    }

    func testShortPathsKeepSocketsInTheRunDirectory() throws {
        let run = try RunDirectory.create(for: TrainingConfig(), under: base)
        XCTAssertEqual(run.supervisorEndpoint, "ipc://\(run.path)/supervisor.sock")
        XCTAssertEqual(run.ipcEndpoint(named: "rollouts"), "ipc://\(run.path)/rollouts.sock")
    }

    func testLongPathsFallBackToShortSocketsUnderTmp() throws {
        let deep = base + "/" + String(repeating: "deep/", count: 20)
        let first = try RunDirectory.create(for: TrainingConfig(), under: deep)
        var other = TrainingConfig()
        other.seed = 2
        let second = try RunDirectory.create(for: other, under: deep)
        for run in [first, second] {
            let path = String(run.supervisorEndpoint.dropFirst("ipc://".count))
            XCTAssertGreaterThan("\(run.path)/supervisor.sock".utf8.count, RunDirectory.maxSocketPathBytes)
            XCTAssertTrue(path.hasPrefix("/tmp/shoal-"), path)
            XCTAssertLessThanOrEqual(path.utf8.count, RunDirectory.maxSocketPathBytes)
            XCTAssertEqual(try RunDirectory.open(run.path).supervisorEndpoint, run.supervisorEndpoint)
        }
        XCTAssertNotEqual(first.supervisorEndpoint, second.supervisorEndpoint)
        XCTAssertNotEqual(first.supervisorEndpoint, first.ipcEndpoint(named: "rollouts"))
    }

    func testStatusFileRoundTripsEvenWithNonFiniteStats() throws {
        let run = try RunDirectory.create(for: TrainingConfig(), under: base)
        var status = RunStatus(runID: run.runID, state: .running, startedAt: 1_000, supervisorPID: 42, processes: [
            ProcessStatus(name: "learner", role: "learner", id: 0, pid: 43, state: .running, incarnation: 1,
                          lastHeartbeat: 1_010, stats: ["envSteps": 1_200]),
        ])
        status.accounting.produced = 5
        status.accounting.dropped = ["stale": 1]
        try status.write(to: run.statusPath)
        XCTAssertEqual(try RunStatus.read(from: run.statusPath), status)

        status.processes[0].stats["loss"] = .nan
        try status.write(to: run.statusPath)
        XCTAssertTrue(try RunStatus.read(from: run.statusPath).processes[0].stats["loss"]?.isNaN == true)
    }

    func testMissingAndGarbledStatusFilesAreTold() throws {
        let run = try RunDirectory.create(for: TrainingConfig(), under: base)
        XCTAssertThrowsError(try RunStatus.read(from: run.statusPath)) { error in
            XCTAssertEqual((error as? ShoalRuntimeError)?.code, .notFound)
        }
        try Data("{\"runID\": \"x\", \"state\": \"running\"".utf8).write(to: URL(fileURLWithPath: run.statusPath))
        XCTAssertThrowsError(try RunStatus.read(from: run.statusPath)) { error in
            XCTAssertEqual((error as? ShoalRuntimeError)?.code, .garbled)
            XCTAssertTrue("\(error)".contains(run.statusPath), "\(error)")
        }
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
