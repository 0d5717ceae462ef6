import XCTest

@testable import ZeroMQ

/// A socket owned by an actor: the pattern the compiler allows for a non-Sendable socket.
private actor Receiver {
    private let socket: ZMQSocket

    init(_ socket: sending ZMQSocket) {
        self.socket = socket
    }

    func next() throws -> [UInt8]? {
        try socket.receive(timeout: .seconds(2))
    }

    func close() {
        socket.close()
    }
}

final class IsolationTests: ZMQTestCase {
    func testSocketCreatedHereCanBeHandedToAnActorThatUsesIt() async throws {
        // Created outside `makeSocket` so it stays disconnected from the test object and can be sent away.
        let pull = try ZMQSocket(.pull, context: context)
        try pull.bind("inproc://handed-over")
        let receiver = Receiver(pull)
        let push = try makeSocket(.push)
        try push.connect("inproc://handed-over")
        XCTAssertEqual(try push.send("across".bytes, timeout: .seconds(1)), .sent)
        let frame = try await receiver.next()
        XCTAssertEqual(frame, "across".bytes)
        await receiver.close()
    }
}
