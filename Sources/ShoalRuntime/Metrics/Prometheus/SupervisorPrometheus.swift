import Prometheus

/// A supervisor's Prometheus series, moved on from each status it writes: restarts of each child, children by
/// state, heartbeats ignored and whether the rollout accounting of its processes adds up.
public final class SupervisorPrometheus {
    private let metrics: PrometheusMetrics
    private var restarts: [String: TotalCounter] = [:]
    private let children: [ProcessState: Gauge]
    private let ignored: LabelledCounters
    /// Made once the host's ledger covers the learner and the actors: only then does its accounting balance.
    private var balance: (inFlight: Gauge, imbalance: Gauge)?

    public init(metrics: PrometheusMetrics) {
        self.metrics = metrics
        children = Dictionary(uniqueKeysWithValues: ProcessState.allCases.map { state in
            (state, metrics.gauge("shoal_children", help: "Supervised processes, by state.",
                                  labels: [("state", state.rawValue)]))
        })
        ignored = LabelledCounters(metrics, family: "shoal_heartbeats_ignored_total", label: "reason",
                                   help: "Heartbeats ignored: malformed, of another run, unknown or stale senders.")
    }

    /// Moves every series to what `status` says, with the heartbeats ignored so far.
    public func record(_ status: RunStatus, ignoredHeartbeats: [String: Int]) {
        for process in status.processes {
            let counter = restarts[process.name] ?? metrics.counter(
                "shoal_restarts_total", help: "Restarts of a supervised process after a crash or silence.",
                labels: [("child", process.name), ("child_role", process.role)])
            restarts[process.name] = counter
            counter.follow(Int64(process.restarts))
        }
        for (state, gauge) in children {
            gauge.set(Double(status.processes.count { $0.state == state }))
        }
        ignored.follow(ignoredHeartbeats.mapValues(Int64.init))
        guard status.ledger?.coversLearnerAndActors == true else { return }
        let balance = self.balance ?? (
            metrics.gauge("shoal_rollouts_in_flight",
                          help: "Rollouts produced and not yet consumed or dropped (learner and actors on this host)."),
            metrics.gauge("shoal_rollout_accounting_imbalance",
                          help: "Produced minus consumed, dropped and in flight: 0 when every rollout is "
                              + "accounted for.")
        )
        self.balance = balance
        balance.inFlight.set(Double(status.accounting.inFlight))
        balance.imbalance.set(Double(status.accounting.imbalance))
    }
}
