import ShoalCore
import XCTest

@testable import ShoalRuntime

final class InProcessTrainerTests: XCTestCase {
    /// A small, seeded CartPole run with a lagging actor learns well beyond a random policy (mean return ≈ 22), with
    /// IMPALA's loss.
    func testCartPoleReturnRisesWellAboveRandom() throws {
        let config = try TrainingConfig().applying(overrides: [
            "seed=3", "inProcessPolicyLag=2", "maxEnvSteps=40000", "targetReturn=none", "algorithm=impala",
        ])
        let summary = try InProcessTrainer(config: config).run(reportInterval: .infinity) { _ in }
        let meanReturn = try XCTUnwrap(summary.final.meanReturn)
        XCTAssertEqual(summary.reason, .stepBudget)
        XCTAssertGreaterThan(meanReturn, 60, "mean return of the last 100 episodes")
        XCTAssertEqual(summary.final.policyLag, 2, accuracy: 0.05,
                       "the actor lags the learner as configured (but for the first updates)")
    }

    /// The same run with the default, APPO (four epochs of four minibatches over each batch), learns too.
    func testAppoCartPoleReturnRisesWellAboveRandom() throws {
        let config = try TrainingConfig().applying(overrides: [
            "seed=3", "inProcessPolicyLag=2", "maxEnvSteps=40000", "targetReturn=none",
        ])
        let summary = try InProcessTrainer(config: config).run(reportInterval: .infinity) { _ in }
        let meanReturn = try XCTUnwrap(summary.final.meanReturn)
        XCTAssertGreaterThan(meanReturn, 60, "mean return of the last 100 episodes")
    }

    func testSameSeedGivesSameRun() throws {
        let config = try TrainingConfig().applying(overrides: [
            "seed=5", "envsPerActor=4", "unrollLength=8", "maxEnvSteps=640", "targetReturn=none",
        ])
        let first = try InProcessTrainer(config: config)
        let second = try InProcessTrainer(config: config)
        _ = first.run(reportInterval: .infinity) { _ in }
        _ = second.run(reportInterval: .infinity) { _ in }
        XCTAssertEqual(first.learner.network.parameters, second.learner.network.parameters)
    }
}
