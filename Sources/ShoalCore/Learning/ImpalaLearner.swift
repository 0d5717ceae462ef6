/// Everything the learner's update depends on besides the network.
public struct LearnerSettings: Sendable, Equatable, Codable {
    public var loss = LossSettings()
    public var optimizer = OptimizerSettings.adam()
    public var learningRate = LearningRateSchedule.constant(1e-3)
    /// Gradients are scaled down to this global L2 norm.
    public var maxGradientNorm: Float = 40
    /// Passes over each batch, and the minibatches of its columns each pass takes one optimizer step on (APPO;
    /// IMPALA takes one step on the whole batch). V-trace targets are computed once per batch.
    public var epochs = 1
    public var minibatches = 1

    public init(loss: LossSettings = LossSettings(), optimizer: OptimizerSettings = .adam(),
                learningRate: LearningRateSchedule = .constant(1e-3), maxGradientNorm: Float = 40,
                epochs: Int = 1, minibatches: Int = 1) {
        precondition(epochs > 0 && minibatches > 0)
        self.loss = loss
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.maxGradientNorm = maxGradientNorm
        self.epochs = epochs
        self.minibatches = minibatches
    }
}

/// What one update did, for metrics.
public struct UpdateStatistics: Sendable, Equatable {
    /// The loss terms of the last optimizer step.
    public var loss: LossTerms
    /// The total loss of each pass over the batch, averaged over its minibatches.
    public var epochLosses: [Float]
    /// Global gradient norm before clipping, at the last optimizer step.
    public var gradientNorm: Float
    public var learningRate: Float
    /// Mean of min(1, ρ) over the batch: how on-policy the data was.
    public var meanClippedRho: Float
    /// Learner version minus each rollout's policy version, before this update.
    public var policyLags: [UInt64]
    /// Weights version after the update.
    public var version: UInt64
    /// value = valueScale·output + valueShift after the update (1 and 0 without return normalisation).
    public var valueScale: Float = 1
    public var valueShift: Float = 0
}

/// The IMPALA learner algorithm: V-trace targets, loss, backward pass, clipping and an optimizer step.
/// Pure and in-process; the learner service only feeds it batches and publishes its parameters.
public final class ImpalaLearner {
    public let network: ActorCriticNetwork
    public private(set) var optimizer: any Optimizer
    public let settings: LearnerSettings
    /// Weights version: the number of updates applied since the run began.
    public private(set) var version: UInt64
    private let distribution: ActionDistribution
    private var gradient: [Float]

    public init(network: ActorCriticNetwork, settings: LearnerSettings, version: UInt64 = 0) {
        self.network = network
        self.settings = settings
        self.version = version
        self.optimizer = settings.optimizer.makeOptimizer(parameterCount: network.layout.count)
        self.distribution = ActionDistribution(network.spec.head)
        self.gradient = [Float](repeating: 0, count: network.layout.count)
    }

    /// Restores optimizer state and version from a checkpoint.
    public func restore(version: UInt64, parameters: [Float], optimizerTensors: [String: [Float]],
                        optimizerScalars: [String: Double]) throws(CheckpointError) {
        guard parameters.count == network.layout.count else {
            throw CheckpointError(.doesNotFit, path: "",
                                  reason: "checkpoint has \(parameters.count) parameters, network has \(network.layout.count)")
        }
        try optimizer.restore(tensors: optimizerTensors, scalars: optimizerScalars)
        network.parameters = parameters
        self.version = version
    }

