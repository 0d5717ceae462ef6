import ShoalCore
import ShoalEnvs
import ZeroMQ

/// Where a learner listens and keeps its state.
public struct LearnerEndpoints: Sendable {
    /// ROUTER endpoint the learner binds for rollouts and weights requests.
    public var rollouts: String
    /// PUB endpoint the learner binds for weights broadcasts.
    public var weights: String

    public init(rollouts: String, weights: String) {
        self.rollouts = rollouts
        self.weights = weights
    }
}

extension TrainingConfig {
    /// The network architecture this config trains (asking an environment server for a served environment, over
    /// CURVE with `curve`).
    public func networkSpec(curve: CurveSecurity? = nil) throws -> NetworkSpec {
        try networkSpec(for: try environmentShape(curve: curve))
    }
}
