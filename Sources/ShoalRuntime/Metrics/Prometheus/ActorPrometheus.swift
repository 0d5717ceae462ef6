import Prometheus

/// An actor's Prometheus series, moved on from each `ActorReport`.
public final class ActorPrometheus {
    private let envSteps, produced, acknowledged, resent: TotalCounter
    private let version, unacknowledged: Gauge
    /// Made at the first report that has environment servers (none for built-in environments).
    private var serversUp: Gauge?
    private let metrics: PrometheusMetrics
    private let rejected: LabelledCounters
    /// Environment-server counters, by the prefix of their figures in `ActorReport.environments`.
    private let environmentCounters: [String: LabelledCounters]

    public init(metrics: PrometheusMetrics) {
        self.metrics = metrics
        envSteps = metrics.counter("shoal_env_steps_total", help: "Environment steps taken by this actor.")
        produced = metrics.counter("shoal_rollouts_produced_total", help: "Rollouts collected and sent.")
        acknowledged = metrics.counter("shoal_rollouts_acknowledged_total",
                                       help: "Rollouts the learner has acknowledged (consumed or dropped).")
        resent = metrics.counter("shoal_rollouts_resent_total",
                                 help: "Rollouts sent again for want of an acknowledgement.")
        version = metrics.gauge("shoal_policy_version", help: "Version of the weights this actor acts with.")
        unacknowledged = metrics.gauge("shoal_rollouts_unacknowledged",
                                       help: "Rollouts sent and not yet acknowledged.")
        rejected = LabelledCounters.rejectedMessages(metrics)
        environmentCounters = [
            ActorReport.Key.envFaultsPrefix: LabelledCounters(
                metrics, family: "shoal_env_server_faults_total", label: "fault",
                help: "Environment-server faults (no reply in time, error replies, bad replies, unfit servers)."),
            ActorReport.Key.abandonedPrefix: LabelledCounters(
                metrics, family: "shoal_unrolls_abandoned_total", label: "fault",
                help: "Unrolls abandoned because their environment server failed, by fault."),
            ActorReport.Key.envRejectedPrefix: LabelledCounters(
                metrics, family: "shoal_env_replies_rejected_total", label: "reason",
                help: "Environment-server replies refused, by reason."),
        ]
    }

    /// Moves every series to the report's figures.
    public func record(_ report: ActorReport) {
        envSteps.follow(report.envSteps)
        produced.follow(report.produced)
        acknowledged.follow(report.acknowledged)
        resent.follow(report.resent)
        version.set(Double(report.policyVersion))
        unacknowledged.set(Double(report.unacknowledged))
        rejected.follow(report.rejected)
        if let up = report.environments[ActorReport.Key.envServersUp] {
            serversUp = serversUp ?? metrics.gauge("shoal_env_servers_up",
                                                   help: "Environment servers this actor steps that answer.")
            serversUp?.set(up)
        }
        for (prefix, counters) in environmentCounters {
            var totals: [String: Int64] = [:]
            for (key, value) in report.environments where key.hasPrefix(prefix) {
                totals[String(key.dropFirst(prefix.count))] = Int64(value)
            }
            counters.follow(totals)
        }
    }
}
