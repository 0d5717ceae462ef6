import XCTest

@testable import ZeroMQ

final class LingerTests: ZMQTestCase {
    /// A PUSH connected to an ipc path nobody listens on, holding one message it can never deliver.
    private func closeContextHoldingUndeliveredMessage(linger: Duration) throws -> Double {
        let context = try ZMQContext()
        let push = try ZMQSocket(.push, context: context, options: SocketOptions(linger: linger))
        try push.connect("ipc://\(NSTemporaryDirectory())/nobody-\(UUID().uuidString.prefix(8)).sock")
        // Without `immediate`, a connecting socket queues for its peer before the connection exists.
        XCTAssertEqual(try push.send("undelivered".bytes, timeout: .seconds(1)), .sent)
        push.close()
        return secondsTaken { context.close() }
    }

    func testClosingContextWaitsNoLongerThanLinger() throws {
        let seconds = try closeContextHoldingUndeliveredMessage(linger: .milliseconds(300))
        XCTAssertGreaterThanOrEqual(seconds, 0.25, "the pending message should have been given its linger")
        XCTAssertLessThan(seconds, 2.0)
    }

    func testClosingContextWithZeroLingerIsImmediate() throws {
        let seconds = try closeContextHoldingUndeliveredMessage(linger: .zero)
        XCTAssertLessThan(seconds, 0.2)
    }

    func testClosingWithALingerSendsWhatASocketOpenedWithoutOneStillHolds() throws {
        let endpoint = "ipc://\(NSTemporaryDirectory())/late-\(UUID().uuidString.prefix(8)).sock"
        let context = try ZMQContext()
        let push = try ZMQSocket(.push, context: context, options: SocketOptions(linger: .zero))
        try push.connect(endpoint)
        XCTAssertEqual(try push.send("last words".bytes, timeout: .seconds(1)), .sent)
        push.close(linger: .seconds(5))
        // The peer turns up only after the close; the message still reaches it.
        let listener = try ZMQContext()
        let pull = try ZMQSocket(.pull, context: listener, options: SocketOptions(linger: .zero))
        try pull.bind(endpoint)
        XCTAssertEqual(try pull.receive(timeout: .seconds(3)), "last words".bytes)
        pull.close()
        listener.close()
        context.close()
    }

    func testShutdownWakesAReceiveBlockedInAnotherThread() throws {
        let context = try ZMQContext()
        let endpoint = "inproc://blocked-\(UUID().uuidString.prefix(8))"
        let ready = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        let thread = Thread {
            do {
                let pull = try ZMQSocket(.pull, context: context)
                defer { pull.close() }
                try pull.bind(endpoint)
                ready.signal()
                _ = try pull.receive()
                outcome.record(nil)
            } catch let error as ZMQError {
                outcome.record(error.code)
            } catch {
                XCTFail("unexpected \(error)")
            }
            finished.signal()
        }
        thread.start()
        ready.wait()
        Thread.sleep(forTimeInterval: 0.05)
        context.shutdown()
        XCTAssertEqual(finished.wait(timeout: .now() + 2), .success)
        XCTAssertEqual(outcome.code, .contextTerminated)
        context.close()
        XCTAssertTrue(context.isClosed)
    }
}

/// The error code a worker thread ended with, handed back to the test thread.
private final class Outcome: @unchecked Sendable {
    // Written once by the worker before it signals, read by the test after waiting.
    private(set) var code: ZMQError.Code?
    func record(_ code: ZMQError.Code?) { self.code = code }
}
