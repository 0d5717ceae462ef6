/// Builds the run's rollout accounting from what the processes report: each actor incarnation's count of
/// rollouts produced, how each actor incarnation ended, and the learner's counters, including how many rollouts of
/// each actor incarnation it knows of and has settled (consumed or dropped).
///
/// An actor's count can lag (it reports twice a second); what the learner has seen of it is a floor, so an actor
/// killed between reports is credited with every rollout of it that arrived. Only rollouts it sent after its last
/// report that never arrived anywhere escape the count: at most its credit (2 by default) per crash.
///
/// An actor incarnation's rollouts that the learner has not settled are in flight while it lives, dropped as
/// `shutdown` if it exited cleanly, and `lost_in_crash` if it died. The check `addsUp` therefore compares the
/// learner's per-incarnation records with its global counters, and both with what the actors produced.
///
/// Each host's supervisor keeps a ledger of its own processes and writes it into its `status.json`; a run that
/// spans hosts is accounted for by merging their ledgers (`shoal status DIR...`).
public struct RolloutLedger: Sendable, Equatable {
    /// How an actor incarnation is doing.
    public enum Fate: String, Sendable, Codable {
        case live, exitedCleanly, crashed
    }

    struct ActorEntry: Equatable {
        var produced: Int64 = 0
        var acknowledged: Int64 = 0
        var fate = Fate.live

        /// The same incarnation as seen by two ledgers: counts only grow, and an ending is final.
        func merged(with other: ActorEntry) -> ActorEntry {
            ActorEntry(produced: max(produced, other.produced), acknowledged: max(acknowledged, other.acknowledged),
                       fate: fate == .live ? other.fate : fate)
        }
    }

    /// What the newest learner incarnation said: its global counters and, per actor incarnation, how many rollouts
    /// it knows of and has settled. Reports carry only the newest actor incarnations, so records of older ones are
    /// kept from earlier reports.
    struct LearnerEntry: Equatable {
        var incarnation: UInt32
        var counters: [String: Double]
        var records: [ActorIncarnation: LearnerRecord] = [:]
    }

    struct LearnerRecord: Equatable {
        var known: Int64
        var settled: Int64
    }

    // Internal rather than private for the Codable conformance in RolloutLedger+Codable.swift.
    private(set) var actors: [ActorIncarnation: ActorEntry] = [:]
    private(set) var learner: LearnerEntry?

    public init() {}

    /// Records an actor incarnation's latest stats (keys `ActorReport.Key`).
    public mutating func recordActor(id: UInt32, incarnation: UInt32, stats: [String: Double]) {
        let key = ActorIncarnation(actorID: id, incarnation: incarnation)
        // Beats can arrive out of order across restarts; counts only grow.
        let reported = ActorEntry(produced: Int64(stats[ActorReport.Key.produced] ?? 0),
                                  acknowledged: Int64(stats[ActorReport.Key.acknowledged] ?? 0))
        actors[key] = (actors[key] ?? ActorEntry()).merged(with: reported)
    }

    /// Records how an actor incarnation ended.
    public mutating func actorEnded(id: UInt32, incarnation: UInt32, cleanly: Bool) {
        actors[ActorIncarnation(actorID: id, incarnation: incarnation), default: ActorEntry()].fate =
            cleanly ? .exitedCleanly : .crashed
    }

    /// Records the learner's latest stats (keys `LearnerReport.Key`); a restarted learner's (restored from its
    /// checkpoint) replace its predecessor's.
    public mutating func recordLearner(incarnation: UInt32, stats: [String: Double]) {
        if let learner, learner.incarnation > incarnation { return }
        var entry = LearnerEntry(incarnation: incarnation, counters: stats.filter { Self.isGlobalCounter($0.key) })
        // A restarted learner's records start from its checkpoint: its predecessor's no longer hold.
        if let learner, learner.incarnation == incarnation { entry.records = learner.records }
        for (key, value) in stats where key.hasPrefix(LearnerReport.Key.settledPrefix) {
            let label = key.dropFirst(LearnerReport.Key.settledPrefix.count)
            guard let source = ActorIncarnation(label: label) else { continue }
            let known = Int64(stats[LearnerReport.Key.knownPrefix + label] ?? value)
            entry.records[source] = LearnerRecord(known: known, settled: Int64(value))
        }
        learner = entry
    }

    /// Adds what another ledger knows, e.g. another host's supervisor's: the union of actor incarnations, and the
    /// newer learner incarnation's records.
    public mutating func merge(_ other: RolloutLedger) {
        actors.merge(other.actors) { $0.merged(with: $1) }
        guard let theirs = other.learner else { return }
        guard let mine = learner, mine.incarnation >= theirs.incarnation else {
            learner = theirs
            return
        }
        guard mine.incarnation == theirs.incarnation else { return }
        // The same learner incarnation seen at two moments: the later report has the larger counts.
        learner?.counters.merge(theirs.counters) { max($0, $1) }
        learner?.records.merge(theirs.records) {
            LearnerRecord(known: max($0.known, $1.known), settled: max($0.settled, $1.settled))
        }
    }

    /// Whether the ledger has both sides of the count: the learner's reports and at least one actor's.
    public var coversLearnerAndActors: Bool { learner != nil && !actors.isEmpty }

    /// The accounting as it stands.
    public var accounting: RolloutAccounting {
        let counters = learner?.counters ?? [:]
        var accounting = RolloutAccounting()
        accounting.received = Int64(counters[LearnerReport.Key.received] ?? 0)
        accounting.consumed = Int64(counters[LearnerReport.Key.consumed] ?? 0)
        accounting.duplicates = Int64(counters[LearnerReport.Key.duplicates] ?? 0)
        for (key, value) in counters where key.hasPrefix(LearnerReport.Key.droppedPrefix) {
            accounting.dropped[String(key.dropFirst(LearnerReport.Key.droppedPrefix.count)), default: 0] += Int64(value)
        }
        for (source, entry) in actors {
            let record = learner?.records[source]
            let produced = max(entry.produced, record?.known ?? 0)
            accounting.produced += produced
            // A learner with no record of this incarnation (it resumed from a checkpoint older than the
            // incarnation's rollouts) has settled none of them in its timeline: what the crashed learner settled
            // was lost with it. Before the learner's first report, the actor's acks are the best estimate.
            let settled = record?.settled ?? (learner == nil ? entry.acknowledged : 0)
            let outstanding = max(0, produced - settled)
            switch entry.fate {
            case .live: accounting.inFlight += outstanding
            case .exitedCleanly: accounting.dropped[DropReason.shutdown.rawValue, default: 0] += outstanding
            case .crashed: accounting.dropped[DropReason.lostInCrash.rawValue, default: 0] += outstanding
            }
        }
        // Only non-zero reasons: keeps status readable.
        accounting.dropped = accounting.dropped.filter { $0.value != 0 }
        return accounting
    }

    private static func isGlobalCounter(_ key: String) -> Bool {
        [LearnerReport.Key.received, LearnerReport.Key.consumed, LearnerReport.Key.duplicates].contains(key)
            || key.hasPrefix(LearnerReport.Key.droppedPrefix)
    }
}
