import XCTest

@testable import ZeroMQ

final class SocketOptionsTests: ZMQTestCase {
    func testOptionsReachLibzmqInItsUnits() throws {
        let options = SocketOptions(
            sendHighWaterMark: 7, receiveHighWaterMark: 9, linger: .milliseconds(250), maxMessageSize: 1 << 33,
            heartbeatInterval: .milliseconds(500), heartbeatTTL: .seconds(3), heartbeatTimeout: .milliseconds(1500),
            reconnectInterval: .milliseconds(20), reconnectIntervalMax: .seconds(2), immediate: true,
            receiveTimeout: .microseconds(1500), sendTimeout: .seconds(4))
        let dealer = try makeSocket(.dealer, options)
        XCTAssertEqual(try dealer.intOption(.sendHighWaterMark), 7)
        XCTAssertEqual(try dealer.intOption(.receiveHighWaterMark), 9)
        XCTAssertEqual(try dealer.intOption(.linger), 250)
        XCTAssertEqual(try dealer.live("test").option(.maxMessageSize, as: Int64.self), 1 << 33)
        XCTAssertEqual(try dealer.intOption(.heartbeatInterval), 500)
        XCTAssertEqual(try dealer.intOption(.heartbeatTTL), 3000)
        XCTAssertEqual(try dealer.intOption(.heartbeatTimeout), 1500)
        XCTAssertEqual(try dealer.intOption(.reconnectInterval), 20)
        XCTAssertEqual(try dealer.intOption(.reconnectIntervalMax), 2000)
        XCTAssertEqual(try dealer.intOption(.immediate), 1)
        XCTAssertEqual(try dealer.intOption(.receiveTimeout), 2, "sub-millisecond parts round up, never down")
        XCTAssertEqual(try dealer.intOption(.sendTimeout), 4000)
    }

    func testUnsetOptionsMeanNoLimitNoReconnectOrForever() throws {
        let dealer = try makeSocket(.dealer, SocketOptions(reconnectInterval: nil))
        XCTAssertEqual(try dealer.intOption(.linger), 1000, "linger is bounded by default")
        XCTAssertEqual(try dealer.live("test").option(.maxMessageSize, as: Int64.self), -1)
        XCTAssertEqual(try dealer.intOption(.reconnectInterval), -1)
        XCTAssertEqual(try dealer.intOption(.receiveTimeout), -1)
        XCTAssertEqual(try dealer.intOption(.sendTimeout), -1)
    }

    func testDurationsConvertToMillisecondsRoundingUpAndClamping() {
        XCTAssertEqual(Duration.zero.wholeMillisecondsRoundedUp, 0)
        XCTAssertEqual(Duration.milliseconds(-5).wholeMillisecondsRoundedUp, 0)
        XCTAssertEqual(Duration.nanoseconds(1).wholeMillisecondsRoundedUp, 1)
        XCTAssertEqual(Duration.milliseconds(1).wholeMillisecondsRoundedUp, 1)
        XCTAssertEqual(Duration.seconds(1.0005).wholeMillisecondsRoundedUp, 1001)
        XCTAssertEqual(Duration.seconds(Int64.max).wholeMillisecondsRoundedUp, Int32.max)
    }

    func testLibzmqIsNewEnoughForShoal() {
        let version = zmqVersion()
        XCTAssertGreaterThanOrEqual(version, ZMQVersion(4, 3, 3))
        XCTAssertEqual(version.description, "\(version.major).\(version.minor).\(version.patch)")
        XCTAssertLessThan(ZMQVersion(4, 3, 9), ZMQVersion(4, 10, 0))
    }
}
