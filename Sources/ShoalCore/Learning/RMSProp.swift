/// RMSProp: ms ← decay·ms + (1−decay)·g²; mom ← momentum·mom + lr·g/√(ms + ε); θ ← θ − mom.
public struct RMSProp: Optimizer {
    public let decay: Float
    public let momentum: Float
    public let epsilon: Float
    private var meanSquare: [Float]
    private var moment: [Float]

    public init(parameterCount: Int, decay: Float, momentum: Float, epsilon: Float) {
        self.decay = decay
        self.momentum = momentum
        self.epsilon = epsilon
        meanSquare = [Float](repeating: 0, count: parameterCount)
        moment = [Float](repeating: 0, count: parameterCount)
    }

    public mutating func step(parameters: inout [Float], gradient: [Float], learningRate: Float) {
        precondition(parameters.count == meanSquare.count && gradient.count == meanSquare.count)
        for i in parameters.indices {
            let g = gradient[i]
            meanSquare[i] = decay * meanSquare[i] + (1 - decay) * g * g
            moment[i] = momentum * moment[i] + learningRate * g / (meanSquare[i] + epsilon).squareRoot()
            parameters[i] -= moment[i]
        }
    }

    public var stateTensors: [String: [Float]] { ["rmsprop.ms": meanSquare, "rmsprop.mom": moment] }
    public var stateScalars: [String: Double] { [:] }

    public mutating func restore(tensors: [String: [Float]], scalars: [String: Double]) throws(CheckpointError) {
        let savedMeanSquare = try savedTensor("rmsprop.ms", in: tensors, count: meanSquare.count)
        moment = try savedTensor("rmsprop.mom", in: tensors, count: moment.count)
        meanSquare = savedMeanSquare
    }
}
