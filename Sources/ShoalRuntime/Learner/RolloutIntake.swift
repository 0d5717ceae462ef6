import ShoalCore

/// One incarnation of one actor: the scope of its sequence numbers.
public struct ActorIncarnation: Hashable, Sendable, Codable {
    public var actorID: UInt32
    public var incarnation: UInt32

    public init(actorID: UInt32, incarnation: UInt32) {
        self.actorID = actorID
        self.incarnation = incarnation
    }

    /// "actorID.incarnation", as in heartbeat stats keys.
    public var label: String { "\(actorID).\(incarnation)" }

    /// Parses a `label`.
    public init?(label: Substring) {
        let parts = label.split(separator: ".")
        guard parts.count == 2, let actor = UInt32(parts[0]), let incarnation = UInt32(parts[1]) else { return nil }
        self.init(actorID: actor, incarnation: incarnation)
    }
}

/// The learner's front door for rollouts: removes duplicates, drops stale ones, queues the rest (bounded) until an
/// update consumes them, and remembers what is settled so acks can tell actors what they may forget.
///
/// Every admitted rollout ends exactly once as consumed or dropped with a reason; a re-sent copy of a rollout seen
/// before is a duplicate and changes nothing else.
struct RolloutIntake {
    /// Rollouts acted by weights more than this many versions old are dropped as stale.
    let maxPolicyLag: UInt64
    /// Queued rollouts at most; beyond it the oldest is dropped as `bufferOverflow`.
    let capacity: Int
    private(set) var counters = LearnerCounters()
    private(set) var queue: [Rollout] = []
    /// Seqs admitted (queued or settled), to recognise duplicates.
    private var seen: [ActorIncarnation: SeqTracker] = [:]
    /// Seqs consumed or dropped, which acks report.
    private var settled: [ActorIncarnation: SeqTracker] = [:]

    /// A fresh intake, or one resuming from a checkpoint's counters and settled seqs (nothing was queued then).
    init(maxPolicyLag: UInt64, capacity: Int, counters: LearnerCounters = LearnerCounters(),
         settled: [ActorIncarnation: SeqTracker] = [:]) {
        precondition(capacity > 0)
        self.maxPolicyLag = maxPolicyLag
        self.capacity = capacity
        self.counters = counters
        self.settled = settled
        self.seen = settled
    }

    /// The settled seqs of every actor incarnation, for checkpoints.
    var settledSeqs: [ActorIncarnation: SeqTracker] { settled }

    /// How many distinct seqs of each actor incarnation this learner knows exist (received, or acknowledged by a
    /// predecessor): a lower bound on what the incarnation produced, exact for all it sent that arrived.
    var knownSeqCounts: [ActorIncarnation: Int] { seen.mapValues(\.count) }

    /// Counts a message that failed decoding or validation and cannot be tied to a rollout of this run.
    mutating func reject(label: String) {
        counters.rejected[label, default: 0] += 1
    }

    /// Settles a decodable but invalid rollout as dropped (malformed) unless it was seen before; returns the
    /// incarnation owed an ack.
    mutating func dropMalformed(_ rollout: Rollout, label: String) -> Set<ActorIncarnation> {
        reject(label: label)
        counters.received += 1
        counters.drop(.malformed)
        let source = Self.source(of: rollout)
        guard seen[source, default: SeqTracker()].insert(rollout.origin.seq) else {
            // Already settled: undo the drop, this copy is only a duplicate.
            counters.dropped[.malformed, default: 1] -= 1
            counters.duplicates += 1
            return [source]
        }
        settled[source, default: SeqTracker()].insert(rollout.origin.seq)
        return [source]
    }

