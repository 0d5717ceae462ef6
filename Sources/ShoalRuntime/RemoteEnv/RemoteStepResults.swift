import ShoalCore
import ShoalWire

/// An environment server's step reply in the form `UnrollBuffers` records: the final observations scattered to
/// their lanes' rows, episode statistics in lane order.
struct RemoteStepResults: LaneStepResults {
    var rewards: [Float]
    var terminated: [Bool]
    var truncated: [Bool]
    var finalObservations: [Float]
    var finishedEpisodes: [EpisodeStats]

    /// `transitions` must have passed `EnvReplyValidator`.
    init(_ transitions: EnvTransitions, observationSize: Int) {
        rewards = transitions.rewards.map { Float($0) }
        terminated = transitions.terminated
        truncated = transitions.truncated
        finishedEpisodes = transitions.episodes.map {
            EpisodeStats(episodeReturn: Float($0.episodeReturn), length: Int32(clamping: $0.length))
        }
        finalObservations = []
        guard !transitions.ended.isEmpty else { return }
        let finals = transitions.finalObservations.floats()
        finalObservations = [Float](repeating: 0, count: rewards.count * observationSize)
        for (row, lane) in transitions.ended.enumerated() {
            finalObservations.replaceSubrange(
                (lane * observationSize)..<((lane + 1) * observationSize),
                with: finals[(row * observationSize)..<((row + 1) * observationSize)])
        }
    }
}
