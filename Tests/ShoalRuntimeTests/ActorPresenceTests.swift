import XCTest

@testable import ShoalRuntime

final class ActorPresenceTests: XCTestCase {
    /// An actor unheard for longer than the timeout is reported silent once; heard again, it is reported back with
    /// how long it was gone; the others are untouched throughout.
    func testSilenceIsReportedOnceAndTheReturnWithItsLength() {
        var presence = ActorPresence(silenceTimeout: .seconds(5))
        let start = ContinuousClock.now
        XCTAssertNil(presence.heard(from: 1, at: start))
        XCTAssertNil(presence.heard(from: 2, at: start))
        XCTAssertEqual(presence.connected, 2)
        XCTAssertNil(presence.heard(from: 2, at: start + .seconds(4)))
        XCTAssertTrue(presence.newlySilent(at: start + .seconds(5)).isEmpty, "not silent at exactly the timeout")

        let silent = presence.newlySilent(at: start + .seconds(6))
        XCTAssertEqual(silent.map(\.actor), [1])
        XCTAssertEqual(silent.first?.unheard, .seconds(6))
        XCTAssertEqual(presence.connected, 1)
        XCTAssertTrue(presence.newlySilent(at: start + .seconds(7)).isEmpty, "reported once")

        XCTAssertEqual(presence.heard(from: 1, at: start + .seconds(8)), .seconds(8))
        XCTAssertNil(presence.heard(from: 1, at: start + .seconds(9)), "back already")
        XCTAssertEqual(presence.newlySilent(at: start + .seconds(10)).map(\.actor), [2])
        XCTAssertEqual(presence.connected, 1)
    }
}
