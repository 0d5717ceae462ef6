/// Which sequence numbers of one actor incarnation the learner has already settled (consumed or dropped), so a
/// re-sent copy is recognised as a duplicate. Memory stays bounded: a contiguous watermark plus the few seqs above it.
struct SeqTracker: Sendable, Equatable, Codable {
    /// Every seq below this is settled.
    private(set) var watermark: UInt64 = 0
    /// Settled seqs at or above the watermark (out of order, e.g. after a re-send).
    private(set) var above: Set<UInt64> = []

    /// How many seqs are in the set.
    var count: Int { Int(watermark) + above.count }

    func contains(_ seq: UInt64) -> Bool { seq < watermark || above.contains(seq) }

    /// Marks `seq` settled; returns false if it already was.
    @discardableResult
    mutating func insert(_ seq: UInt64) -> Bool {
        guard !contains(seq) else { return false }
        above.insert(seq)
        while above.remove(watermark) != nil { watermark += 1 }
        return true
    }

    /// Adds every seq below `floor`; returns how many were missing.
    mutating func insertAll(below floor: UInt64) -> Int {
        guard floor > watermark else { return 0 }
        let present = above.filter { $0 < floor }.count
        let missing = Int(floor - watermark) - present
        above = above.filter { $0 >= floor }
        watermark = floor
        while above.remove(watermark) != nil { watermark += 1 }
        return missing
    }
}
