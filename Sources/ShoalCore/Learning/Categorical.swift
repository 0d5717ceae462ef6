/// A categorical distribution over `count` actions, parameterised by unnormalised logits.
struct Categorical {
    let count: Int

    /// log Σ exp(logits), computed stably.
    func logSumExp(_ logits: UnsafePointer<Float>) -> Float {
        var largest = logits[0]
        for i in 1..<count { largest = max(largest, logits[i]) }
        var sum: Float = 0
        for i in 0..<count { sum += expFloat(logits[i] - largest) }
        return largest + logFloat(sum)
    }

    func sample(_ logits: UnsafePointer<Float>, into action: UnsafeMutablePointer<Float>,
                using generator: inout SeededGenerator) {
        let normaliser = logSumExp(logits)
        var remaining = generator.nextUnitFloat()
        for i in 0..<count {
            remaining -= expFloat(logits[i] - normaliser)
            if remaining < 0 {
                action.pointee = Float(i)
                return
            }
        }
        // Rounding left a sliver of probability unassigned: it belongs to the last action.
        action.pointee = Float(count - 1)
    }

    /// The most likely action (the first, among equals).
    func mode(_ logits: UnsafePointer<Float>, into action: UnsafeMutablePointer<Float>) {
        var best = 0
        for i in 1..<count where logits[i] > logits[best] { best = i }
        action.pointee = Float(best)
    }

    func logProbability(_ logits: UnsafePointer<Float>, action: UnsafePointer<Float>) -> Float {
        logits[Int(action.pointee)] - logSumExp(logits)
    }

    /// H = log Σ exp(z) − Σ p·z.
    func entropy(_ logits: UnsafePointer<Float>) -> Float {
        let normaliser = logSumExp(logits)
        var expected: Float = 0
        for i in 0..<count { expected += expFloat(logits[i] - normaliser) * logits[i] }
        return normaliser - expected
    }

    /// ∂ log π(a)/∂z_j = 1[j = a] − p_j and ∂H/∂z_j = −p_j (log p_j + H).
    func addGradient(_ logits: UnsafePointer<Float>, action: UnsafePointer<Float>, logProbabilityWeight: Float,
                     entropyWeight: Float, into gradient: UnsafeMutablePointer<Float>) {
        let normaliser = logSumExp(logits)
        let entropy = self.entropy(logits)
        let chosen = Int(action.pointee)
        for j in 0..<count {
            let logP = logits[j] - normaliser
            let p = expFloat(logP)
            let oneHot: Float = j == chosen ? 1 : 0
            gradient[j] += logProbabilityWeight * (oneHot - p) - entropyWeight * p * (logP + entropy)
        }
    }
}
