/// Constants of the IMPALA loss.
public struct LossSettings: Sendable, Equatable, Codable {
    /// γ, the per-step discount.
    public var discount: Float = 0.99
    /// Weight of the value loss ½(v_s − V)².
    public var baselineCost: Float = 0.5
    /// Weight of the entropy bonus.
    public var entropyCost: Float = 0.01
    public var vtrace = VTraceSettings()
    /// APPO's policy loss, PPO's clipped surrogate on the V-trace advantages; nil for IMPALA's −A·log π(a).
    public var clippedSurrogate: ClippedSurrogate?

    public init(discount: Float = 0.99, baselineCost: Float = 0.5, entropyCost: Float = 0.01,
                vtrace: VTraceSettings = VTraceSettings(), clippedSurrogate: ClippedSurrogate? = nil) {
        self.discount = discount
        self.baselineCost = baselineCost
        self.entropyCost = entropyCost
        self.vtrace = vtrace
        self.clippedSurrogate = clippedSurrogate
    }
}

/// V-trace targets for a batch, computed from the learner's current outputs and held fixed (no gradient).
public struct LossTargets: Sendable {
    /// v_s [T, B].
    public var vs: [Float]
    /// Policy-gradient advantages [T, B].
    public var advantages: [Float]
    /// log π(a_t) − log μ(a_t) [T, B].
    public var logRhos: [Float]

    /// The targets in the units of a value head whose outputs map to values as scale·output + shift.
    public func normalized(scale: Float, shift: Float) -> LossTargets {
        LossTargets(vs: vs.map { ($0 - shift) / scale }, advantages: advantages.map { $0 / scale }, logRhos: logRhos)
    }

    /// The targets of the columns `range` of a [T, B] batch.
    public func columns(_ range: Range<Int>, timeSteps: Int, batchSize: Int) -> LossTargets {
        func part(_ values: [Float]) -> [Float] {
            TrainingBatch.slice(values, rows: timeSteps, width: 1, columns: batchSize, range)
        }
        return LossTargets(vs: part(vs), advantages: part(advantages), logRhos: part(logRhos))
    }
}

/// The loss terms of one batch, each averaged over its T·B samples.
public struct LossTerms: Sendable, Equatable {
    public var policy: Float
    public var baseline: Float
    public var entropy: Float
    /// policy + baselineCost·baseline − entropyCost·entropy.
    public var total: Float
    /// Share of samples whose ratio π/μ lies outside APPO's clipping range (0 for IMPALA).
    public var clipFraction: Float = 0
    /// Estimate of KL(μ ‖ π) between behaviour and current policy, the mean of (ρ − 1) − log ρ.
    public var approximateKL: Float = 0
}

/// The IMPALA loss: −A·log π(a) + baselineCost·½(v_s − V)² − entropyCost·H(π), averaged over samples; with
/// `LossSettings.clippedSurrogate` (APPO), −min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A) in place of −A·log π(a).
///
/// The network is evaluated on all T+1 rows of observations: rows 0..<T give π and V(x_t), row T gives the
/// bootstrap value V(x_T). A terminated step has discount 0; a truncated step also cuts the trace (discount 0) but
/// its reward gains γ·V(final observation), so the return is bootstrapped rather than ended. A reset step (see
/// `Rollout.resetSteps`) is left out: its importance weight is 0, so V-trace gives it v_s = V and no advantage and
/// cuts the trace there, and it adds no entropy; averages are over the steps learned from.
public enum ImpalaLoss {
    /// Computes V-trace targets from the network's outputs on the batch.
    /// - Parameters:
    ///   - policyOutputs: [T+1, B, P]; only rows 0..<T are read.
    ///   - values: [T+1, B].
    ///   - truncatedValues: V of `batch.truncatedObservations`, [K].
    public static func targets(
        batch: TrainingBatch, distribution: ActionDistribution, policyOutputs: [Float], values: [Float],
        truncatedValues: [Float], settings: LossSettings
    ) -> LossTargets {
        let (t, b, p, a) = (batch.timeSteps, batch.batchSize, batch.distributionParameterCount, batch.actionSize)
        let count = t * b
        var logRhos = [Float](repeating: 0, count: count)
        var discounts = [Float](repeating: 0, count: count)
        var rewards = batch.rewards
        policyOutputs.withUnsafeBufferPointer { target in
            batch.behaviourLogits.withUnsafeBufferPointer { behaviour in
                batch.actions.withUnsafeBufferPointer { actions in
                    for i in 0..<count {
                        guard batch.isLearned(i) else {
                            logRhos[i] = -.infinity  // ρ = 0
                            continue
                        }
                        let action = actions.baseAddress! + i * a
                        logRhos[i] = distribution.logProbability(target.baseAddress! + i * p, action: action)
                            - distribution.logProbability(behaviour.baseAddress! + i * p, action: action)
                    }
                }
            }
        }
        for i in 0..<count where !batch.terminated[i] && !batch.truncated[i] { discounts[i] = settings.discount }
        for (k, i) in batch.truncatedIndices.enumerated() { rewards[i] += settings.discount * truncatedValues[k] }
        let result = VTrace.targets(
            logRhos: logRhos, discounts: discounts, rewards: rewards, values: Array(values[0..<count]),
            bootstrapValues: Array(values[count..<(count + b)]), timeSteps: t, batchSize: b, settings: settings.vtrace)
        return LossTargets(vs: result.vs, advantages: result.policyGradientAdvantages, logRhos: logRhos)
    }

