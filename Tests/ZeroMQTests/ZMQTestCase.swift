import Foundation
import XCTest

@testable import ZeroMQ

/// The transports a round trip can run over.
enum Transport: CaseIterable {
    case inproc, ipc, tcp
}

/// Gives each test a fresh context, a temp directory for ipc endpoints, and closes every socket it made,
/// even when the test fails half-way (an open socket would make `ZMQContext.close()` wait forever).
class ZMQTestCase: XCTestCase {
    private(set) var context: ZMQContext!
    private var sockets: [ZMQSocket] = []
    private var directory: URL!

    override func setUpWithError() throws {
        context = try ZMQContext()
        directory = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("zmq-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for socket in sockets { socket.close() }
        sockets = []
        context?.close()
        context = nil
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// A socket in the test's context, closed at tear-down if the test does not close it.
    func makeSocket(_ kind: SocketKind, _ options: SocketOptions = SocketOptions()) throws -> ZMQSocket {
        let socket = try ZMQSocket(kind, context: context, options: options)
        sockets.append(socket)
        return socket
    }

    /// A fresh bindable endpoint on `transport` (tcp picks an ephemeral port: read it back with `lastEndpoint`).
    func freshEndpoint(_ transport: Transport) -> String {
        let name = UUID().uuidString.prefix(8)
        switch transport {
        case .inproc: return "inproc://test-\(name)"
        case .ipc: return "ipc://\(directory.path)/\(name).sock"
        case .tcp: return "tcp://127.0.0.1:*"
        }
    }

    /// Binds `socket` to a fresh endpoint on `transport` and returns the address peers should connect to.
    func bindFresh(_ socket: ZMQSocket, _ transport: Transport) throws -> String {
        try socket.bind(freshEndpoint(transport))
        return try XCTUnwrap(socket.lastEndpoint)
    }

    /// Seconds `body` took on the monotonic clock.
    func secondsTaken(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

extension String {
    /// The UTF-8 bytes of this string, for frames.
    var bytes: [UInt8] { Array(utf8) }
}
