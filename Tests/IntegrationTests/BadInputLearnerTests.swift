import Foundation
import ShoalCore
import ShoalRuntime
import ShoalWire
import XCTest
import ZeroMQ

/// A real learner fed bad input by the test's own sockets while a real actor feeds it good rollouts: it counts and
/// logs every refusal under its reason, goes on learning from the good actor and never crashes.
final class BadInputLearnerTests: XCTestCase {
    /// Random bytes, truncated frames, wrong multipart layouts and a frame over ZMQ_MAXMSGSIZE on the ROUTER.
    func testGarbageOnTheRouterIsCountedAndTheGoodActorIsStillServed() throws {
        let run = try BadInputLearnerRun(name: "badinput-learner-garbage")
        defer { run.cleanUp() }
        let before = try run.waitUntilLearning()

        let random = BadFrames.random(count: 20, seed: 9)
        let network = try GoodMessages.network(BadInputLearnerRun.overrides)
        let truncated = BadFrames.truncations(of: WireMessage.rollout(GoodMessages.rollout(network: network, seq: 0))
            .encode())
        var expected = BadFrames.expectedRejections(random + truncated)
        XCTAssertGreaterThan(expected["malformed"] ?? 0, Double(random.count / 2), "most garbage is simply malformed")
        let hostile = try run.dealer()
        defer { hostile.close() }
        for frame in random + truncated {
            XCTAssertEqual(try hostile.send(frame, timeout: .seconds(2)), .sent)
        }
        // A ROUTER receives [identity, frame]; these arrive as [identity, a, b] and [identity, "", frame].
        let layouts: [[[UInt8]]] = [[random[0], random[1]], [[], truncated[0]]]
        for parts in layouts {
            XCTAssertEqual(try hostile.send(parts: parts, timeout: .seconds(2)), .sent)
        }
        // libzmq refuses this one at its size header and drops the connection, so it never reaches the decoder.
        let oversized = try run.dealer()
        defer { oversized.close() }
        XCTAssertEqual(try oversized.send(BadFrames.oversized(limit: WireLimits(runID: "").maxMessageBytes),
                                          timeout: .seconds(2)), .sent)

        expected["bad_multipart"] = 2
        let counted = run.waitForMetrics(timeout: 5) { BadInputLearnerRun.rejections(in: $0) == expected }
        let record = try XCTUnwrap(
            counted, "rejections counted: \(run.latestMetrics().map(BadInputLearnerRun.rejections) ?? [:])")
        XCTAssertNil(record.values["queue/dropped_malformed"], "garbage is no rollout: nothing to drop")
        XCTAssertGreaterThan(record.values["charts/version"] ?? 0, before.values["charts/version"] ?? 0)
        run.assertStillLearning(after: record)
        for label in expected.keys {
            XCTAssertTrue(run.learner.output.contains("reason=\(label)"), "logged \(label): \(run.learner.output)")
        }
        XCTAssertTrue(run.learner.process.isRunning)
        run.assertCleanShutdown()
    }

