import Foundation
import XCTest

@testable import ShoalRuntime

final class RolloutLedgerTests: XCTestCase {
    func testLiveCleanAndCrashedIncarnationsAddUp() {
        var ledger = RolloutLedger()
        ledger.recordActor(id: 0, incarnation: 1, stats: ["produced": 10, "acknowledged": 8])
        ledger.actorEnded(id: 0, incarnation: 1, cleanly: false)
        ledger.recordActor(id: 0, incarnation: 2, stats: ["produced": 5, "acknowledged": 4])
        ledger.recordActor(id: 1, incarnation: 1, stats: ["produced": 4, "acknowledged": 3])
        ledger.actorEnded(id: 1, incarnation: 1, cleanly: true)
        // The learner settled one more of the crashed incarnation's rollouts after its last beat.
        ledger.recordLearner(incarnation: 1, stats: [
            "received": 18, "consumed": 16, "duplicates": 1, "dropped/stale": 1,
            "settled/0.1": 9, "settled/0.2": 4, "settled/1.1": 4,
        ])
        let accounting = ledger.accounting
        XCTAssertEqual(accounting.produced, 19)
        XCTAssertEqual(accounting.inFlight, 1)
        XCTAssertEqual(accounting.dropped, ["stale": 1, "lost_in_crash": 1])
        XCTAssertTrue(accounting.addsUp, "\(accounting)")
    }

    /// Reports carry only the newest actor incarnations; what was said of older ones still counts, until a
    /// restarted learner (with its checkpoint's records) replaces it.
    func testOlderIncarnationsLeftOutOfAReportKeepTheirLastRecord() {
        var ledger = RolloutLedger()
        ledger.recordActor(id: 0, incarnation: 1, stats: ["produced": 6, "acknowledged": 6])
        ledger.actorEnded(id: 0, incarnation: 1, cleanly: false)
        ledger.recordLearner(incarnation: 1, stats: ["consumed": 6, "settled/0.1": 6, "known/0.1": 6])
        ledger.recordLearner(incarnation: 1, stats: ["consumed": 6])
        XCTAssertEqual(ledger.accounting.dropped, [:])
        XCTAssertTrue(ledger.accounting.addsUp)
        ledger.recordLearner(incarnation: 2, stats: ["consumed": 2, "settled/0.1": 2, "known/0.1": 2])
        XCTAssertEqual(ledger.accounting.dropped, ["lost_in_crash": 4])
        XCTAssertTrue(ledger.accounting.addsUp)
    }

    func testARestartedLearnersStatsReplaceItsPredecessors() {
        var ledger = RolloutLedger()
        ledger.recordLearner(incarnation: 2, stats: ["consumed": 5])
        ledger.recordLearner(incarnation: 1, stats: ["consumed": 9])
        XCTAssertEqual(ledger.accounting.consumed, 5)
    }

    /// A run across two hosts: the learner's host knows the learner and one actor, the other host two actors (one
    /// crashed). Neither adds up alone; merged, the run does, and a ledger survives status.json's JSON.
    func testHostsLedgersMergeIntoTheWholeRun() throws {
        var learnerHost = RolloutLedger()
        learnerHost.recordActor(id: 0, incarnation: 1, stats: ["produced": 10, "acknowledged": 10])
        learnerHost.recordLearner(incarnation: 1, stats: [
            "received": 26, "consumed": 23, "dropped/stale": 1,
            "settled/0.1": 10, "settled/1.1": 8, "known/1.1": 9, "settled/2.1": 6,
        ])
        var actorHost = RolloutLedger()
        actorHost.recordActor(id: 1, incarnation: 1, stats: ["produced": 9, "acknowledged": 8])
        actorHost.actorEnded(id: 1, incarnation: 1, cleanly: false)
        actorHost.recordActor(id: 2, incarnation: 1, stats: ["produced": 7, "acknowledged": 5])
        XCTAssertFalse(learnerHost.accounting.addsUp, "the learner's host alone misses the other host's actors")
        XCTAssertTrue(actorHost.coversLearnerAndActors == false)

        let decoded = try JSONDecoder().decode(RolloutLedger.self, from: JSONEncoder().encode(actorHost))
        XCTAssertEqual(decoded, actorHost)
        var whole = learnerHost
        whole.merge(decoded)
        let accounting = whole.accounting
        XCTAssertEqual(accounting.produced, 26)
        XCTAssertEqual(accounting.dropped, ["stale": 1, "lost_in_crash": 1])
        XCTAssertEqual(accounting.inFlight, 1)
        XCTAssertTrue(accounting.addsUp, "\(accounting)")
        var otherOrder = actorHost
        otherOrder.merge(learnerHost)
        XCTAssertEqual(otherOrder.accounting, accounting, "merging is order-independent")
    }

    /// Two ledgers holding different learner incarnations: the newer one's records win, whichever is merged into
    /// which.
    func testMergeKeepsTheNewerLearnerIncarnation() {
        var older = RolloutLedger()
        older.recordLearner(incarnation: 1, stats: ["consumed": 9])
        var newer = RolloutLedger()
        newer.recordLearner(incarnation: 2, stats: ["consumed": 5])
        var merged = older
        merged.merge(newer)
        XCTAssertEqual(merged.accounting.consumed, 5)
        newer.merge(older)
        XCTAssertEqual(newer.accounting.consumed, 5)
    }
}