    /// Applies one update from `batch` (`epochs` × `minibatches` optimizer steps) and returns what it did.
    @discardableResult
    public func update(_ batch: TrainingBatch) -> UpdateStatistics {
        let transform = valueTransform
        let truncatedValues = valuesOfTruncatedObservations(batch).map { transform.scale * $0 + transform.shift }
        forward(batch)
        let targets = normalizingReturns(ImpalaLoss.targets(
            batch: batch, distribution: distribution, policyOutputs: network.policyOutputs,
            values: network.values.map { transform.scale * $0 + transform.shift },
            truncatedValues: truncatedValues, settings: settings.loss), of: batch)
        let learningRate = settings.learningRate.learningRate(atUpdate: Int(version))
        let parts = min(settings.minibatches, batch.batchSize)
        var last: (terms: LossTerms, norm: Float)?
        var epochLosses: [Float] = []
        for epoch in 0..<settings.epochs {
            var epochLoss: Float = 0
            for part in 0..<parts {
                // Columns split as evenly as they go; the first pass reuses the forward pass above when whole.
                let columns = (part * batch.batchSize / parts)..<((part + 1) * batch.batchSize / parts)
                let whole = parts == 1
                let minibatch = whole ? batch : batch.columns(columns)
                if epoch > 0 || !whole { forward(minibatch) }
                let result = step(minibatch, targets: whole ? targets : targets.columns(
                    columns, timeSteps: batch.timeSteps, batchSize: batch.batchSize), learningRate: learningRate)
                epochLoss += result.terms.total / Float(parts)
                last = result
            }
            epochLosses.append(epochLoss)
        }
        // The rows acted on (not the bootstrap row, which the next unroll acts on) join the observation statistics.
        if let observations = batch.observations.floats {
            let acted = batch.timeSteps * batch.batchSize * batch.observationSize
            ObservationStatistics.update(&network.parameters, layout: network.layout,
                                         observations: observations[0..<acted], observationSize: batch.observationSize)
        }

        let lags = batch.policyVersions.map { version >= $0 ? version - $0 : 0 }
        version += 1
        let learnedLogRhos = targets.logRhos.filter(\.isFinite)  // reset steps have ρ = 0 and are left out
        let meanClippedRho = learnedLogRhos.reduce(Float(0)) { $0 + min(1, expFloat($1)) }
            / Float(max(learnedLogRhos.count, 1))
        return UpdateStatistics(loss: last!.terms, epochLosses: epochLosses, gradientNorm: last!.norm,
                                learningRate: learningRate, meanClippedRho: meanClippedRho, policyLags: lags,
                                version: version, valueScale: valueTransform.scale, valueShift: valueTransform.shift)
    }

    /// value = scale·output + shift for the value head as it stands (`ReturnStatistics`).
    private var valueTransform: (scale: Float, shift: Float) {
        ReturnStatistics.transform(network.parameters, spec: network.spec, layout: network.layout)
    }

    /// With return normalisation: folds the learned steps' targets (in values) into the return statistics, keeps
    /// the value head's values under PopArt, and returns the targets in the head's units. Unchanged without.
    private func normalizingReturns(_ targets: LossTargets, of batch: TrainingBatch) -> LossTargets {
        guard network.spec.returnNormalization != .none else { return targets }
        let before = valueTransform
        let learned = targets.vs.indices.filter(batch.isLearned).map { targets.vs[$0] }
        ReturnStatistics.update(&network.parameters, layout: network.layout, returns: learned)
        let after = valueTransform
        if network.spec.returnNormalization == .popart {
            network.transformValueHead(scale: before.scale / after.scale,
                                       shift: (before.shift - after.shift) / after.scale)
        }
        return targets.normalized(scale: after.scale, shift: after.shift)
    }

    /// Runs the batch's T + 1 rows through the network, a recurrent one from the actors' states.
    private func forward(_ batch: TrainingBatch) {
        batch.observations.withInput {
            network.forward($0, timeSteps: batch.timeSteps + 1, batch: batch.batchSize,
                            initialState: batch.recurrentState,
                            episodeStarts: network.spec.isRecurrent ? batch.episodeStarts : [])
        }
    }

    /// One optimizer step on `batch`, whose forward pass the network holds: the loss terms and the gradient norm.
    private func step(_ batch: TrainingBatch, targets: LossTargets, learningRate: Float) -> (terms: LossTerms, norm: Float) {
        let (terms, policyGradient, valueGradient) = ImpalaLoss.lossAndGradient(
            batch: batch, distribution: distribution, policyOutputs: network.policyOutputs, values: network.values,
            targets: targets, settings: settings.loss)
        for i in gradient.indices { gradient[i] = 0 }
        network.backward(policyOutputGradient: policyGradient, valueGradient: valueGradient, into: &gradient)
        let norm = GradientClipping.clipGlobalNorm(&gradient, maxNorm: settings.maxGradientNorm)
        optimizer.step(parameters: &network.parameters, gradient: gradient, learningRate: learningRate)
        return (terms, norm)
    }

    /// V(final observation) of each truncated step; a separate forward pass before the main one, whose
    /// activations the backward pass needs. A recurrent network reads each from its state after that step.
    private func valuesOfTruncatedObservations(_ batch: TrainingBatch) -> [Float] {
        guard !batch.truncatedIndices.isEmpty else { return [] }
        var states: [Float] = []
        if network.spec.isRecurrent {
            forward(batch)
            states = network.states(after: batch.truncatedIndices)
        }
        batch.truncatedObservations.withInput {
            network.forward($0, timeSteps: 1, batch: batch.truncatedIndices.count, initialState: states)
        }
        return network.values
    }
}
