import CZeroMQ

/// A libzmq socket option constant together with its C name, so errors say which option was rejected.
struct SocketOptionName: Sendable {
    let value: Int32
    let label: String

    init(_ value: Int32, _ label: String) {
        self.value = value
        self.label = label
    }

    static let sendHighWaterMark = Self(ZMQ_SNDHWM, "ZMQ_SNDHWM")
    static let receiveHighWaterMark = Self(ZMQ_RCVHWM, "ZMQ_RCVHWM")
    static let linger = Self(ZMQ_LINGER, "ZMQ_LINGER")
    static let maxMessageSize = Self(ZMQ_MAXMSGSIZE, "ZMQ_MAXMSGSIZE")
    static let heartbeatInterval = Self(ZMQ_HEARTBEAT_IVL, "ZMQ_HEARTBEAT_IVL")
    static let heartbeatTTL = Self(ZMQ_HEARTBEAT_TTL, "ZMQ_HEARTBEAT_TTL")
    static let heartbeatTimeout = Self(ZMQ_HEARTBEAT_TIMEOUT, "ZMQ_HEARTBEAT_TIMEOUT")
    static let reconnectInterval = Self(ZMQ_RECONNECT_IVL, "ZMQ_RECONNECT_IVL")
    static let reconnectIntervalMax = Self(ZMQ_RECONNECT_IVL_MAX, "ZMQ_RECONNECT_IVL_MAX")
    static let immediate = Self(ZMQ_IMMEDIATE, "ZMQ_IMMEDIATE")
    static let routingID = Self(ZMQ_ROUTING_ID, "ZMQ_ROUTING_ID")
    static let routerMandatory = Self(ZMQ_ROUTER_MANDATORY, "ZMQ_ROUTER_MANDATORY")
    static let subscribe = Self(ZMQ_SUBSCRIBE, "ZMQ_SUBSCRIBE")
    static let unsubscribe = Self(ZMQ_UNSUBSCRIBE, "ZMQ_UNSUBSCRIBE")
    static let receiveTimeout = Self(ZMQ_RCVTIMEO, "ZMQ_RCVTIMEO")
    static let sendTimeout = Self(ZMQ_SNDTIMEO, "ZMQ_SNDTIMEO")
    static let lastEndpoint = Self(ZMQ_LAST_ENDPOINT, "ZMQ_LAST_ENDPOINT")
    static let curveServer = Self(ZMQ_CURVE_SERVER, "ZMQ_CURVE_SERVER")
    static let curvePublicKey = Self(ZMQ_CURVE_PUBLICKEY, "ZMQ_CURVE_PUBLICKEY")
    static let curveSecretKey = Self(ZMQ_CURVE_SECRETKEY, "ZMQ_CURVE_SECRETKEY")
    static let curveServerKey = Self(ZMQ_CURVE_SERVERKEY, "ZMQ_CURVE_SERVERKEY")
    static let zapDomain = Self(ZMQ_ZAP_DOMAIN, "ZMQ_ZAP_DOMAIN")
}
