/// The architecture of an actor-critic network: enough to rebuild it and to refuse weights made for another one.
public struct NetworkSpec: Sendable, Equatable, Hashable, Codable {
    /// Number of floats in one observation (observations are flattened).
    public var observationSize: Int
    /// Widths of the hidden layers of the shared MLP torso.
    public var hiddenSizes: [Int]
    /// Nonlinearity after each hidden layer.
    public var activation: Activation
    /// What the policy head outputs.
    public var head: PolicyHead
    /// Whether observations are normalised by running statistics kept in the parameters (see `ParameterLayout`).
    public var normalizeObservations: Bool
    /// What the value head predicts: returns, or returns normalised by running statistics kept in the parameters.
    public var returnNormalization: ReturnNormalization

    public init(observationSize: Int, hiddenSizes: [Int], activation: Activation, head: PolicyHead,
                normalizeObservations: Bool = false, returnNormalization: ReturnNormalization = .none) {
        self.observationSize = observationSize
        self.hiddenSizes = hiddenSizes
        self.activation = activation
        self.head = head
        self.normalizeObservations = normalizeObservations
        self.returnNormalization = returnNormalization
    }
}

/// How the value head's outputs relate to returns (see `ReturnStatistics`).
public enum ReturnNormalization: String, Sendable, Codable, CaseIterable {
    /// The value head predicts returns as they are.
    case none
    /// Rewards are divided by a running estimate σ of the return's standard deviation: the value head predicts
    /// returns / σ, for the σ of when it learned them.
    case scale
    /// PopArt (van Hasselt et al., 2016): the value head predicts (return − μ) / σ, and its last layer is rescaled
    /// whenever μ and σ move so that the values it stands for are preserved.
    case popart
}

/// Hidden-layer nonlinearity.
public enum Activation: String, Sendable, Codable, CaseIterable {
    case tanh
    case relu
}

/// The action distribution the policy head parameterises.
public enum PolicyHead: Sendable, Equatable, Hashable, Codable {
    /// Categorical over `actions` discrete actions; the head outputs one logit per action.
    case categorical(actions: Int)
    /// Diagonal Gaussian over `dimensions` continuous actions; the head outputs a mean per dimension,
    /// and a state-independent log standard deviation per dimension is a separate parameter.
    case gaussian(dimensions: Int)

    /// Number of policy outputs per sample recorded as "behaviour logits" in a rollout:
    /// logits for categorical, means followed by log standard deviations for Gaussian.
    public var distributionParameterCount: Int {
        switch self {
        case .categorical(let actions): return actions
        case .gaussian(let dimensions): return 2 * dimensions
        }
    }

    /// Number of floats one action takes in a rollout: 1 (the index) for categorical, `dimensions` for Gaussian.
    public var actionSize: Int {
        switch self {
        case .categorical: return 1
        case .gaussian(let dimensions): return dimensions
        }
    }
}
