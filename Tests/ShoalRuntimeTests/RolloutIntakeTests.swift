import ShoalCore
import XCTest

@testable import ShoalRuntime

final class RolloutIntakeTests: XCTestCase {
    private func rollout(actor: UInt32 = 0, incarnation: UInt32 = 1, seq: UInt64, version: UInt64 = 0) -> Rollout {
        Rollout(
            origin: RolloutOrigin(runID: "r", actorID: actor, incarnation: incarnation, seq: seq),
            policyVersion: version, unrollLength: 1, batchSize: 1, observationShape: [1], actionSize: 1,
            distributionParameterCount: 2, observations: [0, 0], actions: [0], rewards: [1], terminated: [false],
            truncated: [false], behaviourLogits: [0, 0])
    }

    func testEveryRolloutIsConsumedOnceOrDroppedWithAReason() {
        var intake = RolloutIntake(maxPolicyLag: 2, capacity: 3)
        let source = ActorIncarnation(actorID: 0, incarnation: 1)
        _ = intake.admit(rollout(seq: 0, version: 10), learnerVersion: 10)
        _ = intake.admit(rollout(seq: 0, version: 10), learnerVersion: 10)  // re-sent copy
        _ = intake.admit(rollout(seq: 1, version: 5), learnerVersion: 10)  // lag 5 > 2
        _ = intake.admit(rollout(seq: 2, version: 11), learnerVersion: 10)  // from a learner that got further
        for seq: UInt64 in 3...6 { _ = intake.admit(rollout(seq: seq, version: 10), learnerVersion: 10) }
        XCTAssertEqual(intake.queue.map(\.origin.seq), [4, 5, 6], "seq 0 and 3 were evicted by the capacity")
        let (batch, _) = intake.takeBatch(count: 2, learnerVersion: 12)
        XCTAssertEqual(batch.map(\.origin.seq), [4, 5])
        _ = intake.consumed(batch)
        _ = intake.admit(rollout(seq: 4, version: 10), learnerVersion: 12)  // duplicate of a consumed one
        _ = intake.takeBatch(count: 2, learnerVersion: 13)  // seq 6 is now 3 versions old: stale
        let counters = intake.counters
        XCTAssertEqual(counters.received, 9)
        XCTAssertEqual(counters.duplicates, 2)
        XCTAssertEqual(counters.consumed, 2)
        XCTAssertEqual(counters.dropped[.stale], 3)
        XCTAssertEqual(counters.dropped[.bufferOverflow], 2)
        XCTAssertEqual(counters.consumed + counters.dropped.values.reduce(0, +), 7, "seqs 0...6, each settled once")
        let ack = intake.acknowledgement(for: source)
        XCTAssertEqual(ack.nextExpectedSeq, 7)
        XCTAssertEqual(ack.seqs, [])
    }

    func testSelectiveAcknowledgementAboveAGap() {
        var intake = RolloutIntake(maxPolicyLag: 10, capacity: 10)
        for seq: UInt64 in [0, 2, 3] { _ = intake.admit(rollout(seq: seq), learnerVersion: 0) }
        _ = intake.consumed(intake.takeBatch(count: 3, learnerVersion: 0).batch)
        let ack = intake.acknowledgement(for: ActorIncarnation(actorID: 0, incarnation: 1))
        XCTAssertEqual(ack.nextExpectedSeq, 1)
        XCTAssertEqual(ack.seqs, [2, 3])
    }

    /// A learner restarted from a checkpoint that had settled seqs 0...2 hears from the actor that everything below
    /// 6 was acknowledged: 3, 4 and 5 were settled by the crashed predecessor after the checkpoint, so they are lost.
    func testSeqsBelowTheAcknowledgementFloorWithoutRecordAreLostOnce() throws {
        var before = RolloutIntake(maxPolicyLag: 10, capacity: 10)
        for seq: UInt64 in 0...2 { _ = before.admit(rollout(seq: seq), learnerVersion: 0) }
        _ = before.consumed(before.takeBatch(count: 3, learnerVersion: 0).batch)
        let saved = try SettledSeqs.decode(SettledSeqs.encode(before.settledSeqs))
        var restarted = RolloutIntake(maxPolicyLag: 10, capacity: 10, counters: before.counters, settled: saved)
        var next = rollout(seq: 6)
        next.acknowledgedBelow = 6
        _ = restarted.admit(next, learnerVersion: 0)
        _ = restarted.admit(next, learnerVersion: 0)  // a copy: neither lost again nor queued twice
        XCTAssertEqual(restarted.counters.dropped[.lostInCrash], 3)
        XCTAssertEqual(restarted.counters.duplicates, 1)
        XCTAssertEqual(restarted.queue.map(\.origin.seq), [6])
        XCTAssertEqual(restarted.acknowledgement(for: ActorIncarnation(actorID: 0, incarnation: 1)).nextExpectedSeq, 6)
    }

    func testIncarnationsAreSeparateSequenceSpaces() {
        var intake = RolloutIntake(maxPolicyLag: 10, capacity: 10)
        _ = intake.admit(rollout(incarnation: 1, seq: 0), learnerVersion: 0)
        _ = intake.admit(rollout(incarnation: 2, seq: 0), learnerVersion: 0)
        XCTAssertEqual(intake.counters.duplicates, 0)
        XCTAssertEqual(intake.queue.count, 2)
    }
}
