import Foundation
import ShoalCore
import ShoalWire
import XCTest

/// A real actor connected to a fake learner the test drives: bad input on its DEALER (acks, snapshots) and SUB
/// (weights broadcasts) is counted under its reason in the heartbeat stats, bad weights are never adopted, and the
/// actor goes on adopting good weights and sending rollouts.
final class BadInputActorTests: XCTestCase {
    private static let overrides = ["heartbeatSeconds=0.1", "resendSeconds=0.5", "envsPerActor=4"]

    /// Random bytes, truncated frames, multipart messages and frames over ZMQ_MAXMSGSIZE on both sockets; the last
    /// kill both connections, which the actor must re-open to go on (libzmq does not, after a protocol error).
    func testGarbageFromTheLearnerIsCountedAndGoodWeightsAreStillAdopted() throws {
        let (directory, fake, actor) = try startActorWithFakeLearner(name: "badinput-actor-garbage")
        defer { cleanUp(directory, fake, actor) }
        let synced = try syncWeights(fake, actor)
        let network = fake.current.network

        let ackFrame = WireMessage.ack(Ack(runID: GoodMessages.runID, actorID: 0, incarnation: 1, nextExpectedSeq: 0,
                                           credits: 2, newestWeights: synced.stamp)).encode()
        let weightsFrame = WireMessage.weights(GoodMessages.weights(network: network, version: 999)).encode()
        let toDealer = BadFrames.random(count: 10, seed: 4) + BadFrames.truncations(of: ackFrame)
        let toSubscriber = BadFrames.random(count: 10, seed: 5) + BadFrames.truncations(of: weightsFrame)
        var expected = Dictionary(uniqueKeysWithValues: BadFrames.expectedRejections(toDealer + toSubscriber).map {
            ("rejected/\($0.key)", $0.value)
        })
        expected["rejected/bad_multipart"] = 2
        for frame in toDealer { try fake.sendToActor([frame]) }
        try fake.sendToActor([ackFrame, toDealer[0]])
        for frame in toSubscriber { try fake.broadcast([frame]) }
        try fake.broadcast([weightsFrame, toSubscriber[0]])
        // Last on each socket: libzmq refuses these at their size header and drops the connection (which the actor
        // then re-opens), so they never reach the decoder, and whatever the connection still held is lost.
        let oversized = BadFrames.oversized(limit: WireLimits(runID: "").maxMessageBytes)
        try fake.sendToActor([oversized])
        try fake.broadcast([oversized])

        let counted = try fake.pump(timeout: 5) { Self.rejections(fake.latestStats) == expected }
        XCTAssertTrue(counted, "rejections counted: \(Self.rejections(fake.latestStats)), expected \(expected)")

        // The 999 above was only ever sent as part of a bad message: the actor never acted with it.
        XCTAssertFalse(fake.rolloutVersions.contains(999))
        try assertAdopts(GoodMessages.weights(network: network, version: synced.version + 1), fake, actor)
        for label in expected.keys {
            XCTAssertTrue(actor.output.contains("reason=\(label.dropFirst("rejected/".count))"), "logged \(label)")
        }
        actor.signal(SIGTERM)
        XCTAssertEqual(actor.wait(timeout: 10), 0, actor.output)
    }

