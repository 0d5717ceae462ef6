/// Running mean μ and second moment of the returns the value head learns (its V-trace targets), kept in a network's
/// parameters (mean, second moment, updates at `ParameterLayout.returnStatisticsOffset`) so that they travel and are
/// checkpointed with the weights trained on them. σ = √(second moment − μ²), at least `minimumScale`.
///
/// With `.scale` a value is σ·output: learning targets v / σ is learning from rewards divided by σ. With `.popart` a
/// value is σ·output + μ, and `ImpalaLearner` rescales the value head whenever μ and σ move so that values are kept.
public enum ReturnStatistics {
    /// Floats the statistics take in the parameter vector.
    static let parameterCount = 3
    /// Weight of the newest update's returns in the running moments; the first 1/step updates weigh the same.
    public static let step: Double = 0.01
    /// σ never falls below this, so near-constant returns do not blow normalised targets up.
    public static let minimumScale: Float = 1e-2

    /// Mean 0, second moment 1, no updates: the identity until data arrives.
    static func reset(_ parameters: inout [Float], at offset: Int) {
        parameters[offset] = 0
        parameters[offset + 1] = 1
        parameters[offset + 2] = 0
    }

    /// The affine map from the value head's outputs to values: value = scale·output + shift. The identity without
    /// return normalisation.
    public static func transform(_ parameters: [Float], spec: NetworkSpec, layout: ParameterLayout)
        -> (scale: Float, shift: Float) {
        guard let offset = layout.returnStatisticsOffset else { return (1, 0) }
        let mean = parameters[offset]
        let variance = max(parameters[offset + 1] - mean * mean, 0)
        let scale = max(variance.squareRoot(), minimumScale)
        return (scale, spec.returnNormalization == .popart ? mean : 0)
    }

    /// Folds one update's `returns` into the running moments: an exponential moving average with weight
    /// max(`step`, 1 / updates), so the first update's returns replace the initial moments.
    public static func update(_ parameters: inout [Float], layout: ParameterLayout, returns: [Float]) {
        guard let offset = layout.returnStatisticsOffset, !returns.isEmpty else { return }
        let count = Double(returns.count)
        let mean = returns.reduce(0.0) { $0 + Double($1) } / count
        let secondMoment = returns.reduce(0.0) { $0 + Double($1) * Double($1) } / count
        let updates = Double(parameters[offset + 2]) + 1
        let weight = max(step, 1 / updates)
        parameters[offset] = Float((1 - weight) * Double(parameters[offset]) + weight * mean)
        parameters[offset + 1] = Float((1 - weight) * Double(parameters[offset + 1]) + weight * secondMoment)
        parameters[offset + 2] = Float(updates)
    }
}
