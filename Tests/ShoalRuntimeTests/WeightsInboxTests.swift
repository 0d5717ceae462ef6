import ShoalCore
import ShoalWire
import XCTest

@testable import ShoalRuntime

/// When an actor adopts, waits for and asks for weights.
final class WeightsInboxTests: XCTestCase {
    private let network = NetworkSpec(
        observationSize: 4, hiddenSizes: [8], activation: .tanh, head: .categorical(actions: 2))

    private func weights(_ incarnation: UInt32, _ version: UInt64) -> Weights {
        Weights(runID: "run", stamp: WeightsStamp(learnerIncarnation: incarnation, version: version),
                parameters: [0], network: network)
    }

    private func holding(_ incarnation: UInt32, _ version: UInt64) -> WeightsInbox {
        var inbox = WeightsInbox(gapTolerance: 4)
        XCTAssertTrue(inbox.offer(weights(incarnation, version), at: .now))
        _ = inbox.takePending()
        return inbox
    }

    func testOnlyNewerWeightsAreKeptAndTheNewestPendingIsAdopted() throws {
        var inbox = holding(1, 5)
        XCTAssertFalse(inbox.offer(weights(1, 5), at: .now), "the held version again")
        XCTAssertFalse(inbox.offer(weights(0, 90), at: .now), "an earlier learner's")
        XCTAssertTrue(inbox.offer(weights(1, 6), at: .now))
        XCTAssertTrue(inbox.offer(weights(1, 8), at: .now))
        XCTAssertFalse(inbox.offer(weights(1, 7), at: .now), "older than the pending one")
        XCTAssertEqual(try XCTUnwrap(inbox.takePending()).stamp, WeightsStamp(learnerIncarnation: 1, version: 8))
        XCTAssertNil(inbox.takePending())
    }

    /// Rollouts acted by weights more than the lag behind would be dropped as stale on arrival, acknowledged at once
    /// and so give the credit straight back: an actor that went on producing them would spin, wasting its
    /// environments' steps, until its weights caught up.
    func testWeightsFurtherBehindThanTheLagAreTooOldToActWith() {
        let inbox = holding(1, 10)
        func newest(_ incarnation: UInt32, _ version: UInt64) -> WeightsStamp {
            WeightsStamp(learnerIncarnation: incarnation, version: version)
        }
        XCTAssertFalse(inbox.isTooOld(learnerNewest: nil, maxLag: 20), "no ack yet")
        XCTAssertFalse(inbox.isTooOld(learnerNewest: newest(1, 30), maxLag: 20), "exactly the lag is still used")
        XCTAssertTrue(inbox.isTooOld(learnerNewest: newest(1, 31), maxLag: 20))
        XCTAssertFalse(inbox.isTooOld(learnerNewest: newest(2, 500), maxLag: 20),
                       "a restarted learner's versions are not comparable: the snapshot request handles it")
        XCTAssertFalse(WeightsInbox(gapTolerance: 4).isTooOld(learnerNewest: newest(1, 99), maxLag: 0),
                       "nothing held: the actor waits for its first weights anyway")
    }

    func testASnapshotIsRequestedWhenTheLearnerIsAheadByMoreThanTheToleranceAtMostOncePerRetry() {
        var inbox = holding(1, 10)
        let now = ContinuousClock.now
        func ask(_ version: UInt64, at instant: ContinuousClock.Instant) -> Bool {
            inbox.shouldRequest(learnerNewest: WeightsStamp(learnerIncarnation: 1, version: version), now: instant,
                                silence: .seconds(2), retry: .milliseconds(500))
        }
        XCTAssertFalse(ask(14, at: now))
        XCTAssertTrue(ask(15, at: now))
        inbox.requested(at: now)
        XCTAssertFalse(ask(15, at: now + .milliseconds(100)), "asked moments ago")
        XCTAssertTrue(ask(15, at: now + .milliseconds(600)))
    }
}
