import Foundation
import XCTest

@testable import ZeroMQ

/// The files `ipc://` binds create are removed with the socket, but never a file another socket has bound since.
final class IPCSocketFileTests: ZMQTestCase {
    private func exists(_ endpoint: String) -> Bool {
        FileManager.default.fileExists(atPath: String(endpoint.dropFirst("ipc://".count)))
    }

    func testClosingOrUnbindingRemovesTheSocketFile() throws {
        let endpoint = freshEndpoint(.ipc)
        let router = try makeSocket(.router)
        try router.bind(endpoint)
        XCTAssertTrue(exists(endpoint))
        router.close()
        XCTAssertFalse(exists(endpoint), "closed: its file is gone")

        let pull = try makeSocket(.pull)
        try pull.bind(endpoint)
        try pull.unbind(endpoint)
        XCTAssertFalse(exists(endpoint), "unbound: its file is gone")
        pull.close()
    }

    func testAFileBoundSinceByAnotherSocketIsKept() throws {
        let endpoint = freshEndpoint(.ipc)
        let old = try makeSocket(.pull)
        try old.bind(endpoint)
        // As a restarted learner does: libzmq replaces the file left at the path.
        let successor = try makeSocket(.pull)
        try successor.bind(endpoint)
        old.close()
        XCTAssertTrue(exists(endpoint), "the successor's file stays")
        let push = try makeSocket(.push)
        try push.connect(endpoint)
        XCTAssertEqual(try push.send("still here".bytes, timeout: .seconds(2)), .sent)
        XCTAssertEqual(try successor.receive(timeout: .seconds(2)), "still here".bytes)
        successor.close()
        XCTAssertFalse(exists(endpoint))
    }
}
