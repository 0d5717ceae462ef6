@testable import ShoalCore
import XCTest

/// APPO in the learner: minibatches of a batch's columns, epochs over it, and the clipped surrogate.
final class AppoLearnerTests: XCTestCase {
    private let spec = NetworkSpec(observationSize: 3, hiddenSizes: [8], activation: .tanh,
                                   head: .categorical(actions: 3))

    private func rollouts(_ generator: inout SeededGenerator) -> [Rollout] {
        [SyntheticRollouts.make(spec: spec, unrollLength: 5, batchSize: 2, seq: 0, generator: &generator),
         SyntheticRollouts.make(spec: spec, unrollLength: 5, batchSize: 3, seq: 1, generator: &generator)]
    }

    /// A batch's columns taken apart are the rollouts it was joined from, truncations included, and frames stay
    /// bytes throughout.
    func testColumnsOfABatchAreTheRolloutsItJoined() {
        for dtype in [ObservationDType.float32, .uint8] {
            var generator = SeededGenerator(seed: 4)
            var spec = spec
            spec.observationDType = dtype
            let parts = [2, 3].map {
                SyntheticRollouts.make(spec: spec, unrollLength: 5, batchSize: $0, seq: 0, generator: &generator)
            }
            let whole = TrainingBatch(rollouts: parts)
            XCTAssertEqual(whole.observations.isBytes, dtype.isBytes)
            assertColumns(of: whole, are: parts)
        }
    }

    private func assertColumns(of whole: TrainingBatch, are parts: [Rollout]) {
        for (part, range) in zip(parts, [0..<2, 2..<5]) {
            let alone = TrainingBatch(rollouts: [part])
            let taken = whole.columns(range)
            XCTAssertEqual(taken.batchSize, alone.batchSize)
            XCTAssertEqual(taken.observations, alone.observations)
            XCTAssertEqual(taken.actions, alone.actions)
            XCTAssertEqual(taken.rewards, alone.rewards)
            XCTAssertEqual(taken.behaviourLogits, alone.behaviourLogits)
            XCTAssertEqual(taken.terminated, alone.terminated)
            XCTAssertEqual(taken.truncated, alone.truncated)
            XCTAssertEqual(taken.truncatedIndices, alone.truncatedIndices)
            XCTAssertEqual(taken.truncatedObservations, alone.truncatedObservations)
        }
    }

    /// On-policy data (μ = π), one epoch of one minibatch: every ratio is 1, so the clipped surrogate's gradient is
    /// the policy gradient's and APPO's update is IMPALA's.
    func testOnPolicySingleStepEqualsImpala() {
        var generator = SeededGenerator(seed: 8)
        let network = ActorCriticNetwork(spec: spec, generator: &generator)
        let onPolicy = rollouts(&generator).map { rollout in
            var rollout = rollout
            let rows = rollout.unrollLength * rollout.batchSize
            network.forward(Array(rollout.observations.floats!.prefix(rows * spec.observationSize)))
            rollout.behaviourLogits = Array(network.policyOutputs.prefix(rows * 3))
            return rollout
        }
        let batch = TrainingBatch(rollouts: onPolicy)
        var impala = LearnerSettings()
        impala.loss.entropyCost = 0.02
        var appo = impala
        appo.loss.clippedSurrogate = ClippedSurrogate(epsilon: 0.1)
        let learners = [impala, appo].map {
            ImpalaLearner(network: ActorCriticNetwork(spec: spec, parameters: network.parameters), settings: $0)
        }
        let statistics = learners.map { $0.update(batch) }
        XCTAssertEqual(statistics[1].loss.clipFraction, 0)
        XCTAssertEqual(statistics[1].loss.approximateKL, 0, accuracy: 1e-6)
        for (a, b) in zip(learners[0].network.parameters, learners[1].network.parameters) {
            XCTAssertEqual(a, b, accuracy: 1e-6)
        }
    }

    /// Two epochs of three minibatches: six optimizer steps, one weights version, a loss per epoch; the parameters
    /// differ from a single step's.
    func testEpochsAndMinibatchesTakeAStepEach() {
        var generator = SeededGenerator(seed: 9)
        let network = ActorCriticNetwork(spec: spec, generator: &generator)
        let batch = TrainingBatch(rollouts: rollouts(&generator))
        var settings = LearnerSettings(epochs: 2, minibatches: 3)
        settings.loss.clippedSurrogate = ClippedSurrogate(epsilon: 0.2)
        let appo = ImpalaLearner(network: ActorCriticNetwork(spec: spec, parameters: network.parameters),
                                 settings: settings)
        var single = settings
        (single.epochs, single.minibatches) = (1, 1)
        let once = ImpalaLearner(network: ActorCriticNetwork(spec: spec, parameters: network.parameters),
                                 settings: single)
        let statistics = appo.update(batch)
        once.update(batch)
        XCTAssertEqual(statistics.version, 1)
        XCTAssertEqual(statistics.epochLosses.count, 2)
        XCTAssertTrue(statistics.epochLosses.allSatisfy(\.isFinite))
        XCTAssertEqual(appo.optimizer.stateScalars["adam.step"], 6)
        XCTAssertNotEqual(appo.network.parameters, once.network.parameters)
    }
}
