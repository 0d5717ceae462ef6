import ShoalCore

extension Rollout: WireCodable {
    public var wireMessage: WireMessage { .rollout(self) }

    public init?(unwrapping message: WireMessage) {
        guard case .rollout(let rollout) = message else { return nil }
        self = rollout
    }
}

extension Rollout {
    var proto: Shoal_V1_Rollout {
        let steps = unrollLength
        let batch = batchSize
        var proto = Shoal_V1_Rollout()
        proto.runID = origin.runID
        proto.actorID = origin.actorID
        proto.incarnation = origin.incarnation
        proto.seq = origin.seq
        proto.policyVersion = policyVersion
        proto.unrollLength = UInt32(clamping: steps)
        proto.batchSize = UInt32(clamping: batch)
        proto.observations = Shoal_V1_Tensor(observations, shape: [steps + 1, batch] + observationShape)
        proto.actions = Shoal_V1_Tensor(actions, shape: [steps, batch, actionSize])
        proto.rewards = Shoal_V1_Tensor(rewards, shape: [steps, batch])
        proto.terminated = Shoal_V1_Tensor(flags: terminated, shape: [steps, batch])
        proto.truncated = Shoal_V1_Tensor(flags: truncated, shape: [steps, batch])
        proto.behaviourLogits = Shoal_V1_Tensor(behaviourLogits, shape: [steps, batch, distributionParameterCount])
        proto.truncatedIndices = Shoal_V1_Tensor(truncatedIndices, shape: [truncatedIndices.count])
        proto.truncatedObservations = Shoal_V1_Tensor(
            truncatedObservations, shape: [truncatedIndices.count] + observationShape)
        proto.acknowledgedBelow = acknowledgedBelow
        if !resetSteps.isEmpty { proto.resetSteps = Shoal_V1_Tensor(flags: resetSteps, shape: [steps, batch]) }
        if !recurrentState.isEmpty {
            proto.recurrentState = Shoal_V1_Tensor(
                recurrentState, shape: [2, batch, recurrentState.count / max(2 * batch, 1)])
        }
        proto.episodes = episodes.map { episode in
            var stats = Shoal_V1_EpisodeStats()
            stats.episodeReturn = episode.episodeReturn
            stats.length = episode.length
            return stats
        }
        return proto
    }

    init(proto: Shoal_V1_Rollout) throws(WireError) {
        let steps = Int(proto.unrollLength)
        let batch = Int(proto.batchSize)
        let observationsTensor = try required(proto.observations, present: proto.hasObservations, field: "observations")
        let (observations, observationsShape) = try observationsTensor.observations(field: "observations")
        let observationShape = try dimensions(of: observationsShape, after: [steps + 1, batch], field: "observations")

        let (actions, actionSize) = try Self.actions(
            required(proto.actions, present: proto.hasActions, field: "actions"), steps: steps, batch: batch)

        let rewardsTensor = try required(proto.rewards, present: proto.hasRewards, field: "rewards")
        let (rewards, rewardsShape) = try rewardsTensor.values(Float.self, field: "rewards")
        _ = try dimensions(of: rewardsShape, after: [steps, batch], rank: 2, field: "rewards")

        let terminatedTensor = try required(proto.terminated, present: proto.hasTerminated, field: "terminated")
        let (terminated, terminatedShape) = try terminatedTensor.flags(field: "terminated")
        _ = try dimensions(of: terminatedShape, after: [steps, batch], rank: 2, field: "terminated")

        let truncatedTensor = try required(proto.truncated, present: proto.hasTruncated, field: "truncated")
        let (truncated, truncatedShape) = try truncatedTensor.flags(field: "truncated")
        _ = try dimensions(of: truncatedShape, after: [steps, batch], rank: 2, field: "truncated")

        let logitsTensor = try required(
            proto.behaviourLogits, present: proto.hasBehaviourLogits, field: "behaviourLogits")
        let (behaviourLogits, logitsShape) = try logitsTensor.values(Float.self, field: "behaviourLogits")
        let parameterDimensions = try dimensions(
            of: logitsShape, after: [steps, batch], rank: 3, field: "behaviourLogits")

        let indicesTensor = try required(
            proto.truncatedIndices, present: proto.hasTruncatedIndices, field: "truncatedIndices")
        let (truncatedIndices, indicesShape) = try indicesTensor.values(Int32.self, field: "truncatedIndices")
        _ = try dimensions(of: indicesShape, after: [], rank: 1, field: "truncatedIndices")

        let finalTensor = try required(
            proto.truncatedObservations, present: proto.hasTruncatedObservations, field: "truncatedObservations")
        let (truncatedObservations, finalShape) = try finalTensor.observations(field: "truncatedObservations")
        guard truncatedObservations.isBytes == observations.isBytes else {
            throw WireError(.shapeMismatch("truncatedObservations"),
                            "truncatedObservations are \(finalTensor.dtype), observations \(observationsTensor.dtype)")
        }
        _ = try dimensions(
            of: finalShape, after: [truncatedIndices.count] + observationShape, rank: 1 + observationShape.count,
            field: "truncatedObservations")

        var resetSteps: [Bool] = []
        if proto.hasResetSteps {
            let (flags, shape) = try proto.resetSteps.flags(field: "resetSteps")
            _ = try dimensions(of: shape, after: [steps, batch], rank: 2, field: "resetSteps")
            resetSteps = flags
        }

        var recurrentState: [Float] = []
        if proto.hasRecurrentState {
            let (values, shape) = try proto.recurrentState.values(Float.self, field: "recurrentState")
            _ = try dimensions(of: shape, after: [2, batch], rank: 3, field: "recurrentState")
            recurrentState = values
        }

        self.init(
            origin: RolloutOrigin(
                runID: proto.runID, actorID: proto.actorID, incarnation: proto.incarnation, seq: proto.seq),
            policyVersion: proto.policyVersion, unrollLength: steps, batchSize: batch,
            observationShape: observationShape, actionSize: actionSize,
            distributionParameterCount: parameterDimensions[0], observations: observations, actions: actions,
            rewards: rewards, terminated: terminated, truncated: truncated, behaviourLogits: behaviourLogits,
            truncatedIndices: truncatedIndices, truncatedObservations: truncatedObservations,
            episodes: proto.episodes.map { EpisodeStats(episodeReturn: $0.episodeReturn, length: $0.length) },
            resetSteps: resetSteps, recurrentState: recurrentState, acknowledgedBelow: proto.acknowledgedBelow)
    }

    /// Actions as float32 [T, B, A] (a discrete action is its index, exact in Float), with the action size A.
    private static func actions(
        _ tensor: Shoal_V1_Tensor, steps: Int, batch: Int
    ) throws(WireError) -> (values: [Float], actionSize: Int) {
        let (values, shape) = try tensor.values(Float.self, field: "actions")
        let actionDimensions = try dimensions(of: shape, after: [steps, batch], rank: 3, field: "actions")
        return (values, actionDimensions[0])
    }
}

extension Shoal_V1_Tensor {
    /// Observations as bytes or floats, as they were sent.
    init(_ observations: ObservationData, shape: [Int]) {
        switch observations {
        case .float32(let values): self.init(values, shape: shape)
        case .uint8(let values): self.init(values, shape: shape)
        }
    }

    /// The observations a uint8 or float32 tensor holds, and its shape.
    func observations(field: String) throws(WireError) -> (values: ObservationData, shape: [Int]) {
        if dtype == .uint8 {
            let (values, shape) = try values(UInt8.self, field: field)
            return (.uint8(values), shape)
        }
        let (values, shape) = try values(Float.self, field: field)
        return (.float32(values), shape)
    }
}
