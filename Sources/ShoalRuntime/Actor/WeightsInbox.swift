import ShoalWire

/// An actor's view of the learner's weights: the newest valid ones received, waiting to be adopted between unrolls,
/// and when to ask for a snapshot (on joining, when acks show it has fallen behind, after a long silence).
struct WeightsInbox {
    /// The weights the actor acts with.
    private(set) var held: WeightsStamp?
    /// Newer weights received, adopted at the start of the next unroll.
    private(set) var pending: Weights?
    /// Versions the actor may fall behind the learner's newest (as acks report it) before asking for a snapshot.
    let gapTolerance: UInt64
    private(set) var lastRequest: ContinuousClock.Instant?
    private(set) var lastReceived: ContinuousClock.Instant?

    init(gapTolerance: UInt64) {
        self.gapTolerance = gapTolerance
    }

    /// The newest stamp known, held or pending: weights at or below it are stale.
    var newest: WeightsStamp? { pending?.stamp ?? held }

    /// Keeps `weights` if newer than anything known; returns whether it did.
    mutating func offer(_ weights: Weights, at now: ContinuousClock.Instant) -> Bool {
        lastReceived = now
        if let newest, weights.stamp <= newest { return false }
        pending = weights
        return true
    }

    /// Hands over the pending weights to be adopted, if any.
    mutating func takePending() -> Weights? {
        guard let weights = pending else { return nil }
        pending = nil
        held = weights.stamp
        return weights
    }

    /// Whether the held weights are more than `maxLag` versions behind the learner's newest (as its last ack
    /// reports it, same learner incarnation): rollouts acted by them would only be dropped as stale, so the actor
    /// waits for newer ones instead of producing them.
    func isTooOld(learnerNewest: WeightsStamp?, maxLag: UInt64) -> Bool {
        guard let held, let learnerNewest, learnerNewest.learnerIncarnation == held.learnerIncarnation else {
            return false
        }
        return learnerNewest.version > held.version + maxLag
    }

    /// Whether to ask for a snapshot now: nothing held yet, or the learner (per its last ack) is ahead by more than
    /// the tolerance or restarted, or nothing arrived for `silence`; at most once per `retry`.
    func shouldRequest(learnerNewest: WeightsStamp?, now: ContinuousClock.Instant, silence: Duration,
                       retry: Duration) -> Bool {
        if let lastRequest, now - lastRequest < retry { return false }
        guard let known = newest else { return true }
        if let learnerNewest {
            if learnerNewest.learnerIncarnation > known.learnerIncarnation { return true }
            if learnerNewest.version > known.version + gapTolerance { return true }
        }
        if let lastReceived, now - lastReceived > silence { return learnerNewest.map { $0 > known } ?? false }
        return false
    }

    mutating func requested(at now: ContinuousClock.Instant) {
        lastRequest = now
    }
}
