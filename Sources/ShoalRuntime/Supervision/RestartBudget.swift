/// What to do about a child that just exited unexpectedly (or cleanly, with `CleanExitAction.restart`).
public enum RestartDecision: Sendable, Equatable {
    /// Start it again once `delay` has passed.
    case restart(after: Duration)
    /// It was restarted `restarts` times within the policy's window already: give up on it.
    case giveUp(restarts: Int)
}

/// The restarts of one child within its policy's sliding window: decides each restart's delay and when to give up.
///
/// Time is passed in rather than read, so that tests can drive it.
public struct RestartBudget: Sendable {
    /// The rule applied.
    public let policy: RestartPolicy
    /// When each restart counted in the window happens (decision time plus its delay), oldest first.
    public private(set) var restartTimes: [ContinuousClock.Instant] = []

    /// Makes an empty budget for `policy`.
    public init(policy: RestartPolicy) {
        self.policy = policy
    }

    /// Records that the child needs restarting at `now` and decides: a delay that grows with the restarts already
    /// in the window, or giving up when the window already holds `maxRestarts` of them.
    public mutating func recordExit(
        at now: ContinuousClock.Instant, using generator: inout some RandomNumberGenerator
    ) -> RestartDecision {
        restartTimes.removeAll { now - $0 >= policy.window }
        guard restartTimes.count < policy.maxRestarts else { return .giveUp(restarts: restartTimes.count) }
        let delay = policy.backoff(
            afterRecentRestarts: restartTimes.count, randomUnit: Double.random(in: 0..<1, using: &generator))
        restartTimes.append(now + delay)
        return .restart(after: delay)
    }
}
