/// A Gaussian with diagonal covariance; parameters are `dimensions` means followed by `dimensions` log std devs.
struct DiagonalGaussian {
    let dimensions: Int

    /// ½·log(2π).
    private static let halfLogTwoPi: Float = 0.918_938_5

    func sample(_ parameters: UnsafePointer<Float>, into action: UnsafeMutablePointer<Float>,
                using generator: inout SeededGenerator) {
        for d in 0..<dimensions {
            action[d] = parameters[d] + expFloat(parameters[dimensions + d]) * generator.nextGaussian()
        }
    }

    /// The most likely action: the means.
    func mode(_ parameters: UnsafePointer<Float>, into action: UnsafeMutablePointer<Float>) {
        action.update(from: parameters, count: dimensions)
    }

    func logProbability(_ parameters: UnsafePointer<Float>, action: UnsafePointer<Float>) -> Float {
        var sum: Float = 0
        for d in 0..<dimensions {
            let logStd = parameters[dimensions + d]
            let z = (action[d] - parameters[d]) * expFloat(-logStd)
            sum += -0.5 * z * z - logStd - Self.halfLogTwoPi
        }
        return sum
    }

    /// H = Σ (log σ + ½(1 + log 2π)).
    func entropy(_ parameters: UnsafePointer<Float>) -> Float {
        var sum: Float = 0
        for d in 0..<dimensions { sum += parameters[dimensions + d] + 0.5 + Self.halfLogTwoPi }
        return sum
    }

    /// ∂ log π/∂μ = (a − μ)/σ², ∂ log π/∂log σ = ((a − μ)/σ)² − 1, ∂H/∂log σ = 1.
    func addGradient(_ parameters: UnsafePointer<Float>, action: UnsafePointer<Float>, logProbabilityWeight: Float,
                     entropyWeight: Float, into gradient: UnsafeMutablePointer<Float>) {
        for d in 0..<dimensions {
            let inverseStd = expFloat(-parameters[dimensions + d])
            let z = (action[d] - parameters[d]) * inverseStd
            gradient[d] += logProbabilityWeight * z * inverseStd
            gradient[dimensions + d] += logProbabilityWeight * (z * z - 1) + entropyWeight
        }
    }
}
