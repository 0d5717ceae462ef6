import ShoalCore

/// Accumulates counters from rollouts and updates and turns them into `TrainingProgress` snapshots.
struct ProgressTracker {
    private(set) var envSteps = 0
    private(set) var updates = 0
    private(set) var episodes = EpisodeWindow(capacity: 100)
    private var lags: [UInt64] = []
    private var lastUpdate: TrainingProgress.UpdateSummary?
    private var stepsAtLastSnapshot = 0
    private var secondsAtLastSnapshot = 0.0

    mutating func record(_ rollout: Rollout) {
        envSteps += rollout.unrollLength * rollout.batchSize
        for episode in rollout.episodes { episodes.append(episode) }
    }

    mutating func record(_ statistics: UpdateStatistics) {
        updates += 1
        lags.append(contentsOf: statistics.policyLags)
        lastUpdate = .init(
            policyLoss: statistics.loss.policy, baselineLoss: statistics.loss.baseline,
            entropy: statistics.loss.entropy, gradientNorm: statistics.gradientNorm,
            learningRate: statistics.learningRate)
    }

    /// The progress now; rates and the mean lag cover the time since the previous snapshot.
    mutating func snapshot(elapsed: Double) -> TrainingProgress {
        let interval = elapsed - secondsAtLastSnapshot
        let rate = interval > 0 ? Double(envSteps - stepsAtLastSnapshot) / interval : 0
        let lag = lags.isEmpty ? 0 : Double(lags.reduce(0, +)) / Double(lags.count)
        (stepsAtLastSnapshot, secondsAtLastSnapshot) = (envSteps, elapsed)
        lags.removeAll(keepingCapacity: true)
        return TrainingProgress(
            elapsedSeconds: elapsed, envSteps: envSteps, updates: updates, stepsPerSecond: rate,
            meanReturn: episodes.meanReturn, episodes: episodes.episodesSeen, policyLag: lag, lastUpdate: lastUpdate)
    }
}
