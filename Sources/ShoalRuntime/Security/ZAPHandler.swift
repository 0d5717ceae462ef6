import Foundation
import Logging
import Synchronization
import ZeroMQ

/// Authorises CURVE clients of one context's server sockets by public key: a ZAP 1.0 handler
/// (rfc.zeromq.org/spec/27) on its own thread, answering libzmq's requests on `inproc://zeromq.zap.01`.
///
/// libzmq asks it about every connection to a CURVE server socket that has a ZAP domain (`SocketOptions.zapDomain`)
/// once the client has proved it holds the secret key of the public key it presents; a refused client never gets a
/// message through, in either direction. Call `stop()` before closing the context.
public final class ZAPHandler: Sendable {
    /// The endpoint libzmq sends ZAP requests to, fixed by the ZAP specification.
    public static let endpoint = "inproc://zeromq.zap.01"
    /// The refusals logged at most, so that a flood of bad connections cannot flood the log; all are counted.
    static let loggedRefusals = 10

    private let refused = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Binds the handler in `context` and starts answering: clients in `domain` whose CURVE public key (Z85) is in
    /// `allowedKeys` are accepted, all others refused.
    public init(context: ZMQContext, domain: String, allowedKeys: Set<String>,
                log: Logger = Logger(label: "shoal.security")) throws {
        // A ROUTER rather than a REP: it answers libzmq's REQ the same way (the envelope is kept and sent back), and
        // one request with an odd envelope cannot wedge it in the wrong send/receive state as it would a REP.
        let socket = try ZMQSocket(.router, context: context, options: SocketOptions(linger: .zero))
        do {
            try socket.bind(Self.endpoint)
        } catch {
            socket.close()
            throw error
        }
        // The socket moves to the handler's thread and is never used here again (libzmq allows a socket to change
        // threads with a memory barrier in between, which starting the thread is).
        let handed = HandedOverSocket(socket: socket)
        let thread = Thread { [self] in
            serve(handed.socket, domain: domain, allowedKeys: allowedKeys, log: log)
        }
        thread.name = "shoal-zap"
        thread.start()
    }

    /// Connections refused so far.
    public var refusals: Int { refused.load(ordering: .relaxed) }

    /// Stops answering and closes the handler's socket; returns once it is closed. Idempotent.
    public func stop() {
        guard stopping.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        finished.wait()
    }

    private func serve(_ socket: ZMQSocket, domain: String, allowedKeys: Set<String>, log: Logger) {
        defer {
            socket.close()
            finished.signal()
        }
        // Polls with a timeout so that `stop()` is noticed; a terminated context ends the loop too.
        while !stopping.load(ordering: .acquiring) {
            let received: [[UInt8]]?
            do {
                received = try socket.receiveMultipart(timeout: .milliseconds(50))
            } catch {
                return  // the context is shutting down
            }
            // The envelope: the requester's routing id and the empty delimiter frame, then the ZAP request.
            guard let message = received, let delimiter = message.firstIndex(of: []) else { continue }
            let envelope = Array(message[...delimiter])
            let decision = Self.decide(Array(message[(delimiter + 1)...]), domain: domain, allowedKeys: allowedKeys)
            if !decision.accepted {
                let count = refused.add(1, ordering: .relaxed).newValue
                if count <= Self.loggedRefusals {
                    log.warning("refused connection", metadata: [
                        "reason": "\(decision.reason)", "address": "\(decision.address)",
                        "refusals": "\(count)"])
                }
            }
            _ = try? socket.send(parts: envelope + decision.reply, timeout: .milliseconds(100))
        }
    }

    /// The answer to one ZAP request, and why.
    struct Decision: Equatable {
        /// The reply frames: version, request id, status code, status text, user id, metadata.
        var reply: [[UInt8]]
        var accepted: Bool
        /// Why, for the log.
        var reason: String
        /// The client's address as libzmq reported it.
        var address: String
    }

    /// Decides a ZAP request: frames version, request id, domain, address, identity, mechanism, credentials.
    /// Accepts (200) a CURVE client of `domain` whose 32-byte public key is in `allowedKeys`; refuses (400) any other,
    /// and answers 500 to a request that does not follow ZAP 1.0.
    static func decide(_ request: [[UInt8]], domain: String, allowedKeys: Set<String>) -> Decision {
        let requestID = request.count > 1 ? request[1] : []
        func answer(_ status: String, _ reason: String, userID: String = "", address: String = "") -> Decision {
            let reply = [Array("1.0".utf8), requestID, Array(status.utf8), Array(reason.utf8), Array(userID.utf8), []]
            return Decision(reply: reply, accepted: status == "200", reason: reason, address: address)
        }
        guard request.count >= 6, request[0] == Array("1.0".utf8) else {
            return answer("500", "not a ZAP 1.0 request")
        }
        let text = { (frame: [UInt8]) in String(decoding: frame, as: UTF8.self) }
        let address = text(request[3])
        guard text(request[2]) == domain else {
            return answer("400", "unknown domain '\(text(request[2]).prefix(64))'", address: address)
        }
        guard text(request[5]) == "CURVE", request.count == 7, request[6].count == 32,
              let publicKey = Z85.encode(request[6])
        else {
            return answer("400", "not a CURVE client (\(text(request[5]).prefix(16)))", address: address)
        }
        guard allowedKeys.contains(publicKey) else {
            return answer("400", "public key \(publicKey) not on the allow-list", address: address)
        }
        return answer("200", "OK", userID: publicKey, address: address)
    }
}

/// A socket passed to the thread that owns it from then on.
private struct HandedOverSocket: @unchecked Sendable {
    let socket: ZMQSocket
}
