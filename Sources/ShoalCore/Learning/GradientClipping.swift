/// Gradient clipping by global norm (Pascanu et al. 2013), as IMPALA and most actor-critic agents use.
public enum GradientClipping {
    /// Scales `gradient` so its L2 norm is at most `maxNorm`; returns the norm before clipping.
    @discardableResult
    public static func clipGlobalNorm(_ gradient: inout [Float], maxNorm: Float) -> Float {
        var sumOfSquares: Double = 0
        for g in gradient { sumOfSquares += Double(g) * Double(g) }
        let norm = Float(sumOfSquares.squareRoot())
        if norm > maxNorm && norm > 0 {
            let scale = maxNorm / norm
            for i in gradient.indices { gradient[i] *= scale }
        }
        return norm
    }
}
