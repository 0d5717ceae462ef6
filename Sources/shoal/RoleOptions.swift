import ArgumentParser
import Foundation
import ShoalRuntime
import ShoalWire

/// Options every role process takes: which run it belongs to and its config.
struct RoleOptions: ParsableArguments {
    @Option(help: "Run id; messages from other runs are refused.")
    var runID: String

    @OptionGroup var settings: ConfigOptions

    @Option(help: "Incarnation of this process (default: $SHOAL_INCARNATION, else 1).")
    var incarnation: UInt32?

    @Option(help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics.", valueName: "host:port"))
    var prometheus: String?

    /// What every role does first: refuses a libzmq too old to face untrusted peers, logs to stderr, dies with its
    /// supervisor, turns SIGINT/SIGTERM into a clean stop; returns the resolved config.
    func startRole() throws -> TrainingConfig {
        try asUsageError { () throws(ShoalRuntimeError) in try LibZMQRequirement.check() }
        bootstrapLogging()
        ParentWatch.dieWithParent()
        TerminationSignals.install()
        return try settings.resolvedConfig()
    }

    /// Serves this process's Prometheus metrics if `--prometheus` asks for it.
    func serveMetrics<Series>(role: ProcessRole, id: UInt32? = nil,
                              series: (PrometheusMetrics) -> Series) throws -> ServedMetrics<Series>? {
        try asUsageError { () throws(ShoalRuntimeError) in
            try prometheus.map { text throws(ShoalRuntimeError) in
                try ServedMetrics(at: MetricsAddress(parsing: text), runID: runID, role: role, id: id, series: series)
            }
        }
    }

    /// This process's incarnation: the flag, else what the supervisor set, else 1.
    var resolvedIncarnation: UInt32 {
        incarnation ?? ProcessInfo.processInfo.environment["SHOAL_INCARNATION"].flatMap(UInt32.init) ?? 1
    }
}
