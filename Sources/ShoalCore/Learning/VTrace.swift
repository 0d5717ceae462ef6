/// V-trace clipping and trace-cutting constants.
public struct VTraceSettings: Sendable, Equatable, Codable {
    /// λ, mixing V-trace targets with plain value bootstraps (1 is the paper's V-trace).
    public var lambda: Float = 1
    /// ρ̄: importance weights in the value targets are clipped to at most this.
    public var clipRhoThreshold: Float = 1
    /// ρ̄ for the policy-gradient advantages.
    public var clipPolicyGradientRhoThreshold: Float = 1

    public init(lambda: Float = 1, clipRhoThreshold: Float = 1, clipPolicyGradientRhoThreshold: Float = 1) {
        self.lambda = lambda
        self.clipRhoThreshold = clipRhoThreshold
        self.clipPolicyGradientRhoThreshold = clipPolicyGradientRhoThreshold
    }
}

/// Off-policy corrected value targets and advantages from Espeholt et al. 2018, "IMPALA: Scalable Distributed
/// Deep-RL with Importance Weighted Actor-Learner Architectures", §4.1, with rlax's conventions
/// (`vtrace_td_error_and_advantage`).
///
/// Inputs are time-major, T rows of B columns:
/// - `logRhos` [T, B]: log π(a_t|x_t) − log μ(a_t|x_t), target over behaviour policy.
/// - `discounts` [T, B]: γ, or 0 where the episode terminated at step t.
/// - `rewards` [T, B], `values` [T, B] = V(x_t), `bootstrapValues` [B] = V(x_T).
///
/// With ρ_t = exp(logRhos), c_t = λ·min(1, ρ_t), δ_t = min(ρ̄, ρ_t)·(r_t + γ_t·V(x_{t+1}) − V(x_t)):
/// v_s − V(x_s) = δ_s + γ_s·c_s·(v_{s+1} − V(x_{s+1})), and the advantage is
/// min(ρ̄_pg, ρ_s)·(r_s + γ_s·(λ·v_{s+1} + (1 − λ)·V(x_{s+1})) − V(x_s)).
public enum VTrace {
    /// The targets `vs` [T, B] for the value function and the advantages [T, B] for the policy gradient.
    public static func targets(
        logRhos: [Float], discounts: [Float], rewards: [Float], values: [Float], bootstrapValues: [Float],
        timeSteps: Int, batchSize: Int, settings: VTraceSettings = VTraceSettings()
    ) -> (vs: [Float], policyGradientAdvantages: [Float]) {
        let count = timeSteps * batchSize
        precondition(logRhos.count == count && discounts.count == count && rewards.count == count)
        precondition(values.count == count && bootstrapValues.count == batchSize)
        var vs = [Float](repeating: 0, count: count)
        var advantages = [Float](repeating: 0, count: count)
        let lambda = settings.lambda
        for b in 0..<batchSize {
            // Walk backwards in time carrying v_{t+1} − V(x_{t+1}); it is 0 beyond the last step.
            var nextCorrection: Float = 0
            var nextValue = bootstrapValues[b]
            var nextTarget = bootstrapValues[b]
            for t in stride(from: timeSteps - 1, through: 0, by: -1) {
                let i = t * batchSize + b
                let rho = expFloat(logRhos[i])
                let discount = discounts[i]
                let value = values[i]
                let delta = min(settings.clipRhoThreshold, rho) * (rewards[i] + discount * nextValue - value)
                let correction = delta + discount * lambda * min(1, rho) * nextCorrection
                vs[i] = value + correction
                let bootstrap = lambda * nextTarget + (1 - lambda) * nextValue
                advantages[i] = min(settings.clipPolicyGradientRhoThreshold, rho)
                    * (rewards[i] + discount * bootstrap - value)
                nextCorrection = correction
                nextValue = value
                nextTarget = vs[i]
            }
        }
        return (vs, advantages)
    }
}
