import Glibc

/// How a crashed or silent child is restarted: after an exponentially growing delay, and at most `maxRestarts`
/// times within any `window` (the OTP intensity/period rule) before the supervisor gives up on it.
public struct RestartPolicy: Sendable, Equatable {
    /// Restarts tolerated within `window`; one more failure inside the window gives the child up.
    public var maxRestarts: Int
    /// The sliding period over which restarts are counted.
    public var window: Duration
    /// Delay before the first restart within the window.
    public var initialBackoff: Duration
    /// Longest delay before a restart, whatever the count.
    public var maxBackoff: Duration
    /// Each further restart within the window waits this many times longer than the previous one.
    public var backoffMultiplier: Double
    /// Fraction (0 ..< 1) by which each delay is shortened at random, so that children that crashed together do not
    /// come back in lockstep; 0 makes delays exact.
    public var jitter: Double

    /// Makes a policy; see the properties for what each value means.
    public init(
        maxRestarts: Int, window: Duration, initialBackoff: Duration, maxBackoff: Duration,
        backoffMultiplier: Double = 2, jitter: Double = 0.2
    ) {
        self.maxRestarts = maxRestarts
        self.window = window
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.backoffMultiplier = backoffMultiplier
        self.jitter = jitter
    }

    /// 5 restarts within 60 s; delays 0.25 s doubling to 8 s, up to 20% shorter at random.
    public static let `default` = RestartPolicy(
        maxRestarts: 5, window: .seconds(60), initialBackoff: .milliseconds(250), maxBackoff: .seconds(8))

    /// The delay before a restart when `recentRestarts` restarts already happened within the window, shortened by
    /// `jitter × randomUnit` (`randomUnit` in 0 ..< 1).
    public func backoff(afterRecentRestarts recentRestarts: Int, randomUnit: Double) -> Duration {
        // Computed in seconds so that a long run of restarts saturates at the cap instead of overflowing Duration.
        let growth = pow(backoffMultiplier, Double(max(recentRestarts, 0)))
        let uncapped = initialBackoff.seconds * growth
        let capped = min(uncapped.isFinite ? uncapped : .infinity, maxBackoff.seconds)
        return .seconds(capped * (1 - jitter * min(max(randomUnit, 0), 1)))
    }
}
