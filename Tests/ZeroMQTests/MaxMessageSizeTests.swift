import XCTest

@testable import ZeroMQ

final class MaxMessageSizeTests: ZMQTestCase {
    /// ZMQ_MAXMSGSIZE is enforced by the stream engine, so it applies to tcp and ipc (not inproc).
    func testOversizedFrameCutsOffOnlyTheSenderOverTcpAndIpc() throws {
        for transport in [Transport.tcp, .ipc] {
            try checkOversizedFrameCutsOffOnlyTheSender(transport)
        }
    }

    private func checkOversizedFrameCutsOffOnlyTheSender(_ transport: Transport) throws {
        let router = try makeSocket(.router, SocketOptions(maxMessageSize: 1024, routerMandatory: true))
        let endpoint = try bindFresh(router, transport)
        let good = try makeSocket(.dealer, SocketOptions(routingID: "good".bytes))
        // No reconnect, so once the router drops this peer it stays gone and the router can tell.
        let bad = try makeSocket(.dealer, SocketOptions(linger: .zero, reconnectInterval: nil, routingID: "bad".bytes))
        try good.connect(endpoint)
        try bad.connect(endpoint)
        for peer in [good, bad] {
            XCTAssertEqual(try peer.send("hello".bytes, timeout: .seconds(2)), .sent)
        }
        let greetings = try (0..<2).map { _ in try XCTUnwrap(router.receiveMultipart(timeout: .seconds(2))) }
        XCTAssertEqual(Set(greetings.map { $0[0] }), ["good".bytes, "bad".bytes], "\(transport)")

        XCTAssertEqual(try bad.send([UInt8](repeating: 7, count: 4096), timeout: .seconds(2)), .sent)
        try waitUntilRouterForgets("bad".bytes, router, transport)

        for index in 0..<3 {
            XCTAssertEqual(try good.send("after \(index)".bytes, timeout: .seconds(2)), .sent)
            // Compare readable summaries: a failure must not dump a 4 KiB frame into the log.
            let message = try router.receiveMultipart(timeout: .seconds(2))
            XCTAssertEqual(
                message.map(summary), ["good", "after \(index)"], "\(transport): the good peer must keep working")
        }
        XCTAssertEqual(try router.send(parts: ["good".bytes, "reply".bytes], timeout: .seconds(2)), .sent)
        XCTAssertEqual(try good.receive(timeout: .seconds(2)), "reply".bytes, "\(transport)")
        let late = try router.receiveMultipart(timeout: .milliseconds(50))
        XCTAssertNil(late.map(summary), "\(transport): the oversized frame must not arrive")
        for socket in [good, bad, router] { socket.close() }
    }

    /// With `routerMandatory`, sending to a peer the router dropped throws `.hostUnreachable`.
    private func waitUntilRouterForgets(_ identity: [UInt8], _ router: ZMQSocket, _ transport: Transport) throws {
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline {
            if try isUnreachable(identity, router) { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTFail("\(transport): the router never disconnected the peer that sent an oversized frame")
    }

    private func isUnreachable(_ identity: [UInt8], _ router: ZMQSocket) throws -> Bool {
        do {
            _ = try router.send(parts: [identity, "ping".bytes], timeout: .zero)
            return false
        } catch  where error.code == .hostUnreachable {
            return true
        }
    }

    /// Each frame as at most 16 characters of text.
    private func summary(_ frames: [[UInt8]]) -> [String] {
        frames.map { String(decoding: $0.prefix(16), as: UTF8.self) }
    }
}
