import XCTest

@testable import ZeroMQ

final class CurveTests: ZMQTestCase {
    func testClientWithTheServerKeyTalksAndOneWithAWrongKeyIsRefused() throws {
        let serverKeys = try CurveKeyPair.generate()
        let pull = try makeSocket(.pull, SocketOptions(curve: .server(keys: serverKeys), zapDomain: "shoal"))
        let endpoint = try bindFresh(pull, .tcp)

        let impostorKeys = try CurveKeyPair.generate()
        let misled = try makeSocket(
            .push,
            SocketOptions(
                linger: .zero,
                curve: .client(keys: try CurveKeyPair.generate(), serverPublicKey: impostorKeys.publicKey)))
        try misled.connect(endpoint)
        _ = try misled.send("should not arrive".bytes, timeout: .seconds(1))
        XCTAssertNil(try pull.receive(timeout: .milliseconds(300)), "a client expecting another server got through")

        let trusted = try makeSocket(
            .push,
            SocketOptions(
                curve: .client(keys: try CurveKeyPair.generate(), serverPublicKey: serverKeys.publicKey)))
        try trusted.connect(endpoint)
        XCTAssertEqual(try trusted.send("secret".bytes, timeout: .seconds(2)), .sent)
        XCTAssertEqual(try pull.receive(timeout: .seconds(2)), "secret".bytes)
    }

    func testKeyPairRebuiltFromItsSecretKeyHasTheSamePublicKey() throws {
        let keys = try CurveKeyPair.generate()
        XCTAssertEqual(keys.publicKey.count, 40)
        XCTAssertNotEqual(keys.publicKey, keys.secretKey)
        XCTAssertEqual(try CurveKeyPair(secretKey: keys.secretKey), keys)
    }

    func testMalformedKeysAreRejectedBeforeAnyHandshake() throws {
        XCTAssertThrowsError(try CurveKeyPair(secretKey: "too short")) { error in
            XCTAssertEqual((error as? ZMQError)?.code, .invalidArgument)
        }
        let keys = try CurveKeyPair.generate()
        let badServerKey = String(repeating: "~", count: 40)
        XCTAssertThrowsError(
            try makeSocket(.push, SocketOptions(curve: .client(keys: keys, serverPublicKey: badServerKey)))
        ) { error in
            XCTAssertEqual((error as? ZMQError)?.code, .invalidArgument)
        }
    }
}
