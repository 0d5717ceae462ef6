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
        let record = try XCTUnwrap(counted, "rejections counted: \(run.latestMetrics().map(BadInputLearnerRun.rejections) ?? [:])")
        XCTAssertEqual(record.values["queue/received"].map { $0 > 0 }, true)
        XCTAssertNil(record.values["queue/dropped_malformed"], "garbage is no rollout: nothing to drop")
        XCTAssertGreaterThan(record.values["charts/version"] ?? 0, before.values["charts/version"] ?? 0)
        run.assertStillLearning(after: record)
        for label in expected.keys {
            XCTAssertTrue(run.learner.output.contains("rejected message"), "logged: \(label)")
            XCTAssertTrue(run.learner.output.contains(label), "logged: \(label)")
        }
        XCTAssertTrue(run.learner.process.isRunning)
        run.assertCleanShutdown()
    }
}
