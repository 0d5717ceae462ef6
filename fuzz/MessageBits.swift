import ShoalCore
import ShoalWire

extension WireMessage {
    /// Whether two messages hold the same values, floats compared by bit pattern.
    ///
    /// `==` cannot be the fuzzer's notion of sameness: a decoded but unvalidated message may hold NaNs, which are
    /// never equal to themselves. So the floats are compared as bits, then cleared so `==` compares the rest.
    func isBitwiseEqual(to other: WireMessage) -> Bool {
        floatBits == other.floatBits && floatsCleared == other.floatsCleared
    }

    /// The bit patterns of every float field, in a fixed order (stats sorted by name).
    private var floatBits: [[UInt64]] {
        switch self {
        case .rollout(let rollout):
            let floats = [
                rollout.observations, rollout.actions, rollout.rewards, rollout.behaviourLogits,
                rollout.truncatedObservations, rollout.episodes.map(\.episodeReturn),
            ]
            return floats.map { $0.map { UInt64($0.bitPattern) } }
        case .weights(let weights):
            return [weights.parameters.map { UInt64($0.bitPattern) }]
        case .heartbeat(let heartbeat):
            return [heartbeat.stats.sorted { $0.key < $1.key }.map(\.value.bitPattern)]
        case .weightsRequest, .ack, .control:
            return []
        }
    }

    /// This message with every float set to zero.
    private var floatsCleared: WireMessage {
        switch self {
        case .rollout(var rollout):
            rollout.observations = rollout.observations.map { _ in 0 }
            rollout.actions = rollout.actions.map { _ in 0 }
            rollout.rewards = rollout.rewards.map { _ in 0 }
            rollout.behaviourLogits = rollout.behaviourLogits.map { _ in 0 }
            rollout.truncatedObservations = rollout.truncatedObservations.map { _ in 0 }
            rollout.episodes = rollout.episodes.map { EpisodeStats(episodeReturn: 0, length: $0.length) }
            return .rollout(rollout)
        case .weights(var weights):
            weights.parameters = weights.parameters.map { _ in 0 }
            return .weights(weights)
        case .heartbeat(var heartbeat):
            heartbeat.stats = heartbeat.stats.mapValues { _ in 0 }
            return .heartbeat(heartbeat)
        case .weightsRequest, .ack, .control:
            return self
        }
    }
}

/// Whether two decode results agree: the same message bit for bit, or errors of the same reason.
///
/// Details may differ and still be right: they name the first bad stat found, and a dictionary's order varies.
func sameOutcome(_ lhs: Result<WireMessage, WireError>, _ rhs: Result<WireMessage, WireError>) -> Bool {
    switch (lhs, rhs) {
    case (.success(let left), .success(let right)): return left.isBitwiseEqual(to: right)
    case (.failure(let left), .failure(let right)): return left.reason == right.reason
    default: return false
    }
}
