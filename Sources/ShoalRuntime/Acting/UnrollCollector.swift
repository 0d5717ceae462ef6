import ShoalCore
import ShoalEnvs

/// Steps a vector of environments with a local copy of the policy and cuts the experience into fixed-length unrolls.
///
/// One batched forward pass per step. The last observation of an unroll is the first of the next, and weights are
/// swapped only between unrolls (`adopt`), so every unroll is acted by exactly one `policyVersion`.
public final class UnrollCollector {
    public let environments: VectorEnvironment
    public let unrollLength: Int
    /// Version of the weights the next unroll will use.
    public private(set) var policyVersion: UInt64 = 0
    private let network: ActorCriticNetwork
    private let distribution: ActionDistribution
    private var generator: SeededGenerator
    private var buffers: UnrollBuffers

    public init(environments: VectorEnvironment, network: ActorCriticNetwork, unrollLength: Int,
                generator: SeededGenerator) {
        precondition(unrollLength > 0, "unrollLength must be positive")
        precondition(network.spec.observationSize == environments.observationSize, "network does not fit the environment")
        self.environments = environments
        self.network = network
        self.unrollLength = unrollLength
        self.distribution = ActionDistribution(network.spec.head)
        self.generator = generator
        self.buffers = UnrollBuffers(
            unrollLength: unrollLength, batchSize: environments.batchSize,
            observationSize: environments.observationSize, actionSize: distribution.actionSize,
            parameterCount: distribution.parameterCount)
    }

    /// Replaces the policy's parameters; takes effect from the next unroll.
    public func adopt(parameters: [Float], version: UInt64) {
        precondition(parameters.count == network.layout.count, "weights do not fit the network")
        network.parameters = parameters
        policyVersion = version
    }

    /// Runs `unrollLength` steps of every environment and returns them as one rollout from `origin`.
    public func collect(origin: RolloutOrigin) -> Rollout {
        let (b, o, a, p) = (environments.batchSize, environments.observationSize, distribution.actionSize,
                            distribution.parameterCount)
        buffers.beginUnroll()
        buffers.setObservations(row: 0, environments.observations)
        for t in 0..<unrollLength {
            buffers.observations.withUnsafeBufferPointer { network.forward($0.extracting((t * b * o)...), count: b) }
            let outputs = network.policyOutputs
            buffers.behaviourLogits.replaceSubrange((t * b * p)..<((t + 1) * b * p), with: outputs)
            buffers.actions.withUnsafeMutableBufferPointer { actions in
                outputs.withUnsafeBufferPointer { logits in
                    for lane in 0..<b {
                        distribution.sample(logits.baseAddress! + lane * p,
                                            into: actions.baseAddress! + (t * b + lane) * a, using: &generator)
                    }
                }
                environments.step(actions: UnsafeBufferPointer(actions.extracting((t * b * a)..<((t + 1) * b * a))))
            }
            buffers.recordOutcome(step: t, of: environments)
            buffers.setObservations(row: t + 1, environments.observations)
        }
        return buffers.makeRollout(origin: origin, policyVersion: policyVersion,
                                   observationShape: environments.observationSpace.shape)
    }
}
