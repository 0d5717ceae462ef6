import Foundation
import Synchronization
import ZeroMQ

/// A thread sending one frame over and over on its own socket, as fast as the receiver's queue allows (its own
/// queue is kept short, so that what it sent is soon received).
final class Flood: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let sent = Atomic<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    /// Connects a socket of `kind` to `endpoint` and starts sending.
    init(_ kind: SocketKind, context: ZMQContext, endpoint: String, frame: [UInt8]) {
        Thread.detachNewThread { [self] in
            defer { finished.signal() }
            guard let socket = try? ZMQSocket(
                kind, context: context, options: SocketOptions(sendHighWaterMark: 10, linger: .zero)) else {
                return
            }
            defer { socket.close() }
            guard (try? socket.connect(endpoint)) != nil else { return }
            while !stopping.load(ordering: .relaxed) {
                if (try? socket.send(frame, timeout: .milliseconds(10))) == .sent { sent.add(1, ordering: .relaxed) }
            }
        }
    }

    /// Stops the thread and closes its socket (if not done yet); returns how many frames it queued.
    @discardableResult
    func stop() -> Int {
        if !stopping.exchange(true, ordering: .relaxed) { finished.wait() }
        return sent.load(ordering: .relaxed)
    }
}
