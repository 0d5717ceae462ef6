/// The ledger in `status.json`, so that the ledgers of a run's hosts can be merged later:
///
///     {"actors": [{"actor": 3, "incarnation": 2, "produced": 40, "acknowledged": 38, "fate": "live"}],
///      "learner": {"incarnation": 1, "counters": {"consumed": 120, ...},
///                  "records": [{"actor": 3, "incarnation": 2, "known": 39, "settled": 38}]}}
extension RolloutLedger: Codable {
    private struct ActorRow: Codable {
        var actor: UInt32
        var incarnation: UInt32
        var produced: Int64
        var acknowledged: Int64
        var fate: Fate
    }

    private struct LearnerRow: Codable {
        var incarnation: UInt32
        var counters: [String: Double]
        var records: [RecordRow]
    }

    private struct RecordRow: Codable {
        var actor: UInt32
        var incarnation: UInt32
        var known: Int64
        var settled: Int64
    }

    private enum CodingKeys: String, CodingKey {
        case actors, learner
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        for row in try container.decode([ActorRow].self, forKey: .actors) {
            recordActor(id: row.actor, incarnation: row.incarnation, stats: [
                ActorReport.Key.produced: Double(row.produced), ActorReport.Key.acknowledged: Double(row.acknowledged),
            ])
            if row.fate != .live {
                actorEnded(id: row.actor, incarnation: row.incarnation, cleanly: row.fate == .exitedCleanly)
            }
        }
        if let row = try container.decodeIfPresent(LearnerRow.self, forKey: .learner) {
            var stats = row.counters
            for record in row.records {
                let label = ActorIncarnation(actorID: record.actor, incarnation: record.incarnation).label
                stats[LearnerReport.Key.settledPrefix + label] = Double(record.settled)
                stats[LearnerReport.Key.knownPrefix + label] = Double(record.known)
            }
            recordLearner(incarnation: row.incarnation, stats: stats)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(actorRows, forKey: .actors)
        try container.encodeIfPresent(learnerRow, forKey: .learner)
    }

    /// Actor incarnations in a stable order, so status files diff well.
    private var actorRows: [ActorRow] {
        actors.sorted { ($0.key.actorID, $0.key.incarnation) < ($1.key.actorID, $1.key.incarnation) }.map {
            ActorRow(actor: $0.key.actorID, incarnation: $0.key.incarnation, produced: $0.value.produced,
                     acknowledged: $0.value.acknowledged, fate: $0.value.fate)
        }
    }

    private var learnerRow: LearnerRow? {
        learner.map { learner in
            let records = learner.records.sorted {
                ($0.key.actorID, $0.key.incarnation) < ($1.key.actorID, $1.key.incarnation)
            }
            return LearnerRow(incarnation: learner.incarnation, counters: learner.counters, records: records.map {
                RecordRow(actor: $0.key.actorID, incarnation: $0.key.incarnation, known: $0.value.known,
                          settled: $0.value.settled)
            })
        }
    }
}
