import ShoalCore

/// What the learner has seen and done, for stop conditions, heartbeats and metrics.
struct LearnerProgress {
    /// Environment steps in unique rollouts received (consumed or not).
    var envSteps: Int64 = 0
    var episodes = EpisodeWindow(capacity: 100)
    var lags: [UInt64] = []
    var lastUpdate: UpdateStatistics?

    mutating func observe(_ rollout: Rollout) {
        envSteps += Int64(rollout.unrollLength * rollout.batchSize)
        for episode in rollout.episodes { episodes.append(episode) }
    }

    mutating func record(_ statistics: UpdateStatistics) {
        lags.append(contentsOf: statistics.policyLags)
        lastUpdate = statistics
    }

    /// Median and maximum of the lags since the last call, then forgets them.
    mutating func takeLagSummary() -> (median: Double, mean: Double, max: Double)? {
        guard !lags.isEmpty else { return nil }
        let sorted = lags.sorted()
        lags.removeAll(keepingCapacity: true)
        let mean = Double(sorted.reduce(0, +)) / Double(sorted.count)
        return (Double(sorted[sorted.count / 2]), mean, Double(sorted.last!))
    }
}
