import Foundation

/// PPO's clipped surrogate objective (Schulman et al., 2017) as APPO applies it to V-trace advantages: for each
/// sample, with ρ = exp(log π − log μ), the objective is min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A); the loss is minus its
/// mean. Its derivative with respect to log π is ρ·A where the unclipped term is the smaller, 0 where clipping holds
/// the ratio (the advantages are constants).
public struct ClippedSurrogate: Sendable, Equatable, Codable {
    /// ε, how far the ratio may move from 1 before the objective stops rewarding it.
    public var epsilon: Float

    public init(epsilon: Float) {
        precondition(epsilon > 0, "the clipping range must be positive")
        self.epsilon = epsilon
    }

    /// One sample's objective, d objective / d log π, and whether its ratio is outside [1 − ε, 1 + ε] (for the clip
    /// fraction).
    @inline(__always)
    public func objective(logRatio: Float, advantage: Float) -> (value: Float, derivative: Float, outside: Bool) {
        let ratio = expFloat(logRatio)
        let unclipped = ratio * advantage
        let clipped = min(max(ratio, 1 - epsilon), 1 + epsilon) * advantage
        let outside = abs(ratio - 1) > epsilon
        return unclipped <= clipped ? (unclipped, unclipped, outside) : (clipped, 0, outside)
    }

    /// −mean objective over the samples, and its gradient with respect to each log π.
    public func lossAndGradient(logPi: [Float], logMu: [Float], advantages: [Float]) -> (loss: Float, gradient: [Float]) {
        precondition(logPi.count == logMu.count && logPi.count == advantages.count && !logPi.isEmpty)
        let scale = 1 / Float(logPi.count)
        var sum: Double = 0
        var gradient = [Float](repeating: 0, count: logPi.count)
        for i in logPi.indices {
            let sample = objective(logRatio: logPi[i] - logMu[i], advantage: advantages[i])
            sum += Double(sample.value)
            gradient[i] = -sample.derivative * scale
        }
        return (Float(-sum) * scale, gradient)
    }
}
