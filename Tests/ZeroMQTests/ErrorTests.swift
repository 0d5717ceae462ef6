import XCTest

@testable import ZeroMQ

final class ErrorTests: ZMQTestCase {
    /// Runs `body` and returns the ZMQError it threw, failing the test if it threw nothing or something else.
    private func zmqError(_ body: () throws -> Void, line: UInt = #line) -> ZMQError? {
        do {
            try body()
            XCTFail("expected a ZMQError", line: line)
        } catch let error as ZMQError {
            return error
        } catch {
            XCTFail("expected a ZMQError, got \(error)", line: line)
        }
        return nil
    }

    func testMalformedEndpointThrowsWithTheEndpointInItsMessage() throws {
        let dealer = try makeSocket(.dealer)
        let malformed = zmqError { try dealer.connect("tcp://no-port-here") }
        XCTAssertEqual(malformed?.code, .invalidArgument)
        XCTAssertTrue(
            malformed?.description.contains("tcp://no-port-here") ?? false, "\(String(describing: malformed))")

        let unknownTransport = zmqError { try dealer.connect("carrier-pigeon://loft") }
        XCTAssertEqual(unknownTransport?.code, .unsupportedTransport)
        XCTAssertTrue(unknownTransport?.description.contains("carrier-pigeon://loft") ?? false)
    }

    func testBindingAnAddressTwiceReportsAddressInUse() throws {
        let first = try makeSocket(.pull)
        let endpoint = try bindFresh(first, .tcp)
        let second = try makeSocket(.pull)
        XCTAssertEqual(zmqError { try second.bind(endpoint) }?.code, .addressInUse)
    }

    func testUnbindingAnUnknownEndpointReportsEndpointNotFound() throws {
        let pull = try makeSocket(.pull)
        let endpoint = try bindFresh(pull, .tcp)
        try pull.unbind(endpoint)
        XCTAssertEqual(zmqError { try pull.unbind(endpoint) }?.code, .endpointNotFound)
    }

    func testUsingAClosedSocketThrowsClosed() throws {
        let push = try makeSocket(.push)
        push.close()
        push.close()
        XCTAssertTrue(push.isClosed)
        XCTAssertEqual(zmqError { _ = try push.send("x".bytes, timeout: .zero) }?.code, .closed)
        XCTAssertEqual(zmqError { try push.connect("inproc://x") }?.code, .closed)
    }

    func testEmptyMultipartMessageIsRejected() throws {
        let push = try makeSocket(.push)
        XCTAssertEqual(zmqError { _ = try push.send(parts: [], timeout: .zero) }?.code, .invalidArgument)
    }

    func testRouterUnknownPeerIsHostUnreachableOnlyWithRouterMandatory() throws {
        let strict = try makeSocket(.router, SocketOptions(routerMandatory: true))
        XCTAssertEqual(zmqError { _ = try strict.send(parts: ["ghost".bytes, "x".bytes]) }?.code, .hostUnreachable)
        let lenient = try makeSocket(.router)
        XCTAssertEqual(try lenient.send(parts: ["ghost".bytes, "x".bytes], timeout: .zero), .sent)
    }

    func testOptionsThatDoNotFitTheSocketKindAreRejected() throws {
        XCTAssertEqual(
            zmqError { _ = try self.makeSocket(.dealer, SocketOptions(routerMandatory: true)) }?.code,
            .notSupported)
        XCTAssertEqual(
            zmqError { _ = try self.makeSocket(.pub, SocketOptions(subscriptions: [[]])) }?.code,
            .notSupported)
        let push = try makeSocket(.push)
        XCTAssertEqual(zmqError { try push.subscribe([]) }?.code, .notSupported)
        let tooLongID = zmqError {
            _ = try self.makeSocket(.dealer, SocketOptions(routingID: [UInt8](repeating: 1, count: 300)))
        }
        XCTAssertEqual(tooLongID?.code, .invalidArgument)
        XCTAssertTrue(tooLongID?.description.contains("ZMQ_ROUTING_ID") ?? false)
    }

    func testSocketOnClosedContextIsRejected() throws {
        let context = try ZMQContext()
        context.close()
        context.close()
        XCTAssertEqual(zmqError { _ = try ZMQSocket(.pull, context: context) }?.code, .closed)
        XCTAssertEqual(zmqError { _ = try ZMQContext(ioThreads: 0) }?.code, .invalidArgument)
    }
}
