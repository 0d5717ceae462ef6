import ShoalWire

/// An actor's rollouts sent but not yet acknowledged, kept encoded for re-sending and bounded by the learner's
/// credit: the actor collects a new unroll only while `canSend` holds, so its memory stays bounded whatever the
/// learner does.
struct RolloutOutbox {
    /// Unacknowledged rollouts allowed, as last granted by the learner (clamped to `maxCredits`).
    private(set) var credits: Int
    /// Upper bound on credits whatever the learner grants.
    let maxCredits: Int
    /// Encoded frames by seq, oldest first.
    private(set) var pending: [(seq: UInt64, frame: [UInt8])] = []
    private(set) var produced: Int64 = 0
    private(set) var acknowledged: Int64 = 0
    private(set) var resent: Int64 = 0

    init(initialCredits: Int, maxCredits: Int) {
        precondition(initialCredits > 0 && maxCredits >= initialCredits)
        credits = initialCredits
        self.maxCredits = maxCredits
    }

    var canSend: Bool { pending.count < credits }
    var unacknowledged: Int { pending.count }

    mutating func add(seq: UInt64, frame: [UInt8]) {
        produced += 1
        pending.append((seq, frame))
    }

    /// Forgets acknowledged rollouts and takes the new credit; returns how many were forgotten.
    @discardableResult
    mutating func apply(_ ack: Ack) -> Int {
        let before = pending.count
        pending.removeAll { ack.acknowledges($0.seq) }
        let forgotten = before - pending.count
        acknowledged += Int64(forgotten)
        credits = max(1, min(Int(ack.credits), maxCredits))
        return forgotten
    }

    /// Every unacknowledged frame, oldest first, counted as re-sent.
    mutating func framesToResend() -> [[UInt8]] {
        resent += Int64(pending.count)
        return pending.map(\.frame)
    }
}
