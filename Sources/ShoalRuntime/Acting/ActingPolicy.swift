import ShoalCore

/// An actor's local copy of the policy: one batched forward pass over a group of lanes' observations, then one action
/// sampled per lane. Weights change only through `adopt`, which the collectors call between unrolls.
final class ActingPolicy {
    let network: ActorCriticNetwork
    let distribution: ActionDistribution
    /// Version of the weights in use.
    private(set) var version: UInt64 = 0
    private var generator: SeededGenerator

    init(network: ActorCriticNetwork, generator: SeededGenerator) {
        self.network = network
        self.distribution = ActionDistribution(network.spec.head)
        self.generator = generator
    }

    /// Floats in one observation.
    var observationSize: Int { network.spec.observationSize }

    /// Replaces the parameters.
    func adopt(parameters: [Float], version: UInt64) {
        precondition(parameters.count == network.layout.count, "weights do not fit the network")
        network.parameters = parameters
        self.version = version
    }

    /// Chooses actions for `count` lanes from their observations ([count, O]), writing each lane's distribution
    /// parameters ([count, P]) and action ([count, A]).
    func act(
        observations: UnsafeBufferPointer<Float>, count: Int,
        parameters: UnsafeMutableBufferPointer<Float>, actions: UnsafeMutableBufferPointer<Float>
    ) {
        let (p, a) = (distribution.parameterCount, distribution.actionSize)
        network.forward(observations, count: count)
        let outputs = network.policyOutputs
        outputs.withUnsafeBufferPointer { logits in
            for lane in 0..<count {
                let laneLogits = logits.baseAddress! + lane * p
                (parameters.baseAddress! + lane * p).update(from: laneLogits, count: p)
                distribution.sample(laneLogits, into: actions.baseAddress! + lane * a, using: &generator)
            }
        }
    }
}
