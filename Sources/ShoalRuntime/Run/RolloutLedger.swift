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
public struct RolloutLedger: Sendable {
    /// How an actor incarnation is doing.
    public enum Fate: Sendable {
        case live, exitedCleanly, crashed
    }

    private struct ActorEntry {
        var produced: Int64 = 0
        var acknowledged: Int64 = 0
        var fate = Fate.live
    }

    private var actors: [ActorIncarnation: ActorEntry] = [:]
    private var learner: (incarnation: UInt32, stats: [String: Double])?
    /// What the newest learner incarnation last reported of each actor incarnation (reports carry only the newest
    /// actor incarnations), as (known, settled).
    private var learnerRecords: [ActorIncarnation: (known: Int64, settled: Int64)] = [:]

    public init() {}

    /// Records an actor incarnation's latest stats (keys `ActorReport.Key`).
    public mutating func recordActor(id: UInt32, incarnation: UInt32, stats: [String: Double]) {
        let key = ActorIncarnation(actorID: id, incarnation: incarnation)
        var entry = actors[key] ?? ActorEntry()
        // Beats can arrive out of order across restarts; counts only grow.
        entry.produced = max(entry.produced, Int64(stats[ActorReport.Key.produced] ?? 0))
        entry.acknowledged = max(entry.acknowledged, Int64(stats[ActorReport.Key.acknowledged] ?? 0))
        actors[key] = entry
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
        // A restarted learner's records start from its checkpoint: its predecessor's no longer hold.
        if let learner, learner.incarnation < incarnation { learnerRecords.removeAll() }
        learner = (incarnation, stats)
        for (key, value) in stats where key.hasPrefix(LearnerReport.Key.settledPrefix) {
            let label = key.dropFirst(LearnerReport.Key.settledPrefix.count)
            guard let source = ActorIncarnation(label: label) else { continue }
            let known = Int64(stats[LearnerReport.Key.knownPrefix + label] ?? value)
            learnerRecords[source] = (known, Int64(value))
        }
    }

    /// The accounting as it stands.
    public var accounting: RolloutAccounting {
        let stats = learner?.stats ?? [:]  // global counters
        var accounting = RolloutAccounting()
        accounting.received = Int64(stats[LearnerReport.Key.received] ?? 0)
        accounting.consumed = Int64(stats[LearnerReport.Key.consumed] ?? 0)
        accounting.duplicates = Int64(stats[LearnerReport.Key.duplicates] ?? 0)
        for (key, value) in stats where key.hasPrefix(LearnerReport.Key.droppedPrefix) {
            accounting.dropped[String(key.dropFirst(LearnerReport.Key.droppedPrefix.count)), default: 0] += Int64(value)
        }
        for (source, entry) in actors {
            let record = learnerRecords[source]
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
}
