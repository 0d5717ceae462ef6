@testable import ShoalCore
import XCTest

/// Observation normalisation: statistics folded batch by batch, normalised inputs, and a learner that keeps them.
final class ObservationStatisticsTests: XCTestCase {
    private let spec = NetworkSpec(observationSize: 3, hiddenSizes: [5], activation: .tanh,
                                   head: .categorical(actions: 2), normalizeObservations: true)

    /// Batches folded one by one give the mean and (population) variance of all their rows at once.
    func testBatchesFoldIntoTheMeanAndVarianceOfAllRows() throws {
        let layout = ParameterLayout(spec: spec)
        var generator = SeededGenerator(seed: 2)
        var parameters = ActorCriticNetwork(spec: spec, generator: &generator).parameters
        let offset = try XCTUnwrap(layout.observationStatisticsOffset)
        XCTAssertEqual(Array(parameters[offset...]), [0, 0, 0, 1, 1, 1, 0], "identity before any data")
        var all: [Float] = []
        for rows in [7, 1, 20] {
            let batch = (0..<(rows * 3)).map { i in Float(i % 3) * 10 + 3 * generator.nextGaussian() }
            all += batch
            ObservationStatistics.update(&parameters, layout: layout, observations: batch[...], observationSize: 3)
        }
        for i in 0..<3 {
            let column = stride(from: i, to: all.count, by: 3).map { Double(all[$0]) }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)
            XCTAssertEqual(Double(parameters[offset + i]), mean, accuracy: 1e-4)
            XCTAssertEqual(Double(parameters[offset + 3 + i]), variance, accuracy: 1e-3)
        }
        XCTAssertEqual(parameters[offset + 6], 28)
    }

    /// The network sees (x − mean)/√variance, clipped to ±10: the same outputs as a network without normalisation
    /// given those inputs; and no gradient reaches the statistics.
    func testNetworkNormalisesItsInputAndLeavesTheStatisticsOutOfTheGradient() throws {
        var generator = SeededGenerator(seed: 3)
        let normalised = ActorCriticNetwork(spec: spec, generator: &generator)
        let offset = try XCTUnwrap(normalised.layout.observationStatisticsOffset)
        normalised.parameters.replaceSubrange(offset..., with: [1, -2, 0, 4, 0.25, 1e-6, 50])
        var plainSpec = spec
        plainSpec.normalizeObservations = false
        let plain = ActorCriticNetwork(spec: plainSpec, parameters: Array(normalised.parameters[..<offset]))
        let observations: [Float] = [3, -2, 0.5, -1, 0, 1]
        normalised.forward(observations)
        plain.forward([1, 0, 10, -1, 4, 10])  // (3−1)/2, 0/0.5, clipped; (−1−1)/2, (0+2)/0.5, clipped
        for (a, b) in zip(normalised.policyOutputs + normalised.values, plain.policyOutputs + plain.values) {
            XCTAssertEqual(a, b, accuracy: 1e-4)
        }
        var gradient = [Float](repeating: 0, count: normalised.layout.count)
        normalised.backward(policyOutputGradient: [1, -1, 0.5, 2], valueGradient: [1, 1], into: &gradient)
        XCTAssertEqual(Array(gradient[offset...]), [Float](repeating: 0, count: 7))
        XCTAssertNotEqual(Array(gradient[..<offset]), [Float](repeating: 0, count: offset))
    }

    /// An update folds the T·B observations acted on into the statistics (not the bootstrap row), and the
    /// optimizer, which sees no gradient there, leaves them otherwise alone.
    func testLearnerKeepsTheStatistics() throws {
        var generator = SeededGenerator(seed: 5)
        let network = ActorCriticNetwork(spec: spec, generator: &generator)
        let offset = try XCTUnwrap(network.layout.observationStatisticsOffset)
        let rollout = SyntheticRollouts.make(spec: spec, unrollLength: 4, batchSize: 3, seq: 0, generator: &generator)
        let learner = ImpalaLearner(network: network, settings: LearnerSettings())
        learner.update(TrainingBatch(rollouts: [rollout]))
        var expected = ActorCriticNetwork(spec: spec, generator: &generator).parameters
        ObservationStatistics.update(&expected, layout: network.layout,
                                     observations: rollout.observations.floats![0..<(4 * 3 * 3)], observationSize: 3)
        XCTAssertEqual(Array(learner.network.parameters[offset...]), Array(expected[offset...]))
        XCTAssertEqual(learner.network.parameters[offset + 6], 12)
    }
}
