import ShoalCore
import ShoalWire

/// An environment server's step reply in the form `UnrollBuffers` records: the final observations in their dtype,
/// episode statistics in lane order.
struct RemoteStepResults: LaneStepResults {
    var rewards: [Float]
    var terminated: [Bool]
    var truncated: [Bool]
    var finishedEpisodes: [EpisodeStats]
    /// [K, O]: the final observation of each lane in `ended`, in that order.
    private var finalObservations: ObservationData
    private var ended: [Int]
    private let observationSize: Int

    /// `transitions` must have passed `EnvReplyValidator`.
    init(_ transitions: EnvTransitions, observationSize: Int) {
        rewards = transitions.rewards.map { Float($0) }
        terminated = transitions.terminated
        truncated = transitions.truncated
        finishedEpisodes = transitions.episodes.map {
            EpisodeStats(episodeReturn: Float($0.episodeReturn), length: Int32(clamping: $0.length))
        }
        ended = transitions.ended
        self.observationSize = observationSize
        finalObservations = transitions.finalObservations.observationData()
    }

    func finalObservation(lane: Int) -> ObservationData {
        let row = ended.firstIndex(of: lane)!
        return finalObservations[(row * observationSize)..<((row + 1) * observationSize)]
    }
}
