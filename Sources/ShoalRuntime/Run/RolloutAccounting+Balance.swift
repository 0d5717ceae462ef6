extension RolloutAccounting {
    /// Rollouts dropped for any reason.
    public var totalDropped: Int64 { dropped.values.reduce(0, +) }

    /// produced − (consumed + Σ dropped + inFlight): zero when every rollout is accounted for exactly once.
    public var imbalance: Int64 { produced - (consumed + totalDropped + inFlight) }

    /// Whether produced = consumed + Σ dropped + inFlight holds.
    public var addsUp: Bool { imbalance == 0 }
}
