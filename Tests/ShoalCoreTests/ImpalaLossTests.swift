@testable import ShoalCore
import XCTest

final class ImpalaLossTests: XCTestCase {
    /// With V-trace targets held fixed (they carry no gradient), the loss's parameter gradient matches finite
    /// differences, for a categorical and a Gaussian policy, with IMPALA's policy gradient and APPO's clipped
    /// surrogate.
    func testLossGradientMatchesFiniteDifferences() {
        let specs = [
            NetworkSpec(observationSize: 3, hiddenSizes: [6], activation: .tanh, head: .categorical(actions: 3)),
            NetworkSpec(observationSize: 3, hiddenSizes: [6], activation: .tanh, head: .gaussian(dimensions: 2)),
        ]
        let impala = LossSettings(discount: 0.9, baselineCost: 0.5, entropyCost: 0.05)
        var appo = impala
        // Wide enough that no ratio of this batch lies within a finite-difference step of a kink of the objective,
        // narrow enough that some are clipped.
        appo.clippedSurrogate = ClippedSurrogate(epsilon: 0.9)
        for spec in specs {
            for settings in [impala, appo] { assertGradientMatchesFiniteDifferences(spec: spec, settings: settings) }
        }
    }

    private func assertGradientMatchesFiniteDifferences(spec: NetworkSpec, settings: LossSettings) {
        var generator = SeededGenerator(seed: 21)
        let network = ActorCriticNetwork(spec: spec, generator: &generator)
        network.parameters = GradientCheck.randomFloats(network.layout.count, &generator, scale: 0.4)
        let batch = TrainingBatch(rollouts: [
            SyntheticRollouts.make(spec: spec, unrollLength: 4, batchSize: 2, seq: 0, generator: &generator),
            SyntheticRollouts.make(spec: spec, unrollLength: 4, batchSize: 3, seq: 1, generator: &generator),
        ])
        let distribution = ActionDistribution(spec.head)
        let rows = (batch.timeSteps + 1) * batch.batchSize
        let (targets, terms, policyGradient, valueGradient) = Self.evaluate(network, on: batch, settings: settings)
        XCTAssertEqual(valueGradient.count, rows)
        if settings.clippedSurrogate != nil { XCTAssertGreaterThan(terms.clipFraction, 0, "no ratio is clipped") }
        var gradient = [Float](repeating: 0, count: network.layout.count)
        network.backward(policyOutputGradient: policyGradient, valueGradient: valueGradient, into: &gradient)

        let loss = { (parameters: [Float]) -> Double in
            let probe = ActorCriticNetwork(spec: spec, parameters: parameters)
            probe.forward(batch.observations.floats!)
            return Double(ImpalaLoss.lossAndGradient(
                batch: batch, distribution: distribution, policyOutputs: probe.policyOutputs,
                values: probe.values, targets: targets, settings: settings).terms.total)
        }
        let failures = GradientCheck.mismatches(
            parameters: network.parameters, analytic: gradient, coordinates: Array(0..<network.layout.count),
            loss: loss)
        XCTAssertEqual(failures, [], "\(spec.head), \(settings.clippedSurrogate.map { "\($0)" } ?? "impala")")
    }

    /// A truncated step bootstraps from V(final observation); a terminated one does not.
    func testTruncationBootstrapsAndTerminationDoesNot() {
        let rollout = Rollout(
            origin: RolloutOrigin(runID: "r", actorID: 0, incarnation: 0, seq: 0), policyVersion: 0,
            unrollLength: 1, batchSize: 2, observationShape: [1], actionSize: 1, distributionParameterCount: 2,
            observations: [0, 0, 0, 0], actions: [0, 0], rewards: [1, 1], terminated: [true, false],
            truncated: [false, true], behaviourLogits: [0, 0, 0, 0], truncatedIndices: [1],
            truncatedObservations: [0])
        let batch = TrainingBatch(rollouts: [rollout])
        // Policy outputs equal the behaviour logits (on-policy); values: V(x_0) = 0.5 both, bootstrap row 3.0.
        let targets = ImpalaLoss.targets(
            batch: batch, distribution: .categorical(actions: 2), policyOutputs: [0, 0, 0, 0, 0, 0, 0, 0],
            values: [0.5, 0.5, 3, 3], truncatedValues: [10], settings: LossSettings(discount: 0.9))
        XCTAssertEqual(targets.vs[0], 1, accuracy: 1e-6, "terminated: v = r")
        XCTAssertEqual(targets.vs[1], 1 + 0.9 * 10, accuracy: 1e-5, "truncated: v = r + γ·V(final observation)")
    }
}

