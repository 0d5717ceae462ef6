import ShoalCore

extension MessageValidator {
    /// Checks a rollout: run, sizes within limits and fitting the network, array lengths, acknowledgement floor,
    /// policy version, finite numbers, action indices, and truncation and episode bookkeeping.
    public func validate(_ rollout: Rollout) throws(WireError) {
        try checkRunID(rollout.origin.runID)
        try checkSizes(of: rollout)
        try checkCounts(of: rollout)
        // The rollout itself is not acknowledged yet, so the actor cannot have forgotten it.
        guard rollout.acknowledgedBelow <= rollout.origin.seq else {
            throw WireError(
                .inconsistent("acknowledgedBelow"),
                "acknowledgedBelow \(rollout.acknowledgedBelow) is above the rollout's own seq \(rollout.origin.seq)")
        }
        if let newest = newestWeights, rollout.policyVersion > newest.version {
            throw WireError(
                .futureVersion, "rollout used policy v\(rollout.policyVersion), the newest known is \(newest)")
        }
        try checkObservations(rollout.observations, field: "observations")
        try checkFinite(rollout.actions, field: "actions")
        try checkFinite(rollout.rewards, field: "rewards")
        try checkFinite(rollout.behaviourLogits, field: "behaviourLogits")
        try checkObservations(rollout.truncatedObservations, field: "truncatedObservations")
        try checkFinite(rollout.recurrentState, field: "recurrentState")
        if case .categorical(let actionCount) = limits.network?.head {
            try checkActionIndices(rollout.actions, below: actionCount)
        }
        try checkTruncation(of: rollout)
        try checkEpisodes(of: rollout)
    }

    private func checkSizes(of rollout: Rollout) throws(WireError) {
        try checkSize(rollout.unrollLength, limit: limits.maxUnrollLength, field: "unrollLength")
        try checkSize(rollout.batchSize, limit: limits.maxBatchSize, field: "batchSize")
        var observationSize = 1
        for dimension in rollout.observationShape {
            // Each dimension is at least 1 and at most the limit, so the running product cannot overflow.
            try checkSize(dimension, limit: limits.maxObservationSize, field: "observationShape")
            observationSize *= dimension
            try checkSize(observationSize, limit: limits.maxObservationSize, field: "observationShape")
        }
        try checkSize(rollout.actionSize, limit: limits.maxActionSize, field: "actionSize")
        try checkSize(
            rollout.distributionParameterCount, limit: limits.maxDistributionParameters,
            field: "distributionParameterCount")
        guard let network = limits.network else { return }
        guard rollout.observations.isBytes == network.observationDType.isBytes else {
            throw WireError(
                .architectureMismatch,
                "rollout has \(rollout.observations.isBytes ? "uint8" : "float32") observations; network \(network) "
                    + "reads \(network.observationDType.rawValue)")
        }
        let fits =
            observationSize == network.observationSize && rollout.actionSize == network.head.actionSize
            && rollout.distributionParameterCount == network.head.distributionParameterCount
        guard fits else {
            throw WireError(
                .architectureMismatch,
                "rollout has observation size \(observationSize), action size \(rollout.actionSize) and "
                    + "\(rollout.distributionParameterCount) distribution parameters; network \(network) expects "
                    + "\(network.observationSize), \(network.head.actionSize) and "
                    + "\(network.head.distributionParameterCount)")
        }
        let stateSize = rollout.batchSize * 2 * (network.lstmSize ?? 0)
        guard rollout.recurrentState.count == stateSize else {
            throw WireError(
                .architectureMismatch,
                "rollout has a recurrent state of \(rollout.recurrentState.count) values; network \(network) expects "
                    + "\(stateSize) (2 × \(rollout.batchSize) environments × LSTM size \(network.lstmSize ?? 0))")
        }
    }

