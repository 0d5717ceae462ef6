import ShoalWire

/// A process's Prometheus endpoint: its role's series (`LearnerPrometheus`, `ActorPrometheus`,
/// `SupervisorPrometheus`) and the HTTP server that shows them at `http://address/metrics`.
public final class ServedMetrics<Series> {
    /// The role's series; move them on from its reports.
    public let series: Series
    private let server: MetricsHTTPServer

    /// Serves metrics labelled with `runID`, `role` and (for an actor) `id` at `address`.
    public init(at address: MetricsAddress, runID: String, role: ProcessRole, id: UInt32? = nil,
                series makeSeries: (PrometheusMetrics) -> Series) throws(ShoalRuntimeError) {
        let metrics = PrometheusMetrics(runID: runID, role: role, id: id)
        series = makeSeries(metrics)
        server = try metrics.serve(at: address)
    }

    /// Where it listens, with the port actually bound.
    public var address: MetricsAddress { server.address }

    /// Stops the server and frees its port. Call it once.
    public func stop() {
        server.stop()
    }
}
