import ShoalCore
@testable import ShoalRuntime
import XCTest

/// `Evaluation` in process on built-in environments: what it counts, for recurrent policies too.
final class EvaluationTests: XCTestCase {
    /// An untrained LSTM policy on StatelessCartPole: exactly the episodes asked for, each environment's share, the
    /// same again with the same seed; greedy and sampled actions differ.
    func testARecurrentPolicyIsEvaluatedReproducibly() throws {
        let config = try TrainingConfig().applying(overrides: ["env=StatelessCartPole-v1", "core=lstm",
                                                               "lstmSize=16", "envsPerActor=4"])
        let spec = try config.networkSpec(for: config.environmentShape())
        var generator = SeededGenerator(seed: 3)
        let network = ActorCriticNetwork(spec: spec, generator: &generator)
        let policy = TrainedPolicy(checkpoint: "ckpt", spec: spec, parameters: network.parameters, version: 7,
                                   runID: "r")
        var settings = EvaluationSettings()
        settings.episodes = 10
        let sampled = try Evaluation.run(policy, config: config, settings: settings)
        XCTAssertEqual(sampled.episodes, 10)
        XCTAssertEqual(sampled.returns.count, 10)
        XCTAssertEqual(sampled.policyVersion, 7)
        XCTAssertEqual(try Evaluation.run(policy, config: config, settings: settings).returns, sampled.returns)
        settings.greedy = true
        let greedy = try Evaluation.run(policy, config: config, settings: settings)
        XCTAssertNotEqual(greedy.returns, sampled.returns)
        XCTAssertEqual(greedy.returnMean, greedy.returns.reduce(0, +) / 10, accuracy: 1e-9)
        settings.environments = 1
        XCTAssertEqual(try Evaluation.run(policy, config: config, settings: settings).episodes, 10, "one at a time")
        settings.environments = 0
        XCTAssertThrowsError(try Evaluation.run(policy, config: config, settings: settings))
    }

    func testMeanAndStandardDeviation() {
        let (mean, std) = EvaluationResult.meanAndStd([1, 2, 3, 4])
        XCTAssertEqual(mean, 2.5)
        XCTAssertEqual(std, (1.25 as Double).squareRoot(), accuracy: 1e-12)
    }
}