    /// Array lengths against the sizes.
    private func checkCounts(of rollout: Rollout) throws(WireError) {
        let steps = rollout.unrollLength
        let batch = rollout.batchSize
        let observationSize = rollout.observationSize
        try checkCount(rollout.observations.count, sizes: steps + 1, batch, observationSize, field: "observations")
        try checkCount(rollout.actions.count, sizes: steps, batch, rollout.actionSize, field: "actions")
        try checkCount(rollout.rewards.count, sizes: steps, batch, field: "rewards")
        try checkCount(rollout.terminated.count, sizes: steps, batch, field: "terminated")
        try checkCount(rollout.truncated.count, sizes: steps, batch, field: "truncated")
        try checkCount(
            rollout.behaviourLogits.count, sizes: steps, batch, rollout.distributionParameterCount,
            field: "behaviourLogits")
        try checkCount(
            rollout.truncatedObservations.count, sizes: rollout.truncatedIndices.count, observationSize,
            field: "truncatedObservations")
        if !rollout.resetSteps.isEmpty {
            try checkCount(rollout.resetSteps.count, sizes: steps, batch, field: "resetSteps")
            // A reset step ends nothing: it only begins the next episode.
            if let step = rollout.resetSteps.indices.first(where: {
                rollout.resetSteps[$0] && (rollout.terminated[$0] || rollout.truncated[$0])
            }) {
                throw WireError(.inconsistent("resetSteps"), "step \(step) is a reset step that ends an episode")
            }
        }
    }

    /// Floats must be finite; bool observations 0 or 1.
    private func checkObservations(_ observations: ObservationData, field: String) throws(WireError) {
        switch observations {
        case .float32(let values):
            try checkFinite(values, field: field)
        case .uint8(let values):
            guard limits.network?.observationDType == .bool, !allZeroOrOne(values) else { return }
            throw WireError(.outOfRange(field), "\(field) holds a flag other than 0 or 1")
        }
    }

    private func checkActionIndices(_ actions: [Float], below actionCount: Int) throws(WireError) {
        let limit = Float(min(actionCount, 1 << 30))  // keeps the Int32 conversion below in range
        let allIndices = actions.withUnsafeBufferPointer { actions in
            // No early exit, and the Int32 round trip stands in for a call to truncf: this loop vectorises.
            var allIndices = true
            for action in actions {
                let inRange = action >= 0 && action < limit
                allIndices = allIndices && inRange && Float(Int32(inRange ? action : 0)) == action
            }
            return allIndices
        }
        guard !allIndices else { return }
        let bad = actions.firstIndex { !($0 >= 0 && $0 < limit && $0.rounded(.towardZero) == $0) } ?? 0
        throw WireError(
            .outOfRange("actions"), "actions[\(bad)] is \(actions[bad]), not an index below \(actionCount)")
    }

    /// `truncatedIndices` must list exactly the steps flagged truncated and not terminated (those whose return is
    /// bootstrapped), in increasing order.
    private func checkTruncation(of rollout: Rollout) throws(WireError) {
        var previous = -1
        for index in rollout.truncatedIndices.map({ Int($0) }) {
            guard index > previous, index < rollout.truncated.count else {
                throw WireError(
                    .outOfRange("truncatedIndices"),
                    "truncatedIndices holds \(index) after \(previous); they must increase and stay below "
                        + "\(rollout.truncated.count)")
            }
            guard rollout.truncated[index], !rollout.terminated[index] else {
                throw WireError(
                    .inconsistent("truncatedIndices"), "step \(index) is listed but not truncated-and-not-terminated")
            }
            previous = index
        }
        let flagged = zip(rollout.truncated, rollout.terminated).count(where: { $0 && !$1 })
        guard flagged == rollout.truncatedIndices.count else {
            throw WireError(
                .inconsistent("truncatedIndices"),
                "\(flagged) steps are truncated and not terminated but \(rollout.truncatedIndices.count) are listed")
        }
    }

    /// Every finished episode ended on a flagged step, so there can be no more episodes than flags.
    private func checkEpisodes(of rollout: Rollout) throws(WireError) {
        let ended = zip(rollout.terminated, rollout.truncated).count(where: { $0 || $1 })
        guard rollout.episodes.count <= ended else {
            throw WireError(
                .inconsistent("episodes"),
                "\(rollout.episodes.count) episodes finished but only \(ended) steps end one")
        }
        for (index, episode) in rollout.episodes.enumerated() {
            guard episode.episodeReturn.isFinite else {
                throw WireError(.nonFinite("episodes"), "episodes[\(index)] has return \(episode.episodeReturn)")
            }
            guard episode.length >= 1 else {
                throw WireError(.outOfRange("episodes"), "episodes[\(index)] has length \(episode.length)")
            }
        }
    }
}
