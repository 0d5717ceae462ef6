import ShoalCore

/// The episodes an evaluation counts: each of the environments contributes its first episodes up to its share of
/// the total, so that short episodes are not over-represented, as they are when the first N episodes to end among
/// parallel environments are taken.
struct EpisodeTally {
    /// Episodes still wanted from each environment.
    private var wanted: [Int]
    /// The episodes counted, in the order they ended.
    private(set) var episodes: [EpisodeStats] = []

    /// A tally of `total` episodes from `lanes` environments (shares differing by at most one).
    init(total: Int, lanes: Int) {
        precondition(total > 0 && lanes > 0)
        wanted = (0..<lanes).map { total / lanes + ($0 < total % lanes ? 1 : 0) }
    }

    var isComplete: Bool { wanted.allSatisfy { $0 == 0 } }

    /// Counts the episodes that ended in `rollout` (its `episodes` are in the order of its ended steps, time-major,
    /// then by environment), each for the environment it ended in.
    mutating func count(_ rollout: Rollout) throws(ShoalRuntimeError) {
        let ends = (0..<(rollout.unrollLength * rollout.batchSize)).filter {
            rollout.terminated[$0] || rollout.truncated[$0]
        }
        guard ends.count == rollout.episodes.count, rollout.batchSize == wanted.count else {
            throw ShoalRuntimeError(.garbled, subject: "evaluation",
                                    reason: "\(rollout.episodes.count) episode summaries for \(ends.count) episode "
                                        + "ends in \(rollout.batchSize) environments")
        }
        for (end, episode) in zip(ends, rollout.episodes) {
            let lane = end % rollout.batchSize
            guard wanted[lane] > 0 else { continue }
            wanted[lane] -= 1
            episodes.append(episode)
        }
    }
}
