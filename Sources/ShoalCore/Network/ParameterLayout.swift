/// Where each layer's weights live in the network's one flat parameter vector.
///
/// Dense layers are stored as weights [inputs, outputs] (row-major) followed by biases [outputs]. The order is
/// the convolutional torso's parameters (if any, see `ConvolutionalTorso`), the MLP torso's layers, the LSTM core (if
/// any, see `LSTMCore`), policy head, value head, then (Gaussian heads only) the log standard deviations, then (with
/// normalised observations) the observations' running mean [O], variance [O] and count [1], then (with normalised
/// returns) the returns' running mean, second moment and update count; no gradient reaches the statistics, which the
/// learner updates from the data (`ObservationStatistics`, `ReturnStatistics`).
public struct ParameterLayout: Sendable, Equatable {
    /// One fully connected layer's slice of the parameter vector.
    public struct Dense: Sendable, Equatable {
        public let inputs: Int
        public let outputs: Int
        public let weightOffset: Int
        public var biasOffset: Int { weightOffset + inputs * outputs }
        public var end: Int { biasOffset + outputs }
    }

    public let torso: [Dense]
    /// Parameters of the convolutional torso, first in the vector (0 for the MLP).
    public let convolutionalTorsoCount: Int
    /// Offset of the LSTM core's parameters, nil without a core.
    public let coreOffset: Int?
    /// Width of the torso's output: the core's input, or the heads' without a core.
    public let torsoOutputSize: Int
    public let policy: Dense
    public let value: Dense
    /// Offset of the Gaussian head's log standard deviations, nil for categorical heads.
    public let logStdOffset: Int?
    /// Offset of the observation statistics (mean, variance, count), nil without normalisation.
    public let observationStatisticsOffset: Int?
    /// Offset of the return statistics (mean, second moment, updates), nil without return normalisation.
    public let returnStatisticsOffset: Int?
    /// Total number of parameters.
    public let count: Int

    public init(spec: NetworkSpec) {
        var offset = 0
        let convolutional = spec.convolutionalTorso?.make()
        convolutionalTorsoCount = convolutional?.parameterCount ?? 0
        offset = convolutionalTorsoCount
        func dense(_ inputs: Int, _ outputs: Int) -> Dense {
            let layer = Dense(inputs: inputs, outputs: outputs, weightOffset: offset)
            offset = layer.end
            return layer
        }
        var width = convolutional?.featureSize ?? spec.observationSize
        var torso: [Dense] = []
        for hidden in spec.hiddenSizes {
            torso.append(dense(width, hidden))
            width = hidden
        }
        self.torso = torso
        torsoOutputSize = width
        if let lstmSize = spec.lstmSize {
            coreOffset = offset
            offset += LSTMCore.parameterCount(inputSize: width, hiddenSize: lstmSize)
            width = lstmSize
        } else {
            coreOffset = nil
        }
        switch spec.head {
        case .categorical(let actions):
            policy = dense(width, actions)
            value = dense(width, 1)
            logStdOffset = nil
        case .gaussian(let dimensions):
            policy = dense(width, dimensions)
            value = dense(width, 1)
            logStdOffset = offset
            offset += dimensions
        }
        observationStatisticsOffset = spec.normalizeObservations ? offset : nil
        if spec.normalizeObservations { offset += 2 * spec.observationSize + 1 }
        returnStatisticsOffset = spec.returnNormalization == .none ? nil : offset
        if spec.returnNormalization != .none { offset += ReturnStatistics.parameterCount }
        count = offset
    }

    /// Width of what the heads read: the core's output, else the torso's.
    public var featureSize: Int { policy.inputs }
}
