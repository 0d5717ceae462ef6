/// Initial parameters for an actor-critic network.
///
/// Torso weights are Gaussian with standard deviation gain/√fan_in (gain √2 for ReLU, 5/3 for tanh, as in PyTorch's
/// `calculate_gain`; convolutional torsos are ReLU throughout); the policy head starts 100× smaller so the first
/// policy is close to uniform (an LSTM core as `LSTMCore.initialize` says), which IMPALA-style agents rely on for early exploration; the value head uses gain 1;
/// biases and log standard deviations start at 0.
enum NetworkInitializer {
    static func parameters(for spec: NetworkSpec, layout: ParameterLayout, generator: inout SeededGenerator) -> [Float] {
        var parameters = [Float](repeating: 0, count: layout.count)
        let torsoGain: Float = spec.activation == .relu ? Float(2).squareRoot() : 5.0 / 3.0
        func fill(_ layer: ParameterLayout.Dense, gain: Float) {
            let std = gain / Float(layer.inputs).squareRoot()
            for i in layer.weightOffset..<layer.biasOffset { parameters[i] = std * generator.nextGaussian() }
        }
        spec.convolutionalTorso?.make().initialize(&parameters, gain: Float(2).squareRoot(), generator: &generator)
        for layer in layout.torso { fill(layer, gain: torsoGain) }
        if let lstmSize = spec.lstmSize, let offset = layout.coreOffset {
            LSTMCore(inputSize: layout.torsoOutputSize, hiddenSize: lstmSize)
                .initialize(&parameters, at: offset, generator: &generator)
        }
        fill(layout.policy, gain: 0.01)
        fill(layout.value, gain: 1)
        if let offset = layout.observationStatisticsOffset {
            ObservationStatistics.reset(&parameters, at: offset, observationSize: spec.observationSize)
        }
        if let offset = layout.returnStatisticsOffset { ReturnStatistics.reset(&parameters, at: offset) }
        return parameters
    }
}
