/// The learner's acknowledgement of one actor's rollouts, with the credit it grants.
///
/// An acknowledged rollout will not be needed again, whether the learner consumed it or dropped it with a counted
/// reason, so the actor may forget it; unacknowledged ones are re-sent after a reconnect.
public struct Ack: Sendable, Equatable, Hashable {
    /// The run the actor belongs to.
    public var runID: String
    /// The actor whose rollouts are acknowledged.
    public var actorID: UInt32
    /// The actor incarnation whose rollouts are acknowledged; an actor ignores acks for another incarnation.
    public var incarnation: UInt32
    /// Cumulative acknowledgement: every seq below this one.
    public var nextExpectedSeq: UInt64
    /// Selective acknowledgement: seqs at or above `nextExpectedSeq` that arrived out of order.
    public var seqs: [UInt64]
    /// How many rollouts the actor may have unacknowledged after applying this ack. Absolute rather than an
    /// increment, so a lost or repeated ack can neither leak nor double credit.
    public var credits: UInt32
    /// The learner's newest weights: an actor behind them by a gap requests a snapshot, and a higher learner
    /// incarnation than before tells it the learner restarted.
    public var newestWeights: WeightsStamp

    public init(
        runID: String, actorID: UInt32, incarnation: UInt32, nextExpectedSeq: UInt64, seqs: [UInt64] = [],
        credits: UInt32, newestWeights: WeightsStamp
    ) {
        self.runID = runID
        self.actorID = actorID
        self.incarnation = incarnation
        self.nextExpectedSeq = nextExpectedSeq
        self.seqs = seqs
        self.credits = credits
        self.newestWeights = newestWeights
    }

    /// Whether this ack covers rollout `seq`, cumulatively or selectively.
    public func acknowledges(_ seq: UInt64) -> Bool {
        seq < nextExpectedSeq || seqs.contains(seq)
    }
}
