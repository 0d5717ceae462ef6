/// The options a socket is created with; every field has libzmq's meaning, with safer defaults where noted.
///
/// All options are applied before the socket binds or connects, which is when libzmq reads most of them.
public struct SocketOptions: Sendable {
    /// Messages queued per peer for sending before `send` would block (PUSH, DEALER) or drop (PUB); 0 = unbounded.
    public var sendHighWaterMark: Int
    /// Messages queued per peer on receipt before libzmq stops reading from that peer; 0 = unbounded.
    public var receiveHighWaterMark: Int
    /// How long closing the context keeps trying to deliver this socket's unsent messages after `close()`.
    /// Bounded by default (libzmq's default is forever), so shutting down never hangs on a vanished peer.
    public var linger: Duration
    /// Largest inbound message in bytes; a peer that sends a bigger one is disconnected. `nil` = unlimited.
    /// Enforced on tcp and ipc connections only: inproc peers share the process and are not checked.
    public var maxMessageSize: Int?
    /// How often to send ZMTP heartbeat pings on each connection; `nil` = no heartbeats.
    public var heartbeatInterval: Duration?
    /// How long the remote peer may wait for our next ping before it drops us (sent in each ping, 0.1 s steps).
    public var heartbeatTTL: Duration?
    /// How long to wait for any traffic after a ping before dropping the connection; `nil` = `heartbeatInterval`.
    public var heartbeatTimeout: Duration?
    /// Wait before reconnecting a dropped or refused connection; `nil` = never reconnect.
    public var reconnectInterval: Duration?
    /// Upper bound for exponential reconnect backoff (doubling from `reconnectInterval`); `nil` = no backoff.
    public var reconnectIntervalMax: Duration?
    /// Queue outbound messages only for completed connections, so sends block instead of piling up for
    /// peers that are not there yet.
    public var immediate: Bool
    /// The identity a DEALER (or ROUTER) presents to ROUTER peers: 1 to 255 bytes, not starting with 0.
    public var routingID: [UInt8]?
    /// ROUTER only: sending to an unknown routing id throws `.hostUnreachable` instead of dropping silently,
    /// and a full peer makes `send` report `.wouldBlock` instead of dropping.
    public var routerMandatory: Bool
    /// SUB only: the topic prefixes subscribed from the start (an empty prefix matches everything).
    public var subscriptions: [[UInt8]]
    /// How long a `receive` without an explicit timeout blocks; `nil` = until a message arrives.
    public var receiveTimeout: Duration?
    /// How long a `send` without an explicit timeout blocks; `nil` = until the message is queued.
    public var sendTimeout: Duration?
    /// CurveZMQ encryption and authentication; `nil` = plain text (NULL mechanism).
    public var curve: CurveSecurity?
    /// ZAP domain that CURVE servers pass to the ZAP handler, which authorises clients; `nil` = none.
    public var zapDomain: String?

    /// Makes options; the defaults are libzmq's except `linger` (1 s instead of forever).
    public init(
        sendHighWaterMark: Int = 1000,
        receiveHighWaterMark: Int = 1000,
        linger: Duration = .seconds(1),
        maxMessageSize: Int? = nil,
        heartbeatInterval: Duration? = nil,
        heartbeatTTL: Duration? = nil,
        heartbeatTimeout: Duration? = nil,
        reconnectInterval: Duration? = .milliseconds(100),
        reconnectIntervalMax: Duration? = nil,
        immediate: Bool = false,
        routingID: [UInt8]? = nil,
        routerMandatory: Bool = false,
        subscriptions: [[UInt8]] = [],
        receiveTimeout: Duration? = nil,
        sendTimeout: Duration? = nil,
        curve: CurveSecurity? = nil,
        zapDomain: String? = nil
    ) {
        self.sendHighWaterMark = sendHighWaterMark
        self.receiveHighWaterMark = receiveHighWaterMark
        self.linger = linger
        self.maxMessageSize = maxMessageSize
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTTL = heartbeatTTL
        self.heartbeatTimeout = heartbeatTimeout
        self.reconnectInterval = reconnectInterval
        self.reconnectIntervalMax = reconnectIntervalMax
        self.immediate = immediate
        self.routingID = routingID
        self.routerMandatory = routerMandatory
        self.subscriptions = subscriptions
        self.receiveTimeout = receiveTimeout
        self.sendTimeout = sendTimeout
        self.curve = curve
        self.zapDomain = zapDomain
    }
}

extension SocketOptions {
    /// Applies every option to a freshly created socket of `kind`.
    func apply(to handle: SocketHandle, kind: SocketKind) throws(ZMQError) {
        try handle.setOption(.sendHighWaterMark, Int32(clamping: sendHighWaterMark))
        try handle.setOption(.receiveHighWaterMark, Int32(clamping: receiveHighWaterMark))
        try handle.setOption(.linger, linger.wholeMillisecondsRoundedUp)
        try handle.setOption(.maxMessageSize, Int64(maxMessageSize ?? -1))
        if let heartbeatInterval {
            try handle.setOption(.heartbeatInterval, heartbeatInterval.wholeMillisecondsRoundedUp)
        }
        if let heartbeatTTL {
            try handle.setOption(.heartbeatTTL, heartbeatTTL.wholeMillisecondsRoundedUp)
        }
        if let heartbeatTimeout {
            try handle.setOption(.heartbeatTimeout, heartbeatTimeout.wholeMillisecondsRoundedUp)
        }
        try handle.setOption(.reconnectInterval, reconnectInterval?.wholeMillisecondsRoundedUp ?? -1)
        try handle.setOption(.reconnectIntervalMax, reconnectIntervalMax?.wholeMillisecondsRoundedUp ?? 0)
        try handle.setOption(.immediate, Int32(immediate ? 1 : 0))
        if let routingID {
            try handle.setOption(.routingID, bytes: routingID)
        }
        if routerMandatory {
            try require(kind == .router, "routerMandatory", kind: kind)
            try handle.setOption(.routerMandatory, Int32(1))
        }
        if !subscriptions.isEmpty {
            try require(kind == .sub, "subscriptions", kind: kind)
            for prefix in subscriptions {
                try handle.setOption(.subscribe, bytes: prefix)
            }
        }
        try handle.setOption(.receiveTimeout, receiveTimeout?.wholeMillisecondsRoundedUp ?? -1)
        try handle.setOption(.sendTimeout, sendTimeout?.wholeMillisecondsRoundedUp ?? -1)
        if let curve {
            try curve.apply(to: handle)
        }
        if let zapDomain {
            try handle.setOption(.zapDomain, bytes: Array(zapDomain.utf8))
        }
    }

    private func require(_ allowed: Bool, _ option: String, kind: SocketKind) throws(ZMQError) {
        guard allowed else {
            throw ZMQError(
                code: .notSupported, operation: "SocketOptions.\(option)",
                message: "\(option) does not apply to a \(kind) socket")
        }
    }
}
