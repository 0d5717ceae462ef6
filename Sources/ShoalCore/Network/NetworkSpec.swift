/// The architecture of an actor-critic network: enough to rebuild it and to refuse weights made for another one.
public struct NetworkSpec: Sendable, Equatable, Hashable, Codable {
    /// Number of elements in one observation (observations are flattened).
    public var observationSize: Int
    /// What the observations' elements are, and so how the first layer turns them into floats.
    public var observationDType: ObservationDType
    /// Widths of the hidden layers of the shared MLP torso (none with a convolutional torso).
    public var hiddenSizes: [Int]
    /// A convolutional torso over [height, width, channels] observations in place of the MLP; nil for the MLP.
    public var convolutionalTorso: ConvolutionalTorsoSpec?
    /// Hidden size of an LSTM core between the torso and the heads, nil for none (a feed-forward network).
    public var lstmSize: Int?
    /// Nonlinearity after each hidden layer.
    public var activation: Activation
    /// What the policy head outputs.
    public var head: PolicyHead
    /// Whether observations are normalised by running statistics kept in the parameters (see `ParameterLayout`).
    public var normalizeObservations: Bool
    /// What the value head predicts: returns, or returns normalised by running statistics kept in the parameters.
    public var returnNormalization: ReturnNormalization

    public init(observationSize: Int, hiddenSizes: [Int], activation: Activation, head: PolicyHead,
                normalizeObservations: Bool = false, returnNormalization: ReturnNormalization = .none,
                convolutionalTorso: ConvolutionalTorsoSpec? = nil, lstmSize: Int? = nil,
                observationDType: ObservationDType = .float32) {
        self.observationSize = observationSize
        self.observationDType = observationDType
        self.hiddenSizes = hiddenSizes
        self.activation = activation
        self.head = head
        self.normalizeObservations = normalizeObservations
        self.returnNormalization = returnNormalization
        self.convolutionalTorso = convolutionalTorso
        self.lstmSize = lstmSize
    }

    /// Whether the network carries a recurrent state from step to step.
    public var isRecurrent: Bool { lstmSize != nil }
}

/// A named convolutional torso and the shape of the NHWC observations it reads.
public struct ConvolutionalTorsoSpec: Sendable, Equatable, Hashable, Codable {
    public var kind: ConvolutionalTorsoKind
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(kind: ConvolutionalTorsoKind, height: Int, width: Int, channels: Int) {
        self.kind = kind
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// Why this torso cannot read observations of `observationSize` floats, or nil when it can: the shape must hold
    /// exactly that many and be large enough for the torso's kernels.
    public func problem(observationSize: Int) -> String? {
        guard height > 0, width > 0, channels > 0, height <= 4_096, width <= 4_096, channels <= 4_096 else {
            return "observation shape [\(height), \(width), \(channels)] is not a plausible image"
        }
        guard height * width * channels == observationSize else {
            return "observation shape [\(height), \(width), \(channels)] does not hold \(observationSize) values"
        }
        let side = kind.minimumSide
        guard height >= side, width >= side else {
            return "the \(kind.rawValue) torso needs observations of at least \(side)×\(side), not \(height)×\(width)"
        }
        return nil
    }

    /// A torso of this spec (its geometry, parameter count and feature size).
    public func make(backend: GemmBackend = .preferred) -> ConvolutionalTorso {
        ConvolutionalTorso(kind: kind, height: height, width: width, channels: channels, backend: backend)
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
