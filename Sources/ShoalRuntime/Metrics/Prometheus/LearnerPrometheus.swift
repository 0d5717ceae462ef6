import Prometheus

/// The learner's Prometheus series, moved on from each `LearnerReport`.
public final class LearnerPrometheus {
    private let envSteps, updates, received, consumed, duplicates, episodes: TotalCounter
    private let dropped: [DropReason: TotalCounter]
    private let rejected: LabelledCounters
    private let version, queueDepth, connected, lag, meanReturn: Gauge

    /// Series for a learner whose counts start at `start` (those restored from a checkpoint).
    public init(metrics: PrometheusMetrics, start: LearnerReport) {
        let counters = start.counters
        envSteps = metrics.counter("shoal_env_steps_total", help: "Environment steps in the rollouts received.",
                                   from: start.envSteps)
        updates = metrics.counter("shoal_updates_total", help: "Updates applied to the policy.",
                                  from: counters.updates)
        received = metrics.counter("shoal_rollouts_received_total",
                                   help: "Rollout messages received, duplicates and malformed ones included.",
                                   from: counters.received)
        let outcomeHelp = "Rollouts settled, by outcome (consumed, dropped with a reason, duplicate)."
        consumed = metrics.counter("shoal_rollouts_total", help: outcomeHelp, labels: [("outcome", "consumed")],
                                   from: counters.consumed)
        duplicates = metrics.counter("shoal_rollouts_total", help: outcomeHelp, labels: [("outcome", "duplicate")],
                                     from: counters.duplicates)
        dropped = Dictionary(uniqueKeysWithValues: DropReason.allCases.map { reason in
            (reason, metrics.counter("shoal_rollouts_total", help: outcomeHelp,
                                     labels: [("outcome", "dropped"), ("reason", reason.rawValue)],
                                     from: counters.dropped[reason] ?? 0))
        })
        rejected = LabelledCounters.rejectedMessages(metrics)
        episodes = metrics.counter("shoal_episodes_total", help: "Episodes ended in the rollouts received.",
                                   from: Int64(start.episodes))
        version = metrics.gauge("shoal_policy_version",
                                help: "Version of the learner's policy (updates since the run began).")
        queueDepth = metrics.gauge("shoal_learner_queue_depth", help: "Rollouts waiting in the learner's queue.")
        connected = metrics.gauge("shoal_actors_connected",
                                  help: "Actors heard from within the heartbeat timeout.")
        lag = metrics.gauge("shoal_policy_lag", help: "Median policy lag, in versions, of the rollouts last consumed.")
        meanReturn = metrics.gauge("shoal_episode_return", help: "Mean return of the last 100 episodes.")
        record(start)
    }

    /// Moves every series to the report's figures.
    public func record(_ report: LearnerReport) {
        let counters = report.counters
        envSteps.follow(report.envSteps)
        updates.follow(counters.updates)
        received.follow(counters.received)
        consumed.follow(counters.consumed)
        duplicates.follow(counters.duplicates)
        for (reason, counter) in dropped { counter.follow(counters.dropped[reason] ?? 0) }
        rejected.follow(counters.rejected)
        episodes.follow(Int64(report.episodes))
        version.set(Double(report.version))
        queueDepth.set(Double(report.queueDepth))
        connected.set(Double(report.connectedActors))
        if let median = report.medianLag { lag.set(median) }
        if let mean = report.meanReturn { meanReturn.set(Double(mean)) }
    }
}
