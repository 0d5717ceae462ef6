import XCTest

@testable import ZeroMQ

final class TimeoutTests: ZMQTestCase {
    func testTimedReceiveReturnsNilAfterAboutTheTimeout() throws {
        let pull = try makeSocket(.pull)
        _ = try bindFresh(pull, .tcp)
        var frame: [UInt8]? = []
        let seconds = try secondsTaken { frame = try pull.receive(timeout: .milliseconds(200)) }
        XCTAssertNil(frame)
        XCTAssertGreaterThanOrEqual(seconds, 0.19)
        XCTAssertLessThan(seconds, 1.0)
    }

    func testReceiveTimeoutOptionBoundsAReceiveWithoutExplicitTimeout() throws {
        let dealer = try makeSocket(.dealer, SocketOptions(receiveTimeout: .milliseconds(150)))
        _ = try bindFresh(dealer, .inproc)
        var message: [[UInt8]]? = []
        let seconds = try secondsTaken { message = try dealer.receiveMultipart() }
        XCTAssertNil(message)
        XCTAssertGreaterThanOrEqual(seconds, 0.14)
        XCTAssertLessThan(seconds, 1.0)
    }

    func testZeroTimeoutReceiveDoesNotWait() throws {
        let pull = try makeSocket(.pull)
        _ = try bindFresh(pull, .inproc)
        var frame: [UInt8]? = []
        let seconds = try secondsTaken { frame = try pull.receive(timeout: .zero) }
        XCTAssertNil(frame)
        XCTAssertLessThan(seconds, 0.1)
    }

    func testSendWithoutPeerReportsWouldBlockAfterItsTimeout() throws {
        let push = try makeSocket(.push, SocketOptions(linger: .zero))
        var outcome = SendOutcome.sent
        let seconds = try secondsTaken { outcome = try push.send("nobody".bytes, timeout: .milliseconds(100)) }
        XCTAssertEqual(outcome, .wouldBlock)
        XCTAssertGreaterThanOrEqual(seconds, 0.09)
        XCTAssertLessThan(seconds, 1.0)
    }

    func testSendTimeoutOptionBoundsASendWithoutExplicitTimeout() throws {
        let push = try makeSocket(.push, SocketOptions(linger: .zero, sendTimeout: .milliseconds(50)))
        var outcome = SendOutcome.sent
        let seconds = try secondsTaken { outcome = try push.send(parts: ["a".bytes, "b".bytes]) }
        XCTAssertEqual(outcome, .wouldBlock)
        XCTAssertLessThan(seconds, 1.0)
    }

    func testSendOnFullHighWaterMarkReportsWouldBlockThenRecoversWhenDrained() throws {
        let small = SocketOptions(sendHighWaterMark: 2, receiveHighWaterMark: 2, linger: .zero)
        let pull = try makeSocket(.pull, small)
        let push = try makeSocket(.push, small)
        try push.connect(bindFresh(pull, .inproc))

        var queued = 0
        while queued < 100, try push.send([UInt8(queued)], timeout: .zero) == .sent {
            queued += 1
        }
        XCTAssertLessThan(queued, 100, "the high-water mark never stopped the sender")
        XCTAssertGreaterThanOrEqual(queued, 2)

        var outcome = SendOutcome.sent
        let seconds = try secondsTaken { outcome = try push.send("late".bytes, timeout: .milliseconds(100)) }
        XCTAssertEqual(outcome, .wouldBlock)
        XCTAssertLessThan(seconds, 1.0)

        // libzmq reopens a full pipe once the reader has drained part of it: take everything, in order.
        for index in 0..<queued {
            XCTAssertEqual(try pull.receive(timeout: .seconds(1)), [UInt8(index)])
        }
        XCTAssertEqual(try push.send("room again".bytes, timeout: .seconds(1)), .sent)
    }
}
