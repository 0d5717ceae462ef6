import ShoalWire
import ZeroMQ

/// A role process's heartbeats to the supervisor that started it; does nothing for a process started by hand.
public final class SupervisorLink {
    /// The heartbeat stat with the port this process serves Prometheus metrics on, so that the supervisor can list
    /// the port chosen for `--prometheus HOST:0`.
    public static let metricsPortKey = "metrics_port"
    /// The port this process serves metrics on, if it does.
    public var metricsPort: UInt16?
    private let context: ZMQContext?
    private let sender: HeartbeatSender?

    /// Connects to $SHOAL_SUPERVISOR when it is set.
    public init(role: ProcessRole, id: UInt32) throws {
        guard SupervisedEnvironment.value(SupervisedEnvironment.supervisorEndpoint) != nil else {
            (context, sender) = (nil, nil)
            return
        }
        let context = try ZMQContext()
        do {
            sender = try HeartbeatSender.fromEnvironment(
                role: role, id: id, interval: .zero, context: context)
        } catch {
            context.close()
            throw error
        }
        self.context = context
    }

    /// Sends a heartbeat. Callers pace their reports at `heartbeatSeconds` themselves, so the sender has no rate
    /// limit of its own that could swallow a report, least of all the final one with the last counts.
    public func beat(policyVersion: UInt64, environmentSteps: Int64, queueDepth: Int, stats: [String: Double]) {
        var stats = stats
        if let metricsPort { stats[Self.metricsPortKey] = Double(metricsPort) }
        sender?.beat(policyVersion: policyVersion, environmentSteps: UInt64(max(0, environmentSteps)),
                     queueDepth: UInt32(clamping: queueDepth), stats: stats)
    }

    public func close() {
        sender?.close()
        context?.close()
    }
}
