/// Running mean and variance of observations, kept in a network's parameters (mean [O], variance [O], count [1] at
/// `ParameterLayout.observationStatisticsOffset`) so that weights and the statistics they were trained with travel and
/// are checkpointed together. Observations are normalised as (x − mean) / √(variance + 1e-8), clipped to ±`clip`, as
/// Stable-Baselines3's VecNormalize and RLlib's MeanStdFilter do.
public enum ObservationStatistics {
    /// Normalised values are clipped to this magnitude.
    public static let clip: Float = 10

    /// Mean 0, variance 1, count 0: normalisation is the identity until data arrives.
    static func reset(_ parameters: inout [Float], at offset: Int, observationSize o: Int) {
        for i in 0..<o {
            parameters[offset + i] = 0
            parameters[offset + o + i] = 1
        }
        parameters[offset + 2 * o] = 0
    }

    /// Normalises `observations` ([N, O]) in place with the statistics in `parameters`.
    static func normalize(_ observations: inout [Float], parameters: [Float], at offset: Int, observationSize o: Int) {
        let scale = (0..<o).map { 1 / (parameters[offset + o + $0] + 1e-8).squareRoot() }
        for row in stride(from: 0, to: observations.count, by: o) {
            for i in 0..<o {
                let value = (observations[row + i] - parameters[offset + i]) * scale[i]
                observations[row + i] = min(max(value, -clip), clip)
            }
        }
    }

    /// Folds `rows` observations ([rows, O], raw) into the statistics in `parameters` (Chan et al.'s parallel
    /// update of mean and variance).
    public static func update(_ parameters: inout [Float], layout: ParameterLayout, observations: ArraySlice<Float>,
                              observationSize o: Int) {
        guard let offset = layout.observationStatisticsOffset, !observations.isEmpty else { return }
        let rows = observations.count / o
        let (count, batch) = (Double(parameters[offset + 2 * o]), Double(rows))
        let total = count + batch
        let base = observations.startIndex
        for i in 0..<o {
            var (sum, squares) = (0.0, 0.0)
            for row in 0..<rows { sum += Double(observations[base + row * o + i]) }
            let batchMean = sum / batch
            for row in 0..<rows {
                let deviation = Double(observations[base + row * o + i]) - batchMean
                squares += deviation * deviation
            }
            let (mean, variance) = (Double(parameters[offset + i]), Double(parameters[offset + o + i]))
            let delta = batchMean - mean
            let combined = (variance * count + squares + delta * delta * count * batch / total) / total
            parameters[offset + i] = Float(mean + delta * batch / total)
            parameters[offset + o + i] = Float(combined)
        }
        parameters[offset + 2 * o] = Float(total)
    }
}
