import Foundation

/// The learner's record of settled seqs per actor incarnation, kept in checkpoint metadata as JSON so that a
/// restarted learner neither consumes a rollout twice nor mistakes one settled before the checkpoint for lost.
enum SettledSeqs {
    static let metadataKey = "settled_seqs"

    private struct Entry: Codable {
        var actor: UInt32
        var incarnation: UInt32
        var seqs: SeqTracker
    }

    static func encode(_ trackers: [ActorIncarnation: SeqTracker]) throws -> String {
        let entries = trackers.map { Entry(actor: $0.key.actorID, incarnation: $0.key.incarnation, seqs: $0.value) }
            .sorted { ($0.actor, $0.incarnation) < ($1.actor, $1.incarnation) }
        return String(decoding: try JSONEncoder().encode(entries), as: UTF8.self)
    }

    /// Decodes what `encode` wrote; an absent value (a checkpoint from before this record existed) is empty.
    static func decode(_ text: String?) throws -> [ActorIncarnation: SeqTracker] {
        guard let text else { return [:] }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(text.utf8))
        var trackers: [ActorIncarnation: SeqTracker] = [:]
        for entry in entries {
            trackers[ActorIncarnation(actorID: entry.actor, incarnation: entry.incarnation)] = entry.seqs
        }
        return trackers
    }
}