    /// Weights with a bad checksum, for another architecture, of another run or not finite: refused under their
    /// reasons, and the actor's policy version never jumps to their (higher) stamps.
    func testWrongWeightsAreRefusedAndNeverAdopted() throws {
        let (directory, fake, actor) = try startActorWithFakeLearner(name: "badinput-actor-weights")
        defer { cleanUp(directory, fake, actor) }
        let synced = try syncWeights(fake, actor)
        let network = fake.current.network

        // Each is newer than anything held, so a missing check would make the actor adopt it.
        var badChecksum = GoodMessages.weights(network: network, version: 1_000)
        badChecksum.checksum ^= 1
        var otherNetwork = network
        otherNetwork.hiddenSizes = [32]
        let otherArchitecture = GoodMessages.weights(network: otherNetwork, version: 1_001)
        let otherRun = GoodMessages.weights(network: network, version: 1_002, runID: "another-run")
        var notFinite = GoodMessages.weights(network: network, version: 1_003)
        notFinite.parameters[5] = .nan
        notFinite = Weights(runID: notFinite.runID, stamp: notFinite.stamp, parameters: notFinite.parameters,
                            network: network)
        // As a snapshot on the DEALER and as broadcasts on the SUB.
        try fake.sendToActor([WireMessage.weights(badChecksum).encode()])
        try fake.sendToActor([WireMessage.weights(otherRun).encode()])
        for weights in [otherArchitecture, otherRun, notFinite] {
            try fake.broadcast([WireMessage.weights(weights).encode()])
        }

        let expected = ["rejected/bad_checksum": 1.0, "rejected/architecture_mismatch": 1, "rejected/wrong_run_id": 2,
                        "rejected/non_finite": 1]
        let counted = try fake.pump(timeout: 5) { Self.rejections(fake.latestStats) == expected }
        XCTAssertTrue(counted, "rejections counted: \(Self.rejections(fake.latestStats)), expected \(expected)")
        // A few more unrolls with what it held before.
        let sent = fake.rolloutVersions.count
        XCTAssertTrue(try fake.pump(timeout: 5) { fake.rolloutVersions.count >= sent + 3 }, actor.output)
        XCTAssertEqual(fake.rolloutVersions.max(), synced.version, "rollouts acted only with good weights")
        XCTAssertEqual(fake.heartbeatVersions.max(), synced.version, "heartbeats report only good weights")

        // Good weights just above the held ones are still newer: no bad stamp was kept even as pending.
        let next = GoodMessages.weights(network: network, version: synced.version + 1)
        try assertAdopts(next, fake, actor)
        XCTAssertEqual(fake.rolloutVersions.max(), next.version)
        for label in expected.keys {
            XCTAssertTrue(actor.output.contains("reason=\(label.dropFirst("rejected/".count))"), "logged \(label)")
        }
        actor.signal(SIGTERM)
        XCTAssertEqual(actor.wait(timeout: 10), 0, actor.output)
    }

    // MARK: - Setting up

    /// Binds a fake learner in a fresh directory and starts `shoal actor` against it, reporting heartbeats to it.
    private func startActorWithFakeLearner(name: String) throws -> (URL, FakeLearner, ShoalProcess) {
        let directory = try temporaryDirectory(name)
        let network = try GoodMessages.network(Self.overrides)
        let fake = try FakeLearner(directory: directory, current: GoodMessages.weights(network: network, version: 1))
        do {
            let actor = try ShoalProcess(
                ["actor", "--id", "0", "--run-id", GoodMessages.runID, "--learner", fake.rolloutsEndpoint(directory),
                 "--weights", fake.weightsEndpoint(directory)] + Self.overrides.flatMap { ["--set", $0] },
                log: directory.appendingPathComponent("actor.log"),
                environment: ["SHOAL_SUPERVISOR": fake.heartbeatEndpoint(directory),
                              "SHOAL_RUN_ID": GoodMessages.runID])
            return (directory, fake, actor)
        } catch {
            fake.close()
            throw error
        }
    }

    private func cleanUp(_ directory: URL, _ fake: FakeLearner, _ actor: ShoalProcess) {
        actor.kill()
        fake.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Brings the actor to act with weights that came over both sockets: v1 as a snapshot answering its request,
    /// then broadcasts v2, v3... until one is adopted (the SUB connects in the background, and a PUB drops what it
    /// sends before then), then the last one broadcast. Returns the weights it acts with.
    private func syncWeights(_ fake: FakeLearner, _ actor: ShoalProcess) throws -> Weights {
        XCTAssertTrue(try fake.pump(timeout: 20) { fake.rolloutVersions.contains(1) },
                      "no rollout acted by the snapshot: \(actor.output)")
        for version in UInt64(2)...100 {
            try fake.publish(GoodMessages.weights(network: fake.current.network, version: version))
            if try fake.pump(timeout: 0.1, until: { (fake.rolloutVersions.last ?? 0) >= 2 }) { break }
        }
        XCTAssertTrue(try fake.pump(timeout: 5) { fake.rolloutVersions.last == fake.current.version },
                      "broadcasts not adopted: \(actor.output)")
        return fake.current
    }

    /// Broadcasts `weights` until the actor sends a rollout acted by them (its SUB may be reconnecting).
    private func assertAdopts(_ weights: Weights, _ fake: FakeLearner, _ actor: ShoalProcess,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        var adopted = false
        for _ in 0..<50 where !adopted {
            try fake.publish(weights)
            adopted = try fake.pump(timeout: 0.2) { fake.rolloutVersions.last == weights.version }
        }
        XCTAssertTrue(adopted, "v\(weights.version) not adopted: \(actor.output)", file: file, line: line)
    }

    /// The `rejected/<label>` heartbeat stats.
    private static func rejections(_ stats: [String: Double]) -> [String: Double] {
        stats.filter { $0.key.hasPrefix("rejected/") }
    }
}
