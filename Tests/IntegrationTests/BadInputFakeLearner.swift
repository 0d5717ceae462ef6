import Foundation
import ShoalCore
import ShoalWire
import XCTest
import ZeroMQ

/// The sockets a learner binds (ROUTER for rollouts and snapshot requests, PUB for weights) and a supervisor's
/// heartbeat PULL, driven by the test: a real actor process connects to them as to its learner and supervisor, and
/// the test decides what it is fed. `pump` plays the good learner: it acknowledges rollouts, answers snapshot
/// requests with `current` and reads the actor's heartbeats.
final class FakeLearner {
    /// The weights snapshot requests get and acks announce.
    var current: Weights
    /// The routing id of the actor's DEALER, once it has sent something.
    private(set) var actorIdentity: [UInt8]?
    /// The policy version of every rollout received, in order of arrival.
    private(set) var rolloutVersions: [UInt64] = []
    /// The policy version of every heartbeat received, in order.
    private(set) var heartbeatVersions: [UInt64] = []
    /// The stats of the latest heartbeat.
    private(set) var latestStats: [String: Double] = [:]
    /// Snapshot requests received.
    private(set) var snapshotRequests = 0
    /// The cumulative acknowledgement: every seq below it was received.
    private var nextExpectedSeq: UInt64 = 0

    let router: ZMQSocket
    let publisher: ZMQSocket
    private let heartbeats: ZMQSocket
    private let context: ZMQContext

    /// Binds the three sockets under `directory`.
    init(directory: URL, current: Weights) throws {
        self.current = current
        context = try ZMQContext()
        let options = SocketOptions(linger: .zero)
        router = try ZMQSocket(.router, context: context, options: options)
        publisher = try ZMQSocket(.pub, context: context, options: options)
        heartbeats = try ZMQSocket(.pull, context: context, options: options)
        try router.bind(rolloutsEndpoint(directory))
        try publisher.bind(weightsEndpoint(directory))
        try heartbeats.bind(heartbeatEndpoint(directory))
    }

    func rolloutsEndpoint(_ directory: URL) -> String { "ipc://\(directory.path)/rollouts" }
    func weightsEndpoint(_ directory: URL) -> String { "ipc://\(directory.path)/weights" }
    func heartbeatEndpoint(_ directory: URL) -> String { "ipc://\(directory.path)/supervisor" }

    /// Plays the learner until `condition` holds or `timeout` seconds pass; returns whether it held.
    @discardableResult
    func pump(timeout: Double, until condition: () -> Bool = { false }) throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            let poller = ZMQPoller([router, heartbeats])
            for socket in try poller.readable(timeout: .milliseconds(10)) {
                if socket === router { try serveRouter() } else { try readHeartbeats() }
            }
        }
        return condition()
    }

    /// Sends `parts` as one message to the actor's DEALER.
    func sendToActor(_ parts: [[UInt8]]) throws {
        let identity = try XCTUnwrap(actorIdentity, "the actor has not spoken yet")
        XCTAssertEqual(try router.send(parts: [identity] + parts, timeout: .seconds(2)), .sent)
    }

    /// Broadcasts `parts` as one message on the PUB.
    func broadcast(_ parts: [[UInt8]]) throws {
        XCTAssertEqual(try publisher.send(parts: parts, timeout: .seconds(2)), .sent)
    }

    /// Makes `weights` current and broadcasts them.
    func publish(_ weights: Weights) throws {
        current = weights
        try broadcast([WireMessage.weights(weights).encode()])
    }

    /// Closes the sockets and the context.
    func close() {
        router.close()
        publisher.close()
        heartbeats.close()
        context.close()
    }

    private func serveRouter() throws {
        while let parts = try router.receiveMultipart(timeout: .zero) {
            guard parts.count == 2, let message = try? WireMessage.decode(parts[1]) else {
                XCTFail("the actor sent something that is not a message: \(parts.map(\.count)) bytes")
                continue
            }
            actorIdentity = parts[0]
            switch message {
            case .rollout(let rollout):
                rolloutVersions.append(rollout.policyVersion)
                // An actor sends its seqs in order, and a re-sent one may come again after newer ones.
                nextExpectedSeq = max(nextExpectedSeq, rollout.origin.seq + 1)
                let ack = Ack(runID: current.runID, actorID: rollout.origin.actorID,
                              incarnation: rollout.origin.incarnation, nextExpectedSeq: nextExpectedSeq,
                              credits: 2, newestWeights: current.stamp)
                _ = try router.send(parts: [parts[0], WireMessage.ack(ack).encode()], timeout: .zero)
            case .weightsRequest:
                snapshotRequests += 1
                _ = try router.send(parts: [parts[0], WireMessage.weights(current).encode()], timeout: .zero)
            default:
                XCTFail("the actor sent a \(message.kind)")
            }
        }
    }

    private func readHeartbeats() throws {
        while let frame = try heartbeats.receive(timeout: .zero) {
            guard case .heartbeat(let heartbeat) = try WireMessage.decode(frame) else { continue }
            heartbeatVersions.append(heartbeat.policyVersion)
            latestStats = heartbeat.stats
        }
    }
}
