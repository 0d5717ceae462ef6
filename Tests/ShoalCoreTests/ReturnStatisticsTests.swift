@testable import ShoalCore
import XCTest

/// Return normalisation: running moments of the value targets, the transform they give, and PopArt's
/// output-preserving rescale of the value head.
final class ReturnStatisticsTests: XCTestCase {
    private func spec(_ mode: ReturnNormalization) -> NetworkSpec {
        NetworkSpec(observationSize: 3, hiddenSizes: [5], activation: .tanh, head: .categorical(actions: 2),
                    returnNormalization: mode)
    }

    /// The first update's returns replace the initial moments, the next ones are averaged in with equal weight (the
    /// n-th with weight 1/n) until that falls to `step`, then with weight `step`;
    /// the scale is the standard deviation (never below `minimumScale`), the shift the mean under PopArt only.
    func testMomentsAreARunningAverageAndGiveTheTransform() throws {
        for mode in [ReturnNormalization.scale, .popart] {
            let spec = spec(mode)
            let layout = ParameterLayout(spec: spec)
            let offset = try XCTUnwrap(layout.returnStatisticsOffset)
            XCTAssertEqual(layout.count, offset + 3)
            var generator = SeededGenerator(seed: 1)
            var parameters = ActorCriticNetwork(spec: spec, generator: &generator).parameters
            XCTAssertEqual(Array(parameters[offset...]), [0, 1, 0], "identity before any data")
            func transform() -> (scale: Float, shift: Float) {
                ReturnStatistics.transform(parameters, spec: spec, layout: layout)
            }
            ReturnStatistics.update(&parameters, layout: layout, returns: [1, 3])
            XCTAssertEqual(Array(parameters[offset...]), [2, 5, 1])
            XCTAssertEqual(transform().scale, 1, accuracy: 1e-6)
            XCTAssertEqual(transform().shift, mode == .popart ? 2 : 0)
            ReturnStatistics.update(&parameters, layout: layout, returns: [10, 10])
            let mean = 6.0
            var secondMoment = 52.5
            XCTAssertEqual(Double(parameters[offset]), mean, accuracy: 1e-5)
            XCTAssertEqual(Double(parameters[offset + 1]), secondMoment, accuracy: 1e-5)
            XCTAssertEqual(Double(transform().scale), (secondMoment - mean * mean).squareRoot(), accuracy: 1e-5)
            ReturnStatistics.update(&parameters, layout: layout, returns: [])
            XCTAssertEqual(parameters[offset + 2], 2, "no returns, no update")
            for _ in 3...100 { ReturnStatistics.update(&parameters, layout: layout, returns: [Float(mean)]) }
            secondMoment = secondMoment * 2 / 100 + mean * mean * 98 / 100
            XCTAssertEqual(Double(parameters[offset + 1]), secondMoment, accuracy: 1e-3)
            ReturnStatistics.update(&parameters, layout: layout, returns: [0])
            XCTAssertEqual(Double(parameters[offset]), 0.99 * mean, accuracy: 1e-4)
            XCTAssertEqual(Double(parameters[offset + 1]), 0.99 * secondMoment, accuracy: 1e-3)

            ReturnStatistics.reset(&parameters, at: offset)
            ReturnStatistics.update(&parameters, layout: layout, returns: [-7, -7, -7])
            XCTAssertEqual(transform().scale, ReturnStatistics.minimumScale)
        }
        let plain = spec(.none)
        XCTAssertNil(ParameterLayout(spec: plain).returnStatisticsOffset)
        XCTAssertEqual(ParameterLayout(spec: plain).count + 3, ParameterLayout(spec: spec(.popart)).count)
    }

    /// PopArt: an update moves μ and σ far from the identity (returns in the hundreds), and the values the head
    /// stands for, σ·output + μ, stay what they were (the optimizer is held still by a zero learning rate).
    func testPopArtKeepsTheValuesWhileTheStatisticsMove() throws {
        let spec = spec(.popart)
        var generator = SeededGenerator(seed: 4)
        let network = ActorCriticNetwork(spec: spec, generator: &generator)
        var rollout = SyntheticRollouts.make(spec: spec, unrollLength: 6, batchSize: 4, seq: 0, generator: &generator)
        rollout.rewards = rollout.rewards.map { 40 + 10 * $0 }
        let observations = rollout.observations.floats!
        network.forward(observations)
        let before = network.values
        let learner = ImpalaLearner(network: network, settings: LearnerSettings(learningRate: .constant(0)))
        let statistics = learner.update(TrainingBatch(rollouts: [rollout]))
        XCTAssertGreaterThan(statistics.valueScale, 5)
        XCTAssertGreaterThan(statistics.valueShift, 20)
        network.forward(observations)
        for (value, output) in zip(before, network.values) {
            XCTAssertEqual(value, statistics.valueScale * output + statistics.valueShift, accuracy: 1e-3)
        }
    }
}