    /// Takes in a valid rollout; returns the incarnations whose settled set changed (they are owed an ack).
    mutating func admit(_ rollout: Rollout, learnerVersion: UInt64) -> Set<ActorIncarnation> {
        counters.received += 1
        let source = Self.source(of: rollout)
        settleLost(below: rollout.acknowledgedBelow, of: source)
        guard seen[source, default: SeqTracker()].insert(rollout.origin.seq) else {
            counters.duplicates += 1
            // The copy may be a re-send after a lost ack: ack again.
            return [source]
        }
        if isStale(rollout, learnerVersion: learnerVersion) {
            settle(rollout, droppedFor: .stale)
            return [source]
        }
        queue.append(rollout)
        guard queue.count > capacity else { return [] }
        let evicted = queue.removeFirst()
        settle(evicted, droppedFor: .bufferOverflow)
        return [Self.source(of: evicted)]
    }

    /// Removes up to `count` fresh rollouts from the queue for an update, dropping stale ones met on the way;
    /// the caller reports them consumed with `consumed(_:)` once the update is applied.
    mutating func takeBatch(count: Int, learnerVersion: UInt64) -> (batch: [Rollout], settledNow: Set<ActorIncarnation>) {
        var batch: [Rollout] = []
        var touched: Set<ActorIncarnation> = []
        while batch.count < count, !queue.isEmpty {
            let rollout = queue.removeFirst()
            if isStale(rollout, learnerVersion: learnerVersion) {
                settle(rollout, droppedFor: .stale)
                touched.insert(Self.source(of: rollout))
            } else {
                batch.append(rollout)
            }
        }
        return (batch, touched)
    }

    /// Records rollouts as consumed by an update; returns the incarnations owed an ack.
    mutating func consumed(_ batch: [Rollout]) -> Set<ActorIncarnation> {
        counters.updates += 1
        for rollout in batch {
            counters.consumed += 1
            counters.consumedEnvSteps += Int64(rollout.unrollLength * rollout.batchSize)
            settled[Self.source(of: rollout), default: SeqTracker()].insert(rollout.origin.seq)
        }
        return Set(batch.map(Self.source(of:)))
    }

    /// Drops everything still queued (at shutdown); returns the incarnations owed an ack.
    mutating func drainForShutdown() -> Set<ActorIncarnation> {
        let remaining = queue
        queue.removeAll()
        for rollout in remaining { settle(rollout, droppedFor: .shutdown) }
        return Set(remaining.map(Self.source(of:)))
    }

    /// The cumulative and selective acknowledgement for one incarnation.
    func acknowledgement(for source: ActorIncarnation) -> (nextExpectedSeq: UInt64, seqs: [UInt64]) {
        let tracker = settled[source] ?? SeqTracker()
        return (tracker.watermark, tracker.above.sorted())
    }

    /// Seqs the actor says were acknowledged (it forgot them) but this learner has no record of were settled by a
    /// predecessor that crashed before checkpointing: counted as lost in that crash, once.
    private mutating func settleLost(below floor: UInt64, of source: ActorIncarnation) {
        let lost = seen[source, default: SeqTracker()].insertAll(below: floor)
        guard lost > 0 else { return }
        _ = settled[source, default: SeqTracker()].insertAll(below: floor)
        counters.drop(.lostInCrash, count: Int64(lost))
    }

    /// Policy lag of a rollout in versions; a rollout acted by weights newer than the learner's (published by an
    /// earlier learner incarnation that got further than the checkpoint this one resumed from) counts as stale.
    private func isStale(_ rollout: Rollout, learnerVersion: UInt64) -> Bool {
        rollout.policyVersion > learnerVersion || learnerVersion - rollout.policyVersion > maxPolicyLag
    }

    private mutating func settle(_ rollout: Rollout, droppedFor reason: DropReason) {
        counters.drop(reason)
        settled[Self.source(of: rollout), default: SeqTracker()].insert(rollout.origin.seq)
    }

    static func source(of rollout: Rollout) -> ActorIncarnation {
        ActorIncarnation(actorID: rollout.origin.actorID, incarnation: rollout.origin.incarnation)
    }
}
