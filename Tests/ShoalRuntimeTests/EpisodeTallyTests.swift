import ShoalCore
@testable import ShoalRuntime
import XCTest

/// An evaluation's episodes: each environment's first ones, up to its share, whatever the others do.
final class EpisodeTallyTests: XCTestCase {
    /// Two environments, three episodes wanted: lane 0 (short episodes) gives two, lane 1 one, although lane 0
    /// ends four episodes first.
    func testEachEnvironmentGivesItsShareSoShortEpisodesAreNotFavoured() throws {
        var tally = EpisodeTally(total: 3, lanes: 2)
        // Steps 0..3 of lanes 0 and 1 (index t * 2 + lane): lane 0 ends at every step, lane 1 at step 3.
        let ends = [true, false, true, false, true, false, true, true]
        let episodes = [1, 2, 3, 4, 100].map { EpisodeStats(episodeReturn: Float($0), length: Int32($0)) }
        try tally.count(rollout(terminated: ends, episodes: episodes))
        XCTAssertTrue(tally.isComplete)
        XCTAssertEqual(tally.episodes.map(\.episodeReturn), [1, 2, 100])
    }

    func testMoreEpisodeSummariesThanEndsAreRefused() {
        var tally = EpisodeTally(total: 3, lanes: 2)
        let stats = [EpisodeStats(episodeReturn: 1, length: 1)]
        XCTAssertThrowsError(try tally.count(rollout(terminated: [Bool](repeating: false, count: 8), episodes: stats)))
    }

    private func rollout(terminated: [Bool], episodes: [EpisodeStats]) -> Rollout {
        Rollout(origin: RolloutOrigin(runID: "eval", actorID: 0, incarnation: 1, seq: 0), policyVersion: 0,
                unrollLength: 4, batchSize: 2, observationShape: [1], actionSize: 1, distributionParameterCount: 2,
                observations: .float32([Float](repeating: 0, count: 10)), actions: [Float](repeating: 0, count: 8),
                rewards: [Float](repeating: 0, count: 8), terminated: terminated,
                truncated: [Bool](repeating: false, count: 8), behaviourLogits: [Float](repeating: 0, count: 16),
                episodes: episodes)
    }
}
