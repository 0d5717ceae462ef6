import ShoalCore

/// What a vector of environments produced on its last step, plus the running episode counters; one entry per lane.
struct VectorOutputs {
    var observations: [Float]
    var finalObservations: [Float]
    var rewards: [Float]
    var terminated: [Bool]
    var truncated: [Bool]
    var episodeReturns: [Double]
    var episodeLengths: [Int]
    var finishedEpisodes: [EpisodeStats]

    init(batchSize: Int, observationSize: Int) {
        observations = Array(repeating: 0, count: batchSize * observationSize)
        finalObservations = Array(repeating: 0, count: batchSize * observationSize)
        rewards = Array(repeating: 0, count: batchSize)
        terminated = Array(repeating: false, count: batchSize)
        truncated = Array(repeating: false, count: batchSize)
        episodeReturns = Array(repeating: 0, count: batchSize)
        episodeLengths = Array(repeating: 0, count: batchSize)
        finishedEpisodes = []
        finishedEpisodes.reserveCapacity(batchSize)
    }

    /// Forgets the last step and the episodes in progress, as after a reset of every lane.
    mutating func clear() {
        for lane in rewards.indices {
            rewards[lane] = 0
            terminated[lane] = false
            truncated[lane] = false
            episodeReturns[lane] = 0
            episodeLengths[lane] = 0
        }
        finishedEpisodes.removeAll(keepingCapacity: true)
    }

    /// Reports the episodes that ended on this step (in lane order) and restarts their counters.
    mutating func closeFinishedEpisodes() {
        finishedEpisodes.removeAll(keepingCapacity: true)
        for lane in rewards.indices where terminated[lane] || truncated[lane] {
            finishedEpisodes.append(
                EpisodeStats(episodeReturn: Float(episodeReturns[lane]), length: Int32(episodeLengths[lane]))
            )
            episodeReturns[lane] = 0
            episodeLengths[lane] = 0
        }
    }
}