    /// Well-formed frames the learner must not use: each counted under its reason; those that are rollouts of this
    /// run settled (dropped) and acknowledged, so that their sender does not re-send them forever.
    func testWrongRolloutsAreRefusedUnderTheirReasonAndAcknowledged() throws {
        let run = try BadInputLearnerRun(name: "badinput-learner-wrong")
        defer { run.cleanUp() }
        _ = try run.waitUntilLearning()
        let network = try GoodMessages.network(BadInputLearnerRun.overrides)
        let validator = MessageValidator(limits: WireLimits(runID: GoodMessages.runID, network: network))
        func rollout(_ seq: UInt64) -> Rollout { GoodMessages.rollout(network: network, seq: seq) }
        func frame(_ rollout: Rollout) -> [UInt8] { WireMessage.rollout(rollout).encode() }
        for seq in UInt64(0)..<10 { XCTAssertNoThrow(try validator.validate(rollout(seq)), "rollout \(seq) is good") }

        var nanReward = rollout(0)
        nanReward.rewards[3] = .nan
        var infiniteObservation = rollout(1)
        var values = infiniteObservation.observations.floats!
        values[7] = .infinity
        infiniteObservation.observations = .float32(values)
        var widerNetwork = network
        widerNetwork.observationSize += 1
        var otherRun = rollout(4)
        otherRun.origin.runID = "another-run"
        var fromTheFuture = rollout(5)
        fromTheFuture.policyVersion = 1_000_000
        var hugeShape = rollout(8)
        hugeShape.observationShape = [1 << 40]
        let oneEpisode = ProtobufPatch.field(
            ProtobufPatch.rolloutEpisodes,
            bytes: ProtobufPatch.field(ProtobufPatch.episodeReturn, float: 1)
                + ProtobufPatch.field(ProtobufPatch.episodeLength, varint: 9))
        // 2^20 episodes, by doubling: quick even in a debug build.
        var millionEpisodes = oneEpisode
        for _ in 0..<20 { millionEpisodes += millionEpisodes }
        // (seq, frame, the reason counted, whether the learner settles and acknowledges it)
        let cases: [(seq: UInt64, frame: [UInt8], reason: String, acknowledged: Bool)] = [
            (0, frame(nanReward), "rejected_non_finite", true),
            (1, frame(infiniteObservation), "rejected_non_finite", true),
            (2, frame(GoodMessages.rollout(network: widerNetwork, seq: 2)), "rejected_architecture_mismatch", true),
            // Sizes that disagree with the tensors' shapes: refused while decoding, so never read as a rollout.
            (3, frame(rollout(3)) + ProtobufPatch.field(
                ProtobufPatch.frameRollout, bytes: ProtobufPatch.field(ProtobufPatch.rolloutBatchSize, varint: 5)),
             "rejected_shape_mismatch", false),
            (4, frame(otherRun), "rejected_wrong_run_id", false),
            // A version the learner has not reached is what a restarted learner sees from its actors: dropped as stale.
            (5, frame(fromTheFuture), "dropped_stale", true),
            (6, frame(rollout(6)) + ProtobufPatch.field(ProtobufPatch.frameProtocolVersion, varint: 2),
             "rejected_unknown_protocol_version", false),
            (7, frame(rollout(7)) + ProtobufPatch.field(ProtobufPatch.frameRollout, bytes: millionEpisodes),
             "rejected_inconsistent", true),
            (8, frame(hugeShape), "rejected_malformed", false),
            (9, frame(GoodMessages.rollout(network: network, seq: 9, steps: 4)), "rejected_unroll_length", true),
        ]
        let hostile = try run.dealer()
        defer { hostile.close() }
        for (_, frame, _, _) in cases { XCTAssertEqual(try hostile.send(frame, timeout: .seconds(2)), .sent) }

        let ack = try XCTUnwrap(firstAck(on: hostile, covering: cases.filter(\.acknowledged).map(\.seq)),
                                "acks: \(run.learner.output)")
        for (seq, _, reason, acknowledged) in cases {
            XCTAssertEqual(ack.acknowledges(seq), acknowledged, "rollout \(seq) (\(reason)) acknowledged")
        }
        var expected: [String: Double] = [:]
        for (_, _, reason, _) in cases { expected["queue/\(reason)", default: 0] += 1 }
        // The rejected rollouts of this run are also settled: dropped as malformed.
        let settledRejections = cases.filter { $0.acknowledged && $0.reason.hasPrefix("rejected_") }
        expected["queue/dropped_malformed"] = Double(settledRejections.count)
        // The good actor's rollouts may be dropped as stale too, if a broadcast passed it by while the learner was
        // busy with these: that count is only bounded below.
        let atLeast = expected.removeValue(forKey: "queue/dropped_stale") ?? 0
        let counted = run.waitForMetrics(timeout: 5) { record in
            expected.allSatisfy { record.values[$0.key] == $0.value }
                && record.values["queue/dropped_stale", default: 0] >= atLeast
        }
        let record = try XCTUnwrap(
            counted, "counted: \(run.latestMetrics()?.values.filter { $0.key.hasPrefix("queue/") } ?? [:])")
        let rejectionLabels = cases.map(\.reason).filter { $0.hasPrefix("rejected_") }
            .map { String($0.dropFirst("rejected_".count)) }
        XCTAssertEqual(Set(BadInputLearnerRun.rejections(in: record).keys), Set(rejectionLabels),
                       "no other reason counted")
        run.assertStillLearning(after: record)
        for label in Set(rejectionLabels) {
            XCTAssertTrue(run.learner.output.contains("reason=\(label)"), "logged \(label)")
        }
        run.assertCleanShutdown()
    }

