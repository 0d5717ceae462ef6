import ShoalCore

extension MessageValidator {
    /// Checks weights: run, size, a plausible network matching the receiver's, checksum, finite parameters, and
    /// that they are newer than the ones held.
    public func validate(_ weights: Weights) throws(WireError) {
        try checkRunID(weights.runID)
        try checkSize(weights.parameters.count, limit: limits.maxParameters, field: "parameters")
        try checkPlausible(weights.network)
        let expectedCount = ParameterLayout(spec: weights.network).count
        try checkCount(weights.parameters.count, sizes: expectedCount, field: "parameters")
        if let expected = limits.network, weights.network != expected {
            throw WireError(
                .architectureMismatch, "weights are for network \(weights.network), this process runs \(expected)")
        }
        guard weights.hasValidChecksum else {
            throw WireError(
                .badChecksum,
                "weights \(weights.stamp) carry checksum \(weights.checksum) but their parameters sum to "
                    + "\(crc32c(weights.parameters))")
        }
        try checkFinite(weights.parameters, field: "parameters")
        if let held = newestWeights, weights.stamp <= held {
            throw WireError(.staleVersion, "weights \(weights.stamp) are not newer than the held \(held)")
        }
    }

    /// Checks a snapshot request: run, and that the actor does not claim weights newer than the learner's.
    public func validate(_ request: WeightsRequest) throws(WireError) {
        try checkRunID(request.runID)
        if let held = request.held, let newest = newestWeights, held > newest {
            throw WireError(.futureVersion, "actor \(request.actorID) holds \(held), the newest published is \(newest)")
        }
    }

    private func checkPlausible(_ network: NetworkSpec) throws(WireError) {
        try checkSize(network.observationSize, limit: limits.maxObservationSize, field: "network.observationSize")
        guard network.hiddenSizes.count <= limits.maxHiddenLayers else {
            throw WireError(
                .tooLarge("network.hiddenSizes"),
                "network has \(network.hiddenSizes.count) hidden layers, the limit is \(limits.maxHiddenLayers)")
        }
        for width in network.hiddenSizes {
            try checkSize(width, limit: limits.maxLayerWidth, field: "network.hiddenSizes")
        }
        if let lstmSize = network.lstmSize {
            try checkSize(lstmSize, limit: limits.maxLayerWidth, field: "network.lstmSize")
        }
        try checkSize(network.head.actionSize, limit: limits.maxActionSize, field: "network.head")
        try checkSize(
            network.head.distributionParameterCount, limit: limits.maxDistributionParameters, field: "network.head")
    }
}