    /// The loss and its derivatives with respect to the network outputs ([T+1, B, P] and [T+1, B]; row T is 0).
    public static func lossAndGradient(
        batch: TrainingBatch, distribution: ActionDistribution, policyOutputs: [Float], values: [Float],
        targets: LossTargets, settings: LossSettings
    ) -> (terms: LossTerms, policyOutputGradient: [Float], valueGradient: [Float]) {
        let (t, b, p, a) = (batch.timeSteps, batch.batchSize, batch.distributionParameterCount, batch.actionSize)
        let count = t * b
        let scale = 1 / Float(max(1, batch.learnedCount))
        var policyGradient = [Float](repeating: 0, count: (t + 1) * b * p)
        var valueGradient = [Float](repeating: 0, count: (t + 1) * b)
        var (policyLoss, baselineLoss, entropySum): (Double, Double, Double) = (0, 0, 0)
        var (outside, kl): (Int, Double) = (0, 0)
        policyOutputs.withUnsafeBufferPointer { outputs in
            batch.actions.withUnsafeBufferPointer { actions in
                batch.behaviourLogits.withUnsafeBufferPointer { behaviour in
                    policyGradient.withUnsafeMutableBufferPointer { gradient in
                        for i in 0..<count where batch.isLearned(i) {
                            let row = outputs.baseAddress! + i * p
                            let action = actions.baseAddress! + i * a
                            let advantage = targets.advantages[i]
                            let logPi = distribution.logProbability(row, action: action)
                            let logMu = distribution.logProbability(behaviour.baseAddress! + i * p, action: action)
                            let logRatio = logPi - logMu
                            kl += Double(expFloat(logRatio) - 1 - logRatio)
                            let weight: Float  // d(policy loss)/d log π, before averaging
                            if let surrogate = settings.clippedSurrogate {
                                let sample = surrogate.objective(logRatio: logRatio, advantage: advantage)
                                policyLoss -= Double(sample.value)
                                weight = -sample.derivative
                                if sample.outside { outside += 1 }
                            } else {
                                policyLoss -= Double(advantage * logPi)
                                weight = -advantage
                            }
                            entropySum += Double(distribution.entropy(row))
                            distribution.addGradient(
                                row, action: action, logProbabilityWeight: weight * scale,
                                entropyWeight: -settings.entropyCost * scale, into: gradient.baseAddress! + i * p)
                            let error = values[i] - targets.vs[i]
                            baselineLoss += Double(0.5 * error * error)
                            valueGradient[i] = settings.baselineCost * error * scale
                        }
                    }
                }
            }
        }
        let policy = Float(policyLoss) * scale
        let baseline = Float(baselineLoss) * scale
        let entropy = Float(entropySum) * scale
        let total = policy + settings.baselineCost * baseline - settings.entropyCost * entropy
        let terms = LossTerms(policy: policy, baseline: baseline, entropy: entropy, total: total,
                              clipFraction: Float(outside) * scale, approximateKL: Float(kl) * scale)
        return (terms, policyGradient, valueGradient)
    }
}
