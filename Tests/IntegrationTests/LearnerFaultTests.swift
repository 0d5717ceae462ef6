import Foundation
import ShoalCore
import ShoalRuntime
import XCTest

/// The learner stalled and killed, and the supervisor killed, in a real `shoal train` run.
final class LearnerFaultTests: XCTestCase {
    /// SIGSTOP then SIGCONT of the learner (within the heartbeat timeout): actors stop producing at their credit,
    /// keep bounded memory, and resume; nothing is consumed twice.
    func testStalledLearnerLeavesActorsBoundedAndTrainingResumes() throws {
        let live = try LiveRun("learner-stall", ["--set", "targetReturn=none", "--max-seconds", "120",
                                                 "--set", "heartbeatTimeoutSeconds=6"])
        try live.waitUntil("learner version 20", timeout: 30) { _ in try live.learnerStat("policy_version") >= 20 }
        let memoryBefore = try (0..<2).map { try live.process("actor-\($0)").stats["peak_rss_mib"] ?? 0 }

        try live.chaos.inject(.stop, into: "learner")
        Thread.sleep(forTimeInterval: 3)
        let duringStall = try (0..<2).map { try live.process("actor-\($0)") }
        try live.chaos.inject(.resume, into: "learner")
        let versionAfterStall = try live.learnerStat("policy_version")
        try live.waitUntil("training to resume", timeout: 15) { _ in
            try live.learnerStat("policy_version") > versionAfterStall + 50
        }
        for (index, actor) in duringStall.enumerated() {
            XCTAssertLessThanOrEqual(actor.stats["unacknowledged"] ?? 99, 2, "actor-\(index) exceeded its credit")
            XCTAssertLessThan((actor.stats["peak_rss_mib"] ?? 0) - memoryBefore[index], 4, "actor-\(index) memory grew")
        }
        let (code, status) = try live.interrupt()
        XCTAssertEqual(code, 130)
        XCTAssertEqual(status.processes.first { $0.name == "learner" }?.restarts, 0, "the stall was not a crash")
        XCTAssertAccountingAddsUp(status.accounting)
    }

    /// SIGKILL of the learner at random moments, checkpoints written every 0.2 s so that some kills land during
    /// writes: each time it is restarted from the newest complete checkpoint and continues its version sequence,
    /// no partial file ever sits under a checkpoint's name, actors reconnect by themselves, and the run still
    /// reaches its target with every rollout accounted for.
    func testLearnerKilledRepeatedlyResumesFromCheckpointsAndReachesTarget() throws {
        let live = try LiveRun("learner-kill", ["--max-env-steps", "5000000", "--set", "maxRestarts=10",
                                                "--set", "checkpointSeconds=0.2"])
        var generator = SeededGenerator(seed: 7)
        var resumedVersions: [UInt64] = []
        // Up to four kills; a fast machine may solve CartPole between kills, which ends the loop early.
        for kill in 1...4 {
            let running = try live.waitUntil("learner incarnation \(kill) running or the run over", timeout: 30) {
                status in
                status.state == .finished || status.processes.contains {
                    $0.name == "learner" && $0.incarnation == UInt32(kill) && $0.state == .running
                }
            }
            if running.state == .finished { break }
            Thread.sleep(forTimeInterval: 0.1 + 0.4 * generator.nextUnitDouble())
            let store = CheckpointStore(directory: live.run.checkpointsPath)
            guard let newest = try store.list().last?.version else { continue }
            guard (try? live.chaos.inject(.kill, into: "learner")) != nil else { break }  // it had just finished
            try assertEveryCheckpointLoads(in: store)
            let restarted = try live.waitUntil("learner incarnation \(kill + 1) or the run over", timeout: 30) {
                status in
                status.state == .finished
                    || status.processes.contains { $0.name == "learner" && $0.incarnation == UInt32(kill + 1) }
            }
            if restarted.state == .finished { break }
            // The restarted learner resumes from the newest complete checkpoint: at least the one seen before the
            // kill (a newer one may have completed in between).
            let resumed = try XCTUnwrap(resumedVersion(incarnation: kill + 1, timeout: 30) {
                try live.log(of: "learner")
            }, "incarnation \(kill + 1) did not resume")
            XCTAssertGreaterThanOrEqual(resumed, newest)
            resumedVersions.append(resumed)
        }
        XCTAssertGreaterThanOrEqual(resumedVersions.count, 2, "the run ended before the learner was killed twice")
        XCTAssertEqual(resumedVersions, resumedVersions.sorted(), "versions went backwards across restarts")
        XCTAssertEqual(live.train.wait(timeout: 180), 0, live.train.output.suffix(3_000).description)
        let status = try live.status
        XCTAssertEqual(status.state, .finished)
        XCTAssertTrue(status.outcome?.contains("completed") == true, status.outcome ?? "")
        let records = try MetricsFile.records(at: live.run.metricsPath)
        let finalReturn = records.last { $0.values["charts/episodic_return"] != nil }?.values["charts/episodic_return"]
        XCTAssertGreaterThanOrEqual(finalReturn ?? 0, 475)
        XCTAssertAccountingAddsUp(status.accounting)
        try assertEveryCheckpointLoads(in: CheckpointStore(directory: live.run.checkpointsPath))
    }

    /// SIGKILL of the supervisor (the `shoal train` process): every child dies with it.
    func testKilledSupervisorLeavesNoOrphans() throws {
        let live = try LiveRun("supervisor-kill", ["--set", "targetReturn=none", "--max-seconds", "120"])
        let pids = try live.status.processes.compactMap(\.pid)
        XCTAssertEqual(pids.count, 3)
        live.train.signal(SIGKILL)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && pids.contains(where: { kill($0, 0) == 0 }) { usleep(20_000) }
        for pid in pids { XCTAssertNotEqual(kill(pid, 0), 0, "pid \(pid) outlived its supervisor") }
    }

    // MARK: - Helpers

    /// Every file named like a checkpoint decodes and passes its checksum: none is a partial write.
    private func assertEveryCheckpointLoads(in store: CheckpointStore, file: StaticString = #filePath,
                                            line: UInt = #line) throws {
        for checkpoint in try store.list() {
            // A pruned file may vanish between listing and loading; only existing files must be whole.
            guard FileManager.default.fileExists(atPath: checkpoint.path) else { continue }
            do {
                _ = try store.load(checkpoint)
            } catch where FileManager.default.fileExists(atPath: checkpoint.path) {
                XCTFail("\(checkpoint.path) is not a complete checkpoint: \(error)", file: file, line: line)
            }
        }
    }

    /// The version in a learner incarnation's "resumed" log line, re-reading the log until it appears.
    private func resumedVersion(incarnation: Int, timeout: Double, log: () throws -> String) -> UInt64? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let line = ((try? log()) ?? "").split(separator: "\n").first {
                $0.hasSuffix("resumed") && $0.contains("incarnation=\(incarnation) ")
            }
            if let line, let range = line.range(of: "version=") {
                return UInt64(line[range.upperBound...].prefix { $0.isNumber })
            }
            usleep(50_000)
        }
        return nil
    }
}