    /// A peer flooding the ROUTER with frames that take far longer to decode than to send does not starve the good
    /// actor: the learner goes on updating from its rollouts during the flood.
    func testFloodOfCostlyFramesDoesNotStarveTheGoodActor() throws {
        let run = try BadInputLearnerRun(name: "badinput-learner-flood")
        defer { run.cleanUp() }
        let before = try run.waitUntilLearning()
        let network = try GoodMessages.network(BadInputLearnerRun.overrides)
        // Each is decoded in full (2048 episodes, some 20 KB), then refused as another run's.
        var otherRun = GoodMessages.rollout(network: network, seq: 0)
        otherRun.origin.runID = "another-run"
        var episodes = ProtobufPatch.field(
            ProtobufPatch.rolloutEpisodes,
            bytes: ProtobufPatch.field(ProtobufPatch.episodeReturn, float: 1)
                + ProtobufPatch.field(ProtobufPatch.episodeLength, varint: 9))
        for _ in 0..<11 { episodes += episodes }
        let frame = WireMessage.rollout(otherRun).encode()
            + ProtobufPatch.field(ProtobufPatch.frameRollout, bytes: episodes)

        func refused(_ record: MetricsRecord?) -> Double { record?.values["queue/rejected_wrong_run_id"] ?? 0 }

        let flood = Flood(.dealer, context: run.context, endpoint: run.rollouts, frame: frame)
        defer { flood.stop() }
        let started = try XCTUnwrap(run.waitForMetrics(timeout: 3) {
            refused($0) > 0 && $0.time > before.time
        }, "the flood did not arrive: \(run.learner.output)")
        Thread.sleep(forTimeInterval: 1.5)
        let during = try XCTUnwrap(run.latestMetrics())
        // Closing the flooding connection while its frames still fill the learner's receive queue used to abort the
        // learner (libzmq 4.3.4 asserts `!_io_error` when a ZMTP heartbeat falls due on such a connection,
        // zeromq/libzmq#4364); Shoal's sockets go without ZMTP heartbeats, so the flood is cut off mid-stream.
        flood.stop()

        let seconds = during.time - started.time
        let updates = (during.values["charts/version"] ?? 0) - (started.values["charts/version"] ?? 0)
        let refusedDuring = refused(during) - refused(started)
        XCTAssertGreaterThan(seconds, 0.5, "two metrics records apart")
        XCTAssertGreaterThan(refusedDuring / seconds, 100, "a flood: \(refusedDuring) frames in \(seconds) s")
        XCTAssertGreaterThan(updates / seconds, 20, "updates from the good actor while \(refusedDuring) were refused")
        run.assertCleanShutdown()
    }

    /// The first ack for actor 77 on `dealer` that acknowledges every seq in `seqs`; nil if none came within 10 s.
    private func firstAck(on dealer: ZMQSocket, covering seqs: [UInt64]) throws -> Ack? {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard let frame = try dealer.receive(timeout: .milliseconds(100)) else { continue }
            guard case .ack(let ack) = try WireMessage.decode(frame), ack.actorID == 77 else { continue }
            if seqs.allSatisfy(ack.acknowledges) { return ack }
        }
        return nil
    }
}
