/// Builds the run's rollout accounting from what the processes report: each actor incarnation's latest counts
/// (produced, unacknowledged) and the learner's counters, plus how each actor incarnation ended.
///
/// An actor incarnation's unacknowledged rollouts are in flight while it lives, dropped as `shutdown` if it exited
/// cleanly (it waits for acks first, so this is what the learner never got), and `lost_in_crash` if it died.
/// The learner's counters are its own; produced comes from the actors; so `addsUp` checks the two sides against
/// each other rather than deriving one from the other.
public struct RolloutLedger: Sendable {
    /// How an actor incarnation is doing.
    public enum Fate: Sendable {
        case live, exitedCleanly, crashed
    }

    private struct ActorEntry {
        var produced: Int64 = 0
        var unacknowledged: Int64 = 0
        var fate = Fate.live
    }

    private var actors: [ActorIncarnation: ActorEntry] = [:]
    private var learner: [String: Double] = [:]

    public init() {}

    /// Records an actor incarnation's latest stats (keys `ActorReport.Key`).
    public mutating func recordActor(id: UInt32, incarnation: UInt32, stats: [String: Double]) {
        let key = ActorIncarnation(actorID: id, incarnation: incarnation)
        var entry = actors[key] ?? ActorEntry()
        entry.produced = Int64(stats[ActorReport.Key.produced] ?? Double(entry.produced))
        entry.unacknowledged = Int64(stats[ActorReport.Key.unacknowledged] ?? Double(entry.unacknowledged))
        actors[key] = entry
    }

    /// Records how an actor incarnation ended.
    public mutating func actorEnded(id: UInt32, incarnation: UInt32, cleanly: Bool) {
        actors[ActorIncarnation(actorID: id, incarnation: incarnation), default: ActorEntry()].fate =
            cleanly ? .exitedCleanly : .crashed
    }

    /// Records the learner's latest stats (keys `LearnerReport.Key`).
    public mutating func recordLearner(stats: [String: Double]) {
        learner = stats
    }

    /// The accounting as it stands.
    public var accounting: RolloutAccounting {
        var accounting = RolloutAccounting()
        accounting.received = Int64(learner[LearnerReport.Key.received] ?? 0)
        accounting.consumed = Int64(learner[LearnerReport.Key.consumed] ?? 0)
        accounting.duplicates = Int64(learner[LearnerReport.Key.duplicates] ?? 0)
        for (key, value) in learner where key.hasPrefix(LearnerReport.Key.droppedPrefix) {
            accounting.dropped[String(key.dropFirst(LearnerReport.Key.droppedPrefix.count)), default: 0] += Int64(value)
        }
        for entry in actors.values {
            accounting.produced += entry.produced
            switch entry.fate {
            case .live: accounting.inFlight += entry.unacknowledged
            case .exitedCleanly: accounting.dropped[DropReason.shutdown.rawValue, default: 0] += entry.unacknowledged
            case .crashed: accounting.dropped["lost_in_crash", default: 0] += entry.unacknowledged
            }
        }
        // Only non-zero reasons: keeps status readable.
        accounting.dropped = accounting.dropped.filter { $0.value != 0 }
        return accounting
    }
}
