import ShoalCore

/// What an actor collects its unrolls with: built-in environments stepped in-process (`UnrollCollector`), or
/// environment servers (`RemoteUnrollCollector`).
protocol RolloutCollecting: AnyObject {
    /// The oldest weights version an unroll in progress is acted with.
    var policyVersion: UInt64 { get }
    /// Weights for the unrolls that start from now on.
    func adopt(parameters: [Float], version: UInt64)
    /// The next unroll as a rollout from `origin`, or nil when none finished within `wait`.
    func collect(origin: RolloutOrigin, within wait: Duration) -> Rollout?
    /// Figures for heartbeats (environment-server faults, for one).
    var stats: [String: Double] { get }
    /// Whether actions are the policy's most likely ones rather than samples (evaluation).
    var greedy: Bool { get set }
    func close()
}

extension UnrollCollector: RolloutCollecting {
    func collect(origin: RolloutOrigin, within wait: Duration) -> Rollout? {
        collect(origin: origin)
    }

    var stats: [String: Double] { [:] }

    func close() {}
}

extension RemoteUnrollCollector: RolloutCollecting {
    var stats: [String: Double] {
        var stats: [String: Double] = [ActorReport.Key.envServersUp: Double(serversUp)]
        for (label, count) in faults { stats[ActorReport.Key.envFaultsPrefix + label] = Double(count) }
        for (label, count) in abandoned { stats[ActorReport.Key.abandonedPrefix + label] = Double(count) }
        for (label, count) in rejected { stats[ActorReport.Key.envRejectedPrefix + label] = Double(count) }
        return stats
    }
}
