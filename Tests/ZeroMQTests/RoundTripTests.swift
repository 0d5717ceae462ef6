import XCTest

@testable import ZeroMQ

final class RoundTripTests: ZMQTestCase {
    func testPushPullDeliversFramesAndMultipartMessagesOverEachTransport() throws {
        for transport in Transport.allCases {
            let pull = try makeSocket(.pull)
            let push = try makeSocket(.push)
            try push.connect(bindFresh(pull, transport))

            XCTAssertEqual(try push.send("hello".bytes, timeout: .seconds(2)), .sent, "\(transport)")
            XCTAssertEqual(try pull.receive(timeout: .seconds(2)), "hello".bytes, "\(transport)")

            let big = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let parts: [[UInt8]] = ["header".bytes, [], big]
            XCTAssertEqual(try push.send(parts: parts, timeout: .seconds(2)), .sent, "\(transport)")
            XCTAssertEqual(try pull.receiveMultipart(timeout: .seconds(2)), parts, "\(transport)")
            push.close()
            pull.close()
        }
    }

    func testRouterSeesDealerIdentityAndRoutesRepliesBackOverEachTransport() throws {
        for transport in Transport.allCases {
            let router = try makeSocket(.router)
            let endpoint = try bindFresh(router, transport)
            let alice = try makeSocket(.dealer, SocketOptions(routingID: "alice".bytes))
            let bob = try makeSocket(.dealer, SocketOptions(routingID: "bob".bytes))
            try alice.connect(endpoint)
            try bob.connect(endpoint)

            XCTAssertEqual(try alice.send("from alice".bytes, timeout: .seconds(2)), .sent)
            XCTAssertEqual(try bob.send(parts: ["from".bytes, "bob".bytes], timeout: .seconds(2)), .sent)
            var received: [[[UInt8]]] = []
            for _ in 0..<2 {
                received.append(try XCTUnwrap(router.receiveMultipart(timeout: .seconds(2)), "\(transport)"))
            }
            let byIdentity = Dictionary(uniqueKeysWithValues: received.map { ($0[0], Array($0.dropFirst())) })
            XCTAssertEqual(byIdentity["alice".bytes], ["from alice".bytes], "\(transport)")
            XCTAssertEqual(byIdentity["bob".bytes], ["from".bytes, "bob".bytes], "\(transport)")

            XCTAssertEqual(try router.send(parts: ["bob".bytes, "to bob".bytes], timeout: .seconds(2)), .sent)
            XCTAssertEqual(try router.send(parts: ["alice".bytes, "to alice".bytes], timeout: .seconds(2)), .sent)
            XCTAssertEqual(try bob.receive(timeout: .seconds(2)), "to bob".bytes, "\(transport)")
            XCTAssertEqual(try alice.receive(timeout: .seconds(2)), "to alice".bytes, "\(transport)")
            for socket in [alice, bob, router] { socket.close() }
        }
    }

    func testSubscriberReceivesOnlyItsTopicsOverEachTransport() throws {
        for transport in Transport.allCases {
            let publisher = try makeSocket(.pub)
            let subscriber = try makeSocket(.sub, SocketOptions(subscriptions: ["weights".bytes]))
            try subscriber.connect(bindFresh(publisher, transport))
            try awaitSubscription(publisher, subscriber, topic: "weights".bytes)

            // Per-peer order is preserved, so receiving the later matching message first proves the earlier
            // non-matching one was filtered out rather than delayed.
            XCTAssertEqual(try publisher.send(parts: ["stats".bytes, "1".bytes], timeout: .zero), .sent)
            XCTAssertEqual(try publisher.send(parts: ["weights".bytes, "2".bytes], timeout: .zero), .sent)
            XCTAssertEqual(try subscriber.receiveMultipart(timeout: .seconds(2)), ["weights".bytes, "2".bytes])

            try subscriber.unsubscribe("weights".bytes)
            try subscriber.subscribe("stats".bytes)
            try awaitSubscription(publisher, subscriber, topic: "stats".bytes)
            XCTAssertEqual(try publisher.send(parts: ["weights".bytes, "3".bytes], timeout: .zero), .sent)
            XCTAssertEqual(try publisher.send(parts: ["stats".bytes, "4".bytes], timeout: .zero), .sent)
            XCTAssertEqual(try subscriber.receiveMultipart(timeout: .seconds(2)), ["stats".bytes, "4".bytes])
            publisher.close()
            subscriber.close()
        }
    }

    /// Publishes probes on `topic` until the subscriber sees one: subscriptions travel to the publisher
    /// asynchronously, and a PUB drops what it sends before they arrive (the "slow joiner").
    private func awaitSubscription(_ publisher: ZMQSocket, _ subscriber: ZMQSocket, topic: [UInt8]) throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            _ = try publisher.send(parts: [topic, "probe".bytes], timeout: .zero)
            if try subscriber.receiveMultipart(timeout: .milliseconds(20)) != nil {
                // Drain probes already in flight so the test's own messages come next.
                while try subscriber.receiveMultipart(timeout: .milliseconds(50)) != nil {}
                return
            }
        }
        XCTFail("subscription to \(String(decoding: topic, as: UTF8.self)) never reached the publisher")
    }
}
