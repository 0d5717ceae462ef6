import ShoalWire
import ZeroMQ

/// An actor's connection to one environment server: a DEALER that has at most one request outstanding and takes
/// only the reply with that request's id. A late reply to a request given up on is dropped and counted.
///
/// After a fault `reopen()` replaces the socket, so nothing queued for a hung or restarted server is delivered later
/// and the server sees a new client, which must say hello again.
final class EnvServerConnection {
    /// The server's address.
    let endpoint: String
    private(set) var socket: ZMQSocket
    /// The request awaiting its reply.
    private(set) var outstanding: (id: UInt64, sentAt: ContinuousClock.Instant)?
    /// Replies to requests no longer awaited.
    private(set) var staleReplies: Int64 = 0
    private let context: ZMQContext
    private let limits: EnvLimits
    private let routingIDPrefix: String
    private let curve: CurveSecurity?
    private var generation = 0
    private var nextID: UInt64 = 1

    /// A DEALER connected to `endpoint`; with `curve`, a CURVE client of a server holding the matching key.
    init(context: ZMQContext, endpoint: String, routingID: String, limits: EnvLimits,
         curve: CurveSecurity? = nil) throws {
        self.context = context
        self.endpoint = endpoint
        self.limits = limits
        self.curve = curve
        routingIDPrefix = routingID
        socket = try Self.openSocket(context, endpoint: endpoint, routingID: routingID, limits: limits, curve: curve)
    }

    /// Sends `request`; there must be none outstanding. A full queue counts as a send failure.
    func send(_ request: EnvRequest) throws {
        precondition(outstanding == nil, "one request at a time")
        let id = nextID
        nextID += 1
        guard try socket.send(EnvCodec.encode(request, id: id), timeout: .zero) == .sent else {
            throw ShoalRuntimeError(.environmentServer, subject: endpoint, reason: "cannot queue a request")
        }
        outstanding = (id, ContinuousClock.now)
    }

    /// The reply to the outstanding request if it has arrived, else nil. Throws `WireError` for a reply that cannot
    /// be decoded.
    func receive() throws -> EnvReply? {
        while let parts = try socket.receiveMultipart(timeout: .zero) {
            guard parts.count == 1 else {
                throw WireError(.malformed, "\(parts.count) frames in one reply")
            }
            let (id, reply) = try EnvCodec.decodeReply(parts[0], limits: limits)
            guard id == outstanding?.id else {
                staleReplies += 1
                continue
            }
            outstanding = nil
            return reply
        }
        return nil
    }

    /// Forgets the outstanding request and opens a fresh socket to the server.
    func reopen() throws {
        socket.close()
        outstanding = nil
        generation += 1
        socket = try Self.openSocket(context, endpoint: endpoint, routingID: "\(routingIDPrefix)/\(generation)",
                                     limits: limits, curve: curve)
    }

    func close() {
        socket.close()
    }

    private static func openSocket(
        _ context: ZMQContext, endpoint: String, routingID: String, limits: EnvLimits, curve: CurveSecurity?
    ) throws -> ZMQSocket {
        let socket = try ZMQSocket(.dealer, context: context, options: SocketOptions(
            sendHighWaterMark: 4, receiveHighWaterMark: 4, linger: .zero, maxMessageSize: limits.maxMessageBytes,
            reconnectInterval: .milliseconds(100), reconnectIntervalMax: .seconds(1), routingID: Array(routingID.utf8),
            curve: curve))
        do {
            try socket.connect(endpoint)
        } catch {
            socket.close()
            throw error
        }
        return socket
    }
}
