import ZeroMQ

/// An actor's two sockets to its learner: a DEALER for rollouts, snapshot requests and acks, and a SUB for weights
/// broadcasts, which `reopen()` replaces.
///
/// libzmq re-opens a connection lost to a network error by itself, but not one it dropped for a protocol error (a
/// frame over the size limit, for one): without a fresh socket the actor would stay cut off from its learner.
final class LearnerConnection {
    private(set) var dealer: ZMQSocket
    private(set) var subscriber: ZMQSocket
    private let context: ZMQContext
    private let endpoints: ActorEndpoints
    private let routingIDPrefix: String
    private let maxMessageBytes: Int
    private let security: ActorSecurity?
    /// Sockets opened so far. Each DEALER gets its own routing id: a learner's ROUTER refuses a connection that
    /// claims the id of one whose end it has not noticed yet. The learner routes acks by the id a rollout came from.
    private var generation = 0

    init(context: ZMQContext, endpoints: ActorEndpoints, actorID: UInt32, incarnation: UInt32, maxMessageBytes: Int,
         security: ActorSecurity?) throws {
        self.context = context
        self.endpoints = endpoints
        self.maxMessageBytes = maxMessageBytes
        self.security = security
        routingIDPrefix = "actor-\(actorID).\(incarnation)"
        dealer = try ShoalSockets.actorDealer(
            context, connect: endpoints.learner, routingID: routingIDPrefix, maxMessageBytes: maxMessageBytes, security: security)
        do {
            subscriber = try ShoalSockets.weightsSubscriber(
                context, connect: endpoints.weights, maxMessageBytes: maxMessageBytes, security: security)
        } catch {
            dealer.close()
            throw error
        }
    }

    /// Closes both sockets (dropping what they still queue) and connects new ones.
    func reopen() throws {
        close()
        generation += 1
        dealer = try ShoalSockets.actorDealer(
            context, connect: endpoints.learner, routingID: "\(routingIDPrefix)/\(generation)",
            maxMessageBytes: maxMessageBytes, security: security)
        subscriber = try ShoalSockets.weightsSubscriber(
            context, connect: endpoints.weights, maxMessageBytes: maxMessageBytes, security: security)
    }

    func close() {
        dealer.close()
        subscriber.close()
    }

    /// Sends `lastWord` to the learner and closes both sockets, giving it `ShoalSockets.linger` to go out.
    func close(sendingFirst lastWord: [UInt8]) {
        _ = try? dealer.send(lastWord, timeout: .zero)
        dealer.close(linger: ShoalSockets.linger)
        subscriber.close()
    }
}