extension ImpalaLossTests {
    /// An environment that autoresets on the next step (NEXT_STEP) adds a reset step after each episode end. Left
    /// out of learning, it changes nothing: the loss equals that of the same experience without it.
    func testResetStepsAreLeftOutOfLearning() {
        let origin = RolloutOrigin(runID: "r", actorID: 0, incarnation: 0, seq: 0)
        let logits: [Float] = [0.2, -0.1, 0.4, 0.3, -0.5, 0.6]
        // Step 0 acts, step 1 is truncated (its final observation is observation 2), step 2 is a reset step.
        let withReset = Rollout(
            origin: origin, policyVersion: 0, unrollLength: 3, batchSize: 1, observationShape: [1], actionSize: 1,
            distributionParameterCount: 2, observations: [0.1, 0.2, 0.3, 0.4], actions: [0, 1, 1],
            rewards: [1, 1, 0], terminated: [false, false, false], truncated: [false, true, false],
            behaviourLogits: logits, truncatedIndices: [1], truncatedObservations: [0.3],
            resetSteps: [false, false, true])
        let without = Rollout(
            origin: origin, policyVersion: 0, unrollLength: 2, batchSize: 1, observationShape: [1], actionSize: 1,
            distributionParameterCount: 2, observations: [0.1, 0.2, 0.3], actions: [0, 1], rewards: [1, 1],
            terminated: [false, false], truncated: [false, true], behaviourLogits: Array(logits[0..<4]),
            truncatedIndices: [1], truncatedObservations: [0.3])
        let spec = NetworkSpec(observationSize: 1, hiddenSizes: [4], activation: .tanh, head: .categorical(actions: 2))
        var generator = SeededGenerator(seed: 3)
        let network = ActorCriticNetwork(spec: spec, generator: &generator)
        let settings = LossSettings(discount: 0.9, baselineCost: 0.5, entropyCost: 0.05)
        let (resetTargets, resetTerms, resetGradient, _) = Self.evaluate(
            network, on: TrainingBatch(rollouts: [withReset]), settings: settings)
        let (plainTargets, plainTerms, plainGradient, _) = Self.evaluate(
            network, on: TrainingBatch(rollouts: [without]), settings: settings)
        XCTAssertEqual(resetTerms.total, plainTerms.total, accuracy: 1e-6)
        XCTAssertEqual(resetTerms.entropy, plainTerms.entropy, accuracy: 1e-6)
        XCTAssertEqual(Array(resetTargets.vs[0..<2]), plainTargets.vs)
        XCTAssertEqual(resetTargets.advantages[2], 0)
        XCTAssertEqual(Array(resetGradient[0..<4]), Array(plainGradient[0..<4]))
        XCTAssertEqual(Array(resetGradient[4..<6]), [0, 0], "a reset step has no policy gradient")
    }
}

extension ImpalaLossTests {
    /// V-trace targets, loss terms and the loss's derivatives with respect to the network's outputs on `batch`.
    static func evaluate(
        _ network: ActorCriticNetwork, on batch: TrainingBatch, settings: LossSettings
    ) -> (targets: LossTargets, terms: LossTerms, policyGradient: [Float], valueGradient: [Float]) {
        let distribution = ActionDistribution(network.spec.head)
        network.forward(batch.truncatedObservations.floats!)
        let truncatedValues = network.values
        network.forward(batch.observations.floats!)
        let targets = ImpalaLoss.targets(
            batch: batch, distribution: distribution, policyOutputs: network.policyOutputs,
            values: network.values, truncatedValues: truncatedValues, settings: settings)
        let (terms, policyGradient, valueGradient) = ImpalaLoss.lossAndGradient(
            batch: batch, distribution: distribution, policyOutputs: network.policyOutputs,
            values: network.values, targets: targets, settings: settings)
        return (targets, terms, policyGradient, valueGradient)
    }
}
