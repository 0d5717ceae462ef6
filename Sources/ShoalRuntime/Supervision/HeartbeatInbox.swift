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

    /// Binds `bindEndpoint` and accepts heartbeats of run `runID` only.
    init(context: ZMQContext, bindEndpoint: String, runID: String) throws(SupervisionError) {
        let limits = WireLimits(runID: runID)
        // Heartbeats are small; a frame past this size is garbage, and libzmq drops its sender before decoding.
        let maxHeartbeatBytes = 64 << 10
        do throws(ZMQError) {
            socket = try ZMQSocket(
                .pull, context: context,
                options: SocketOptions(receiveHighWaterMark: 10_000, linger: .zero, maxMessageSize: maxHeartbeatBytes))
        } catch {
            throw SupervisionError(.heartbeatSocket, subject: bindEndpoint, reason: error.description)
        }
        do throws(ZMQError) {
            try socket.bind(bindEndpoint)
            // Children run on this host, so a wildcard bind is reached through loopback.
            let bound = try socket.lastEndpoint ?? bindEndpoint
            endpoint = bound.replacingPrefix("tcp://0.0.0.0:", with: "tcp://127.0.0.1:")
        } catch {
            socket.close()
            throw SupervisionError(.heartbeatSocket, subject: bindEndpoint, reason: error.description)
        }
        validator = MessageValidator(limits: limits)
    }

    /// Waits up to `timeout` for the first heartbeat, then takes every one already queued, oldest first.
    func receive(waitingUpTo timeout: Duration) -> [Heartbeat] {
        var heartbeats: [Heartbeat] = []
        var wait = timeout
        while let frame = receiveFrame(timeout: wait) {
            wait = .zero
            do throws(WireError) {
                guard case .heartbeat(let heartbeat) = try validator.decode(frame) else {
                    count(.unexpectedMessage)
                    continue
                }
                heartbeats.append(heartbeat)
            } catch {
                count(error.reason)
            }
        }
        return heartbeats
    }

    /// Closes the socket (which removes an ipc socket file).
    func close() {
        socket.close()
    }

    private func receiveFrame(timeout: Duration) -> [UInt8]? {
        do {
            return try socket.receive(timeout: timeout)
        } catch {
            // A PULL socket's receive fails only when the context is terminated, which this supervisor does last.
            preconditionFailure("heartbeat receive failed: \(error)")
        }
    }

    private func count(_ reason: RejectionReason) {
        rejected[reason.label, default: 0] += 1
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
