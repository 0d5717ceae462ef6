import ShoalCore
import ShoalEnvs

/// Steps a vector of built-in environments with a local copy of the policy and cuts the experience into fixed-length
/// unrolls.
///
/// One batched forward pass per step. The last observation of an unroll is the first of the next, and weights are
/// swapped only between unrolls (`adopt`), so every unroll is acted by exactly one `policyVersion`.
public final class UnrollCollector {
    public let environments: VectorEnvironment
    public let unrollLength: Int
    private let policy: ActingPolicy
    private var buffers: UnrollBuffers

    public init(environments: VectorEnvironment, network: ActorCriticNetwork, unrollLength: Int,
                generator: SeededGenerator) {
        precondition(unrollLength > 0, "unrollLength must be positive")
        precondition(network.spec.observationSize == environments.observationSize, "network does not fit the environment")
        self.environments = environments
        self.unrollLength = unrollLength
        self.policy = ActingPolicy(network: network, lanes: environments.batchSize, generator: generator)
        self.buffers = UnrollBuffers(unrollLength: unrollLength, batchSize: environments.batchSize, policy: policy)
    }

    /// Version of the weights the next unroll will use.
    public var policyVersion: UInt64 { policy.version }

    /// Whether actions are the policy's most likely ones rather than samples (evaluation).
    public var greedy: Bool {
        get { policy.greedy }
        set { policy.greedy = newValue }
    }

    /// Replaces the policy's parameters; takes effect from the next unroll.
    public func adopt(parameters: [Float], version: UInt64) {
        policy.adopt(parameters: parameters, version: version)
    }

    /// Runs `unrollLength` steps of every environment and returns them as one rollout from `origin`.
    public func collect(origin: RolloutOrigin) -> Rollout {
        buffers.beginUnroll()
        buffers.setObservations(row: 0, .float32(environments.observations))
        for t in 0..<unrollLength {
            buffers.act(step: t, with: policy)
            buffers.actions(step: t) { environments.step(actions: $0) }
            buffers.recordOutcome(step: t, of: environments)
            buffers.setObservations(row: t + 1, .float32(environments.observations))
        }
        return buffers.makeRollout(origin: origin, policyVersion: policyVersion,
                                   observationShape: environments.observationSpace.shape)
    }
}
