import ShoalCore

/// An actor's local copy of the policy: one batched forward pass over a group of lanes' observations, then one action
/// sampled per lane. Weights change only through `adopt`, which the collectors call between unrolls. A recurrent
/// policy carries each lane's state from step to step, across unrolls and weight changes, until its episode ends.
final class ActingPolicy {
    let network: ActorCriticNetwork
    let distribution: ActionDistribution
    /// Version of the weights in use.
    private(set) var version: UInt64 = 0
    /// Each lane's recurrent state, [2, lanes, H] (empty for a feed-forward policy).
    private(set) var recurrentState: [Float]
    private var generator: SeededGenerator
    /// Takes each distribution's most likely action instead of sampling (evaluation).
    var greedy = false

    /// A policy acting for `lanes` environments at a time.
    init(network: ActorCriticNetwork, lanes: Int, generator: SeededGenerator) {
        self.network = network
        self.recurrentState = [Float](repeating: 0, count: network.stateSize(batch: lanes))
        self.distribution = ActionDistribution(network.spec.head)
        self.generator = generator
    }

    /// Replaces the parameters.
    func adopt(parameters: [Float], version: UInt64) {
        precondition(parameters.count == network.layout.count, "weights do not fit the network")
        network.parameters = parameters
        self.version = version
    }

    /// Zeroes the recurrent state of the lanes whose episode begins with their next step.
    func beginEpisodes(where starts: [Bool]) {
        guard let size = network.spec.lstmSize else { return }
        let lanes = starts.count
        for lane in 0..<lanes where starts[lane] {
            for j in 0..<size {
                recurrentState[lane * size + j] = 0
                recurrentState[(lanes + lane) * size + j] = 0
            }
        }
    }

    /// Chooses actions for `count` lanes from their observations ([count, O]), writing each lane's distribution
    /// parameters ([count, P]) and action ([count, A]).
    func act(
        observations: ObservationInput, count: Int,
        parameters: UnsafeMutableBufferPointer<Float>, actions: UnsafeMutableBufferPointer<Float>
    ) {
        let (p, a) = (distribution.parameterCount, distribution.actionSize)
        precondition(recurrentState.count == network.stateSize(batch: count), "the policy acts for other lanes")
        network.forward(observations, timeSteps: 1, batch: count, initialState: recurrentState)
        if network.spec.isRecurrent { recurrentState = network.finalState }
        let outputs = network.policyOutputs
        outputs.withUnsafeBufferPointer { logits in
            for lane in 0..<count {
                let laneLogits = logits.baseAddress! + lane * p
                (parameters.baseAddress! + lane * p).update(from: laneLogits, count: p)
                let action = actions.baseAddress! + lane * a
                if greedy {
                    distribution.mode(laneLogits, into: action)
                } else {
                    distribution.sample(laneLogits, into: action, using: &generator)
                }
            }
        }
    }
}
