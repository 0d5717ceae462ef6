/// Which sequence numbers of one actor incarnation the learner has already settled (consumed or dropped), so a
/// re-sent copy is recognised as a duplicate. Memory stays bounded: a contiguous watermark plus the few seqs above it.
struct SeqTracker: Sendable, Equatable {
    /// Every seq below this is settled.
    private(set) var watermark: UInt64 = 0
    /// Settled seqs at or above the watermark (out of order, e.g. after a re-send).
    private(set) var above: Set<UInt64> = []

    func contains(_ seq: UInt64) -> Bool { seq < watermark || above.contains(seq) }

    /// Marks `seq` settled; returns false if it already was.
    @discardableResult
    mutating func insert(_ seq: UInt64) -> Bool {
        guard !contains(seq) else { return false }
        above.insert(seq)
        while above.remove(watermark) != nil { watermark += 1 }
        return true
    }
}
