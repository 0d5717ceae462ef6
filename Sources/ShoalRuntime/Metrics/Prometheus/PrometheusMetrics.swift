import Foundation
import Prometheus
import ShoalWire

/// One process's Prometheus metrics: a swift-prometheus registry whose every series carries the run id and the
/// process's role (and an actor's id), plus the standard process metrics. Counters count from this process's start,
/// as Prometheus expects of a counter; values that span the run (the policy version) are gauges.
public final class PrometheusMetrics: Sendable {
    /// The registry the role's metrics live in.
    public let registry = PrometheusCollectorRegistry()
    private let labels: [(String, String)]
    private let residentMemory: Gauge
    private let peakMemory: Gauge

    /// Metrics labelled `run`, `role` and, for an actor, `actor`.
    public init(runID: String, role: ProcessRole, id: UInt32? = nil) {
        var labels = [("run", runID), ("role", role.rawValue)]
        if let id { labels.append(("actor", "\(id)")) }
        self.labels = labels
        residentMemory = Self.gauge(in: registry, "process_resident_memory_bytes", labels: labels,
                                    help: "Resident memory size in bytes.")
        peakMemory = Self.gauge(in: registry, "shoal_process_peak_resident_memory_bytes", labels: labels,
                                help: "Peak resident memory size of this process in bytes.")
        Self.gauge(in: registry, "process_start_time_seconds", labels: labels,
                   help: "Start time of the process since unix epoch in seconds.")
            .set(Date().timeIntervalSince1970)
    }

    /// A counter that follows a running total kept by the role, from `start` (see `TotalCounter`).
    func counter(_ name: String, help: String, labels extra: [(String, String)] = [], from start: Int64 = 0)
        -> TotalCounter
    {
        TotalCounter(registry.makeCounter(descriptor: Self.descriptor(name, help: help), labels: labels + extra),
                     from: start)
    }

    func gauge(_ name: String, help: String, labels extra: [(String, String)] = []) -> Gauge {
        Self.gauge(in: registry, name, labels: labels + extra, help: help)
    }

    private static func gauge(in registry: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)],
                              help: String) -> Gauge {
        registry.makeGauge(descriptor: descriptor(name, help: help), labels: labels)
    }

    /// A metric's full name (its unit suffix included) with its `# HELP` text.
    private static func descriptor(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// The exposition in Prometheus's text format, memory figures read now.
    public func exposition() -> [UInt8] {
        residentMemory.set(ResidentMemory.bytes)
        peakMemory.set(PeakMemory.mebibytes * 1024 * 1024)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    /// Serves the exposition at `http://address/metrics` until the server is stopped.
    public func serve(at address: MetricsAddress) throws(ShoalRuntimeError) -> MetricsHTTPServer {
        try MetricsHTTPServer(address: address) { [self] in exposition() }
    }
}

/// A Prometheus counter that follows a running total kept elsewhere (a report's cumulative count), counting from
/// the total it starts at: a learner resumed from a checkpoint starts its counters at 0, not at the run's totals, so
/// that `rate()` sees no jump.
final class TotalCounter {
    private let counter: Counter
    private var last: Int64

    init(_ counter: Counter, from start: Int64) {
        self.counter = counter
        last = start
    }

    /// Adds what the total grew by since the last call.
    func follow(_ total: Int64) {
        guard total > last else { return }
        counter.increment(by: total - last)
        last = total
    }
}

/// Counters of one family told apart by one label, each appearing with its first count (rejection reasons, faults).
final class LabelledCounters {
    private let metrics: PrometheusMetrics
    private let family, label, help: String
    private var counters: [String: TotalCounter] = [:]

    init(_ metrics: PrometheusMetrics, family: String, label: String, help: String) {
        (self.metrics, self.family, self.label, self.help) = (metrics, family, label, help)
    }

    /// Moves each label value's counter to its running total.
    func follow(_ totals: [String: Int64]) {
        for (value, total) in totals {
            let counter = counters[value] ?? metrics.counter(family, help: help, labels: [(label, value)])
            counters[value] = counter
            counter.follow(total)
        }
    }
}

extension LabelledCounters {
    /// Messages a process refused, by reason.
    static func rejectedMessages(_ metrics: PrometheusMetrics) -> LabelledCounters {
        LabelledCounters(metrics, family: "shoal_messages_rejected_total", label: "reason",
                         help: "Messages refused as malformed or not meant for this process, by reason.")
    }
}

/// This process's resident memory, from /proc/self/statm.
enum ResidentMemory {
    static var bytes: Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }
}
