/// Adam with bias-corrected first and second moments.
public struct Adam: Optimizer {
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    private var firstMoment: [Float]
    private var secondMoment: [Float]
    private var stepCount: Int = 0

    public init(parameterCount: Int, beta1: Float, beta2: Float, epsilon: Float) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    public mutating func step(parameters: inout [Float], gradient: [Float], learningRate: Float) {
        precondition(parameters.count == firstMoment.count && gradient.count == firstMoment.count)
        stepCount += 1
        let correction1 = 1 - Float(Double(beta1).power(stepCount))
        let correction2 = 1 - Float(Double(beta2).power(stepCount))
        let stepSize = learningRate * correction2.squareRoot() / correction1
        for i in parameters.indices {
            let g = gradient[i]
            firstMoment[i] = beta1 * firstMoment[i] + (1 - beta1) * g
            secondMoment[i] = beta2 * secondMoment[i] + (1 - beta2) * g * g
            parameters[i] -= stepSize * firstMoment[i] / (secondMoment[i].squareRoot() + epsilon)
        }
    }

    public var stateTensors: [String: [Float]] { ["adam.m": firstMoment, "adam.v": secondMoment] }
    public var stateScalars: [String: Double] { ["adam.step": Double(stepCount)] }

    public mutating func restore(tensors: [String: [Float]], scalars: [String: Double]) throws(CheckpointError) {
        let m = try savedTensor("adam.m", in: tensors, count: firstMoment.count)
        let v = try savedTensor("adam.v", in: tensors, count: secondMoment.count)
        guard let step = scalars["adam.step"], step >= 0, step == step.rounded() else {
            throw CheckpointError(.doesNotFit, path: "", reason: "optimizer state has no valid scalar 'adam.step'")
        }
        (firstMoment, secondMoment, stepCount) = (m, v, Int(step))
    }
}

private extension Double {
    /// self raised to a non-negative integer power by repeated squaring.
    func power(_ exponent: Int) -> Double {
        var (result, base, e) = (1.0, self, exponent)
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }
}
