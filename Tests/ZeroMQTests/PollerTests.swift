import XCTest

@testable import ZeroMQ

final class PollerTests: ZMQTestCase {
    func testPollerReportsExactlyTheSocketsWithMessages() throws {
        var pulls: [ZMQSocket] = []
        var pushes: [ZMQSocket] = []
        for transport in [Transport.inproc, .ipc, .tcp] {
            let pull = try makeSocket(.pull)
            let push = try makeSocket(.push)
            try push.connect(bindFresh(pull, transport))
            pulls.append(pull)
            pushes.append(push)
        }
        let poller = ZMQPoller(pulls)

        XCTAssertEqual(try pushes[1].send("one".bytes, timeout: .seconds(1)), .sent)
        var ready = try poller.readable(timeout: .seconds(2))
        XCTAssertTrue(ready.count == 1 && ready[0] === pulls[1], "expected only the second socket")

        XCTAssertEqual(try pushes[2].send("two".bytes, timeout: .seconds(1)), .sent)
        // The second socket still holds its message, so both must be reported once the third's arrives.
        let deadline = ContinuousClock.now + .seconds(2)
        repeat { ready = try poller.readable(timeout: .milliseconds(100)) } while ready.count < 2 && .now < deadline
        XCTAssertEqual(ready.map { ObjectIdentifier($0) }, [pulls[1], pulls[2]].map { ObjectIdentifier($0) })

        XCTAssertEqual(try pulls[1].receive(timeout: .zero), "one".bytes)
        XCTAssertEqual(try pulls[2].receive(timeout: .zero), "two".bytes)
    }

    func testPollerTimesOutWithNothingReadable() throws {
        let pull = try makeSocket(.pull)
        _ = try bindFresh(pull, .inproc)
        var ready: [ZMQSocket] = [pull]
        let seconds = try secondsTaken { ready = try ZMQPoller([pull]).readable(timeout: .milliseconds(100)) }
        XCTAssertTrue(ready.isEmpty)
        XCTAssertGreaterThanOrEqual(seconds, 0.09)
        XCTAssertLessThan(seconds, 1.0)
    }

    func testPollerRefusesAClosedSocket() throws {
        let pull = try makeSocket(.pull)
        var poller = ZMQPoller()
        poller.add(pull)
        pull.close()
        XCTAssertThrowsError(try poller.readable(timeout: .zero)) { error in
            XCTAssertEqual((error as? ZMQError)?.code, .closed)
        }
    }
}
