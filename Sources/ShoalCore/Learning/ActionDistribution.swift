/// The policy's action distribution for one row of distribution parameters (see `PolicyHead`).
///
/// Rows are read through pointers so that the actor's step loop and the learner's loss never allocate per sample.
public enum ActionDistribution: Sendable, Equatable {
    case categorical(actions: Int)
    case gaussian(dimensions: Int)

    /// The distribution a policy head parameterises.
    public init(_ head: PolicyHead) {
        switch head {
        case .categorical(let actions): self = .categorical(actions: actions)
        case .gaussian(let dimensions): self = .gaussian(dimensions: dimensions)
        }
    }

    /// Floats per row of distribution parameters.
    public var parameterCount: Int {
        switch self {
        case .categorical(let actions): return actions
        case .gaussian(let dimensions): return 2 * dimensions
        }
    }

    /// Floats per action.
    public var actionSize: Int {
        switch self {
        case .categorical: return 1
        case .gaussian(let dimensions): return dimensions
        }
    }

    /// Draws an action.
    public func sample(
        _ parameters: UnsafePointer<Float>, into action: UnsafeMutablePointer<Float>,
        using generator: inout SeededGenerator
    ) {
        switch self {
        case .categorical(let n): Categorical(count: n).sample(parameters, into: action, using: &generator)
        case .gaussian(let d): DiagonalGaussian(dimensions: d).sample(parameters, into: action, using: &generator)
        }
    }

    /// The most likely action (greedy acting): the largest logit's index, or the means.
    public func mode(_ parameters: UnsafePointer<Float>, into action: UnsafeMutablePointer<Float>) {
        switch self {
        case .categorical(let n): Categorical(count: n).mode(parameters, into: action)
        case .gaussian(let d): DiagonalGaussian(dimensions: d).mode(parameters, into: action)
        }
    }

    /// log π(action).
    public func logProbability(_ parameters: UnsafePointer<Float>, action: UnsafePointer<Float>) -> Float {
        switch self {
        case .categorical(let n): return Categorical(count: n).logProbability(parameters, action: action)
        case .gaussian(let d): return DiagonalGaussian(dimensions: d).logProbability(parameters, action: action)
        }
    }

    /// Entropy H(π).
    public func entropy(_ parameters: UnsafePointer<Float>) -> Float {
        switch self {
        case .categorical(let n): return Categorical(count: n).entropy(parameters)
        case .gaussian(let d): return DiagonalGaussian(dimensions: d).entropy(parameters)
        }
    }

    /// Adds ∂/∂parameters of (logProbabilityWeight · log π(action) + entropyWeight · H(π)) to `gradient`.
    public func addGradient(
        _ parameters: UnsafePointer<Float>, action: UnsafePointer<Float>, logProbabilityWeight: Float,
        entropyWeight: Float, into gradient: UnsafeMutablePointer<Float>
    ) {
        switch self {
        case .categorical(let n):
            Categorical(count: n).addGradient(parameters, action: action, logProbabilityWeight: logProbabilityWeight,
                                              entropyWeight: entropyWeight, into: gradient)
        case .gaussian(let d):
            DiagonalGaussian(dimensions: d).addGradient(
                parameters, action: action, logProbabilityWeight: logProbabilityWeight,
                entropyWeight: entropyWeight, into: gradient)
        }
    }
}
