/// A first-order optimizer that owns its per-parameter state, which checkpoints save and restore by name.
public protocol Optimizer: Sendable {
    /// Moves `parameters` against `gradient` with step size `learningRate`.
    mutating func step(parameters: inout [Float], gradient: [Float], learningRate: Float)
    /// Per-parameter state tensors by name (e.g. "adam.m"), for checkpoints.
    var stateTensors: [String: [Float]] { get }
    /// Scalar state by name (e.g. "adam.step"), for checkpoints.
    var stateScalars: [String: Double] { get }
    /// Restores state saved from `stateTensors` and `stateScalars`; throws if names or sizes do not fit.
    mutating func restore(tensors: [String: [Float]], scalars: [String: Double]) throws(CheckpointError)
}

/// Which optimizer to use and its constants.
public enum OptimizerSettings: Sendable, Equatable, Codable {
    /// RMSProp as in IMPALA (TensorFlow's form: ε inside the square root, optional momentum).
    case rmsprop(decay: Float = 0.99, momentum: Float = 0, epsilon: Float = 0.01)
    /// Adam (Kingma & Ba 2015) with bias correction.
    case adam(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)

    /// A fresh optimizer for `parameterCount` parameters.
    public func makeOptimizer(parameterCount: Int) -> any Optimizer {
        switch self {
        case .rmsprop(let decay, let momentum, let epsilon):
            return RMSProp(parameterCount: parameterCount, decay: decay, momentum: momentum, epsilon: epsilon)
        case .adam(let beta1, let beta2, let epsilon):
            return Adam(parameterCount: parameterCount, beta1: beta1, beta2: beta2, epsilon: epsilon)
        }
    }
}

extension Optimizer {
    /// Looks up a saved tensor by name and checks its size.
    func savedTensor(_ name: String, in tensors: [String: [Float]], count: Int) throws(CheckpointError) -> [Float] {
        guard let tensor = tensors[name] else {
            throw CheckpointError(.doesNotFit, path: "", reason: "optimizer state has no tensor '\(name)'")
        }
        guard tensor.count == count else {
            throw CheckpointError(.doesNotFit, path: "",
                                  reason: "optimizer tensor '\(name)' has \(tensor.count) values, want \(count)")
        }
        return tensor
    }
}
