import Foundation
import ShoalCore
import ShoalRuntime
import XCTest

/// Learner and actors as real processes over real ipc sockets.
final class LateActorTests: XCTestCase {
    /// An actor that joins a run in progress gets the learner's current weights before its first unroll.
    func testLateActorReceivesCurrentWeightsBeforeItsFirstUnroll() throws {
        let directory = try temporaryDirectory("late")
        let common = ["--run-id", "late", "--set", "targetReturn=none", "--set", "maxSeconds=30",
                      "--set", "checkpointSeconds=0.2"]
        let endpoints = ("ipc://\(directory.path)/rollouts", "ipc://\(directory.path)/weights")
        let checkpoints = directory.appendingPathComponent("checkpoints").path
        let learner = try ShoalProcess(
            ["learner"] + common + ["--rollouts", endpoints.0, "--weights", endpoints.1, "--checkpoints", checkpoints],
            log: directory.appendingPathComponent("learner.log"))
        defer { learner.kill() }
        let early = try ShoalProcess(
            ["actor", "--id", "0"] + common + ["--learner", endpoints.0, "--weights", endpoints.1],
            log: directory.appendingPathComponent("actor-0.log"))
        defer { early.kill() }

        // Wait until the learner has checkpointed a version well past 0.
        let store = CheckpointStore(directory: checkpoints)
        var versionBeforeJoin: UInt64 = 0
        let deadline = Date().addingTimeInterval(20)
        while versionBeforeJoin < 50 && Date() < deadline {
            usleep(100_000)
            versionBeforeJoin = (try? store.list().last?.version) ?? 0
        }
        XCTAssertGreaterThanOrEqual(versionBeforeJoin, 50, "learner did not progress: \(learner.output)")

        let late = try ShoalProcess(
            ["actor", "--id", "1"] + common + ["--learner", endpoints.0, "--weights", endpoints.1],
            log: directory.appendingPathComponent("actor-1.log"))
        defer { late.kill() }
        var firstVersion: UInt64?
        let joinDeadline = Date().addingTimeInterval(10)
        while firstVersion == nil && Date() < joinDeadline {
            usleep(50_000)
            firstVersion = Self.firstWeightsVersion(in: late.output)
        }
        let adopted = try XCTUnwrap(firstVersion, "late actor never adopted weights: \(late.output)")
        XCTAssertGreaterThanOrEqual(adopted, versionBeforeJoin)

        for process in [late, early, learner] {
            process.signal(SIGTERM)
            XCTAssertEqual(process.wait(timeout: 10), 0, process.output)
        }
    }

    /// An actor cut off from the weights broadcasts (here: subscribed to an endpoint nobody binds) gets weights only
    /// by asking for snapshots, and falls behind between them. Once its weights are further behind than
    /// maxPolicyLag it waits for newer ones: it does not spin producing rollouts that the learner drops as stale
    /// (and acknowledges at once), which before this wasted most of its steps (1,914 of 2,247 rollouts in 8 s).
    func testActorCutOffFromBroadcastsWaitsInsteadOfProducingStaleRollouts() throws {
        let directory = try temporaryDirectory("nobroadcast")
        defer { try? FileManager.default.removeItem(at: directory) }
        let common = ["--run-id", "nobroadcast", "--set", "targetReturn=none", "--set", "maxSeconds=5",
                      "--set", "envsPerActor=4"]
        let rollouts = "ipc://\(directory.path)/rollouts"
        let metrics = directory.appendingPathComponent("metrics.jsonl").path
        let learner = try ShoalProcess(
            ["learner"] + common + ["--rollouts", rollouts, "--weights", "ipc://\(directory.path)/weights",
                                    "--metrics", metrics, "--checkpoints", directory.appendingPathComponent("c").path],
            log: directory.appendingPathComponent("learner.log"))
        defer { learner.kill() }
        let actor = try ShoalProcess(
            ["actor", "--id", "0"] + common + ["--learner", rollouts, "--weights", "ipc://\(directory.path)/nowhere"],
            log: directory.appendingPathComponent("actor.log"))
        defer { actor.kill() }

        XCTAssertEqual(learner.wait(timeout: 30), 0, learner.output)
        let last = try XCTUnwrap(try MetricsFile.records(at: metrics).last, learner.output)
        let consumed = last.values["queue/consumed"] ?? 0
        let stale = last.values["queue/dropped_stale"] ?? 0
        XCTAssertGreaterThan(consumed, 50, "learning from snapshots alone: \(learner.output)")
        XCTAssertLessThan(stale, consumed / 4, "\(stale) rollouts dropped as stale, \(consumed) consumed")
        XCTAssertEqual(actor.wait(timeout: 10), 0, actor.output)
    }

    /// The version in the actor's "first weights" log line, e.g. `version=v123 (learner incarnation 1)`.
    private static func firstWeightsVersion(in log: String) -> UInt64? {
        guard let line = log.split(separator: "\n").first(where: { $0.hasSuffix("first weights") }),
              let range = line.range(of: "version=v") else { return nil }
        return UInt64(line[range.upperBound...].prefix { $0.isNumber })
    }
}
