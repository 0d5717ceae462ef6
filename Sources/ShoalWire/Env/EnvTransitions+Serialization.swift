import Foundation

extension ObservationBatch {
    /// Rows of a tensor [count, row...] whose data must fill its shape exactly.
    init(_ tensor: Shoal_V1_Tensor, field: String, maxCount: Int) throws(WireError) {
        let dtype = try TensorDType(tensor.dtype, field: field)
        guard !tensor.shape.isEmpty else {
            throw WireError(.shapeMismatch(field), "\(field) has no leading dimension (one row per environment)")
        }
        let shape = try checkedShape(tensor.shape, field: field, maxRank: 9, maxCount: Int.max / 16)
        let layout = TensorLayout(dtype: dtype, shape: Array(shape.dropFirst()))
        guard layout.count <= maxCount else {
            throw WireError(.tooLarge(field), "\(field) rows have \(layout.count) elements, the limit is \(maxCount)")
        }
        guard tensor.data.count == shape[0] * layout.byteCount else {
            throw WireError(.malformed, "\(field) has shape \(shape) of \(dtype) but \(tensor.data.count) bytes")
        }
        self.init(layout: layout, count: shape[0], data: tensor.data)
    }

    var proto: Shoal_V1_Tensor {
        var proto = Shoal_V1_Tensor()
        proto.dtype = layout.dtype.proto
        proto.shape = ([count] + layout.shape).map(Int64.init)
        proto.data = data
        return proto
    }
}

extension EnvTransitions {
    init(_ proto: Shoal_V1_EnvTransitions, maxCount: Int) throws(WireError) {
        guard proto.ended.allSatisfy({ $0 <= Int32.max }) else {
            throw WireError(.outOfRange("ended"), "ended holds an index beyond any environment")
        }
        self.init(
            observations: try ObservationBatch(
                required(proto.observations, present: proto.hasObservations, field: "observations"),
                field: "observations", maxCount: maxCount),
            rewards: proto.rewards, terminated: proto.terminated, truncated: proto.truncated,
            ended: proto.ended.map { Int($0) },
            finalObservations: try ObservationBatch(
                required(proto.finalObservations, present: proto.hasFinalObservations, field: "final_observations"),
                field: "final_observations", maxCount: maxCount),
            episodes: proto.episodes.map { EpisodeEnd(episodeReturn: $0.episodeReturn, length: Int($0.length)) })
    }

    var proto: Shoal_V1_EnvTransitions {
        var proto = Shoal_V1_EnvTransitions()
        proto.observations = observations.proto
        proto.rewards = rewards
        proto.terminated = terminated
        proto.truncated = truncated
        proto.ended = ended.map { UInt32($0) }
        proto.finalObservations = finalObservations.proto
        proto.episodes = episodes.map { episode in
            var proto = Shoal_V1_EpisodeEnd()
            (proto.episodeReturn, proto.length) = (episode.episodeReturn, Int64(episode.length))
            return proto
        }
        return proto
    }
}
