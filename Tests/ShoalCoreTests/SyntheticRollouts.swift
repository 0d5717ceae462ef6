@testable import ShoalCore

/// Random but well-formed rollouts for tests of the learning code, with observations of the network's dtype.
enum SyntheticRollouts {
    static func make(
        spec: NetworkSpec, unrollLength t: Int, batchSize b: Int, seq: UInt64, generator: inout SeededGenerator
    ) -> Rollout {
        let distribution = ActionDistribution(spec.head)
        let (o, p, a) = (spec.observationSize, distribution.parameterCount, distribution.actionSize)
        let logits = GradientCheck.randomFloats(t * b * p, &generator, scale: 0.5)
        var actions = [Float](repeating: 0, count: t * b * a)
        logits.withUnsafeBufferPointer { rows in
            actions.withUnsafeMutableBufferPointer { out in
                for i in 0..<(t * b) {
                    distribution.sample(rows.baseAddress! + i * p, into: out.baseAddress! + i * a, using: &generator)
                }
            }
        }
        let terminated = (0..<(t * b)).map { _ in generator.nextUnitFloat() < 0.15 }
        let truncated = terminated.map { !$0 && generator.nextUnitFloat() < 0.15 }
        let truncatedIndices = truncated.indices.filter { truncated[$0] }.map(Int32.init)
        func observations(_ count: Int) -> ObservationData {
            guard spec.observationDType.isBytes else { return .float32(GradientCheck.randomFloats(count, &generator)) }
            return .uint8((0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        }
        return Rollout(
            origin: RolloutOrigin(runID: "test", actorID: 0, incarnation: 0, seq: seq), policyVersion: 0,
            unrollLength: t, batchSize: b, observationShape: [o], actionSize: a, distributionParameterCount: p,
            observations: observations((t + 1) * b * o), actions: actions,
            rewards: GradientCheck.randomFloats(t * b, &generator), terminated: terminated, truncated: truncated,
            behaviourLogits: logits, truncatedIndices: truncatedIndices,
            truncatedObservations: observations(truncatedIndices.count * o))
    }
}
