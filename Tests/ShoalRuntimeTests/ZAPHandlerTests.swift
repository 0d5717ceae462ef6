import XCTest
import ZeroMQ

@testable import ShoalRuntime

final class ZAPHandlerTests: XCTestCase {
    private let allowedKey = [UInt8](repeating: 7, count: 32)

    private func request(domain: String = "shoal", mechanism: String = "CURVE", credentials: [[UInt8]]) -> [[UInt8]] {
        [Array("1.0".utf8), Array("42".utf8), Array(domain.utf8), Array("127.0.0.1".utf8), [],
         Array(mechanism.utf8)] + credentials
    }

    private func status(_ decision: ZAPHandler.Decision) -> String {
        String(decoding: decision.reply[2], as: UTF8.self)
    }

    func testZAPAcceptsOnlyAllowedCurveKeysInItsDomain() throws {
        let allowed: Set<String> = [try XCTUnwrap(Z85.encode(allowedKey))]
        let accepted = ZAPHandler.decide(request(credentials: [allowedKey]), domain: "shoal", allowedKeys: allowed)
        XCTAssertEqual(status(accepted), "200")
        XCTAssertTrue(accepted.accepted)
        XCTAssertEqual(accepted.reply[1], Array("42".utf8), "the reply must echo the request id")
        XCTAssertEqual(accepted.reply.count, 6)

        let refused = [
            request(credentials: [[UInt8](repeating: 8, count: 32)]),
            request(domain: "other", credentials: [allowedKey]),
            request(mechanism: "NULL", credentials: []),
            request(credentials: [Array(allowedKey.prefix(31))]),
        ]
        for frames in refused {
            let decision = ZAPHandler.decide(frames, domain: "shoal", allowedKeys: allowed)
            XCTAssertEqual(status(decision), "400", decision.reason)
            XCTAssertFalse(decision.accepted)
        }
        let garbled = ZAPHandler.decide([Array("2.0".utf8), []], domain: "shoal", allowedKeys: allowed)
        XCTAssertEqual(status(garbled), "500")
    }

    /// Real sockets: an allowed client's messages arrive, an unlisted client's never do, and stopping is prompt.
    func testZAPHandlerLetsOnlyAllowedClientsThroughACurveServer() throws {
        let context = try ZMQContext()
        let serverKeys = try CurveKeyPair.generate()
        let goodKeys = try CurveKeyPair.generate()
        let handler = try ZAPHandler(context: context, domain: "shoal", allowedKeys: [goodKeys.publicKey])
        let server = try ZMQSocket(.pull, context: context, options: SocketOptions(
            linger: .zero, curve: .server(keys: serverKeys), zapDomain: "shoal"))
        try server.bind("tcp://127.0.0.1:*")
        let endpoint = try XCTUnwrap(server.lastEndpoint)
        func client(_ keys: CurveKeyPair) throws -> ZMQSocket {
            let socket = try ZMQSocket(.push, context: context, options: SocketOptions(
                linger: .zero, curve: .client(keys: keys, serverPublicKey: serverKeys.publicKey)))
            try socket.connect(endpoint)
            return socket
        }
        let stranger = try client(try CurveKeyPair.generate())
        _ = try stranger.send(Array("stranger".utf8), timeout: .milliseconds(500))
        let good = try client(goodKeys)
        XCTAssertEqual(try good.send(Array("good".utf8), timeout: .seconds(2)), .sent)
        XCTAssertEqual(try server.receive(timeout: .seconds(2)), Array("good".utf8))
        XCTAssertNil(try server.receive(timeout: .milliseconds(300)), "an unlisted client got a message through")
        XCTAssertGreaterThanOrEqual(handler.refusals, 1)

        for socket in [stranger, good, server] { socket.close() }
        let clock = ContinuousClock()
        let stopped = clock.measure { handler.stop() }
        XCTAssertLessThan(stopped, .seconds(1))
        context.close()
    }
}
