import Foundation
import ShoalRuntime
import XCTest

/// The short version of the chaos run (the benchmark-sized one is scripts/chaos-run.sh): CartPole training while
/// random actors are killed or stalled and the learner is killed now and then; the run still solves CartPole and
/// every rollout is accounted for, none consumed twice.
final class ChaosRunTests: XCTestCase {
    func testTrainingSurvivesRandomFaultsAndTheAccountingAddsUp() throws {
        let live = try LiveRun("chaos", ["--max-env-steps", "10000000", "--set", "maxRestarts=30",
                                         "--set", "checkpointSeconds=0.3"])
        var chaos = ChaosRun(driver: live.chaos,
                             schedule: ChaosSchedule(seed: 3, learnerProbability: 0.2, maxStopSeconds: 2.5),
                             interval: 0.6)
        let faults = chaos.run(seconds: 8) { print("chaos: \($0)") }
        XCTAssertEqual(live.train.wait(timeout: 240), 0, live.train.output.suffix(3_000).description)
        let status = try live.status
        XCTAssertEqual(status.state, .finished)
        XCTAssertTrue(status.outcome?.contains("completed") == true, status.outcome ?? "")
        let finalReturn = try MetricsFile.records(at: live.run.metricsPath)
            .last { $0.values["charts/episodic_return"] != nil }?.values["charts/episodic_return"]
        XCTAssertGreaterThanOrEqual(finalReturn ?? 0, 475)
        XCTAssertAccountingAddsUp(status.accounting)
        print("chaos: \(faults.count) faults; accounting \(status.accounting)")
        // The run may solve CartPole before many faults land; it must at least have been hit.
        XCTAssertGreaterThanOrEqual(faults.count, 1)
    }
}
