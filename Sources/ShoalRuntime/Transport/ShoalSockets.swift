import ZeroMQ

/// The sockets of Shoal's roles, each with the options its job needs: bounded queues, bounded linger and a maximum
/// message size on every receiving socket.
///
/// No ZMTP heartbeats: libzmq 4.3.4 aborts the process (`!_io_error` in stream_engine_base.cpp, zeromq/libzmq#4364)
/// when a heartbeat falls due on a connection whose peer vanished with a full queue, which a flooding or crashing
/// peer can cause. Dead peers are noticed by Shoal's own means instead: acks (an actor reopens its sockets after
/// `resendSeconds` without one) and the supervisor's heartbeats.
///
/// With security configured, the learner's sockets are CURVE servers whose clients a `ZAPHandler` authorises, and
/// actors' sockets are CURVE clients; every message is then encrypted and authenticated.
enum ShoalSockets {
    /// Bounded linger: closing never waits long for a peer that is gone.
    static let linger = Duration.milliseconds(200)

    /// The learner's ROUTER for rollouts and weights requests (bound).
    static func learnerRouter(
        _ context: ZMQContext, bind endpoint: String, maxMessageBytes: Int, security: LearnerSecurity?
    ) throws -> ZMQSocket {
        let socket = try ZMQSocket(.router, context: context, options: SocketOptions(
            sendHighWaterMark: 1_000, receiveHighWaterMark: 1_000, linger: linger, maxMessageSize: maxMessageBytes,
            curve: security.map { .server(keys: $0.keys) }, zapDomain: security.map { _ in LearnerSecurity.zapDomain }))
        try socket.bind(endpoint)
        return socket
    }

    /// The learner's PUB for weights broadcasts (bound). A slow subscriber loses old broadcasts, never blocks it.
    /// With CURVE, ZAP authorises subscribers too, so weights reach allowed actors only.
    static func weightsPublisher(
        _ context: ZMQContext, bind endpoint: String, security: LearnerSecurity?
    ) throws -> ZMQSocket {
        let socket = try ZMQSocket(.pub, context: context, options: SocketOptions(
            sendHighWaterMark: 4, linger: .zero,
            curve: security.map { .server(keys: $0.keys) }, zapDomain: security.map { _ in LearnerSecurity.zapDomain }))
        try socket.bind(endpoint)
        return socket
    }

    /// An actor's DEALER to the learner; the routing id carries actor id and incarnation, so a restarted actor
    /// never collides with the connection of its previous incarnation.
    static func actorDealer(
        _ context: ZMQContext, connect endpoint: String, routingID: String, maxMessageBytes: Int,
        security: ActorSecurity?
    ) throws -> ZMQSocket {
        let socket = try ZMQSocket(.dealer, context: context, options: SocketOptions(
            sendHighWaterMark: 1_000, receiveHighWaterMark: 1_000, linger: .zero, maxMessageSize: maxMessageBytes,
            reconnectInterval: .milliseconds(100), reconnectIntervalMax: .seconds(2),
            routingID: Array(routingID.utf8), curve: security?.curve))
        try socket.connect(endpoint)
        return socket
    }

    /// An actor's SUB to the weights broadcast; keeps only a few pending broadcasts, since only the newest matters.
    static func weightsSubscriber(
        _ context: ZMQContext, connect endpoint: String, maxMessageBytes: Int, security: ActorSecurity?
    ) throws -> ZMQSocket {
        let socket = try ZMQSocket(.sub, context: context, options: SocketOptions(
            receiveHighWaterMark: 4, linger: .zero, maxMessageSize: maxMessageBytes,
            reconnectInterval: .milliseconds(100), reconnectIntervalMax: .seconds(2), subscriptions: [[]],
            curve: security?.curve))
        try socket.connect(endpoint)
        return socket
    }
}
