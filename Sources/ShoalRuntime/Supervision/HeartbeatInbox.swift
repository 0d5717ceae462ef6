import Logging
import ShoalWire
import ZeroMQ

/// The supervisor's end of the heartbeat channel: a bound PULL socket whose frames are decoded and validated, with
/// refused frames counted by reason and otherwise ignored.
final class HeartbeatInbox {
    /// The endpoint children should connect to (wildcards resolved).
    let endpoint: String
    /// Frames refused, by `RejectionReason.label`.
    private(set) var rejected: [String: Int] = [:]
    private let socket: ZMQSocket
    private let validator: MessageValidator
    private let log: Logger

    /// Binds `bindEndpoint` and accepts heartbeats of run `runID` only.
    init(
        context: ZMQContext, bindEndpoint: String, runID: String, logger: Logger = Logger(label: "shoal.supervisor")
    ) throws(ShoalRuntimeError) {
        log = logger
        let limits = WireLimits(runID: runID)
        // Heartbeats are small; a frame past this size is garbage, and libzmq drops its sender before decoding.
        let maxHeartbeatBytes = 64 << 10
        do throws(ZMQError) {
            socket = try ZMQSocket(
                .pull, context: context,
                options: SocketOptions(receiveHighWaterMark: 10_000, linger: .zero, maxMessageSize: maxHeartbeatBytes))
        } catch {
            throw ShoalRuntimeError(.heartbeatSocket, subject: bindEndpoint, reason: error.description)
        }
        do throws(ZMQError) {
            try socket.bind(bindEndpoint)
            // Children run on this host, so a wildcard bind is reached through loopback.
            let bound = try socket.lastEndpoint ?? bindEndpoint
            endpoint = bound.replacingPrefix("tcp://0.0.0.0:", with: "tcp://127.0.0.1:")
        } catch {
            socket.close()
            throw ShoalRuntimeError(.heartbeatSocket, subject: bindEndpoint, reason: error.description)
        }
        validator = MessageValidator(limits: limits)
    }

    /// Waits up to `timeout` for the first heartbeat, then takes those already queued, oldest first, until none is
    /// left or `timeout` (at least 10 ms) has passed: a peer flooding the socket faster than frames can be decoded
    /// cannot keep the supervisor from its other work for longer.
    func receive(waitingUpTo timeout: Duration) -> [Heartbeat] {
        let deadline = ContinuousClock.now + max(timeout, .milliseconds(10))
        var heartbeats: [Heartbeat] = []
        var wait = timeout
        while let parts = receiveMessage(timeout: wait) {
            if let heartbeat = accept(parts) { heartbeats.append(heartbeat) }
            guard ContinuousClock.now < deadline else { break }
            wait = .zero
        }
        return heartbeats
    }

    /// Closes the socket (which removes an ipc socket file).
    func close() {
        socket.close()
    }

    /// The heartbeat in a message, or nil (counted) if it holds none this supervisor accepts.
    private func accept(_ parts: [[UInt8]]) -> Heartbeat? {
        // A child sends one frame per heartbeat; the parts of any other layout are not heartbeats.
        guard parts.count == 1 else {
            count("bad_multipart")
            return nil
        }
        do throws(WireError) {
            guard case .heartbeat(let heartbeat) = try validator.decode(parts[0]) else {
                count(RejectionReason.unexpectedMessage.label)
                return nil
            }
            return heartbeat
        } catch {
            count(error.reason.label)
            return nil
        }
    }

    private func receiveMessage(timeout: Duration) -> [[UInt8]]? {
        do {
            // Polling first makes libzmq act on its pending notices, among them that a quiet child's connection has
            // a heartbeat again; a receive alone does so only every 100 messages, so a peer flooding the socket
            // would hold back the children's heartbeats for 100 of its frames each time.
            guard try !ZMQPoller([socket]).readable(timeout: timeout).isEmpty else { return nil }
            return try socket.receiveMultipart(timeout: .zero)
        } catch {
            // A PULL socket's receive fails only when the context is terminated, which this supervisor does last.
            preconditionFailure("heartbeat receive failed: \(error)")
        }
    }

    /// Counts a refused frame; logs the 1st, 2nd, 4th, 8th... of each reason with the count so far, so that the
    /// log tells how many without a flood of bad frames flooding it.
    private func count(_ label: String) {
        let total = rejected[label, default: 0] + 1
        rejected[label] = total
        if total & (total - 1) == 0 {
            log.warning("ignored heartbeat frames", metadata: ["reason": "\(label)", "count": "\(total)"])
        }
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
