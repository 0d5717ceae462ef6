import Dispatch
import Foundation
import Synchronization
import ZeroMQ

/// ZeroMQ throughput over tcp loopback: a PUSH thread streams fixed-size frames to a PULL thread in this process.
public enum ZeroMQBench {
    /// Why the benchmark could not produce figures.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// Streams `messages` frames of `messageBytes` bytes PUSH → PULL over tcp://127.0.0.1 and reports the rate
    /// from the first frame received to the last (connection setup excluded).
    public static func run(messageBytes: Int = 65536, messages: Int = 20_000) throws -> BenchmarkReport {
        guard messageBytes > 0, messages >= 2 else {
            throw Failure(
                description: "need messageBytes > 0 and at least 2 messages, got \(messageBytes), \(messages)")
        }
        let context = try ZMQContext(ioThreads: 1)
        defer { context.close() }
        let pull = try ZMQSocket(.pull, context: context, options: SocketOptions(linger: .zero))
        defer { pull.close() }
        try pull.bind("tcp://127.0.0.1:*")
        guard let endpoint = try pull.lastEndpoint else {
            throw Failure(description: "the PULL socket reported no endpoint after binding")
        }

        let sender = SenderThread(context: context, endpoint: endpoint, messageBytes: messageBytes, messages: messages)
        sender.start()
        defer {
            // On an early exit this unblocks the sender at once; after success every frame has already arrived.
            context.shutdown()
            sender.join()
        }

        let stallLimit = Duration.seconds(10)
        var start = ContinuousClock.now
        var receivedBytes = 0
        for index in 0..<messages {
            guard let frame = try pull.receive(timeout: stallLimit) else {
                throw Failure(
                    description: "no message for \(stallLimit) after \(index) of \(messages)"
                        + (sender.failure.map { "; sender failed: \($0)" } ?? ""))
            }
            guard frame.count == messageBytes else {
                throw Failure(description: "message \(index) has \(frame.count) bytes, expected \(messageBytes)")
            }
            if index == 0 {
                start = .now
            } else {
                receivedBytes += frame.count
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return BenchmarkReport(
            benchmark: "zeromq tcp loopback PUSH→PULL, \(messageBytes)-byte messages, \(messages) messages",
            figures: [
                .init("messages", Double(messages - 1) / seconds, "msg/s"),
                .init("throughput", Double(receivedBytes) / seconds / 1e6, "MB/s"),
                .init("elapsed", seconds, "s"),
            ])
    }
}

/// The sending half: owns its PUSH socket on its own thread, as libzmq requires.
private final class SenderThread: Sendable {
    private let context: ZMQContext
    private let endpoint: String
    private let messageBytes: Int
    private let messages: Int
    private let finished = DispatchSemaphore(value: 0)
    private let recordedFailure = Mutex<String?>(nil)

    init(context: ZMQContext, endpoint: String, messageBytes: Int, messages: Int) {
        self.context = context
        self.endpoint = endpoint
        self.messageBytes = messageBytes
        self.messages = messages
    }

    /// Why the sender stopped early, if it did.
    var failure: String? { recordedFailure.withLock { $0 } }

    func start() {
        Thread { [self] in
            do {
                if let sent = try send() {
                    recordedFailure.withLock { $0 = "send timed out after \(sent) messages" }
                }
            } catch {
                recordedFailure.withLock { $0 = "\(error)" }
            }
            finished.signal()
        }.start()
    }

    func join() {
        finished.wait()
    }

    /// Sends every message; returns how many were sent before a send timed out, or nil if all were.
    private func send() throws(ZMQError) -> Int? {
        // Linger long enough to flush the tail after close; a send timeout so a dead receiver cannot hang us.
        let options = SocketOptions(linger: .seconds(5), sendTimeout: .seconds(10))
        let push = try ZMQSocket(.push, context: context, options: options)
        defer { push.close() }
        try push.connect(endpoint)
        let payload = [UInt8](repeating: 0xA5, count: messageBytes)
        for index in 0..<messages {
            if try push.send(payload) == .wouldBlock { return index }
        }
        return nil
    }
}
