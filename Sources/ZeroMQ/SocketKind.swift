import CZeroMQ

/// The ZeroMQ socket patterns Shoal uses.
public enum SocketKind: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Sends messages round-robin to connected PULL peers; blocks (or reports "would block") when all are full.
    case push
    /// Receives messages fair-queued from PUSH peers.
    case pull
    /// Sends round-robin and receives fair-queued, asynchronously; pairs with ROUTER.
    case dealer
    /// Receives each message prefixed by the sender's routing id frame, and routes replies by that frame.
    case router
    /// Broadcasts every message to all SUB peers whose subscriptions match; drops for peers that are full.
    case pub
    /// Receives the messages of PUB peers whose first frame starts with a subscribed prefix.
    case sub

    /// The libzmq socket type constant.
    var zmqType: Int32 {
        switch self {
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .dealer: ZMQ_DEALER
        case .router: ZMQ_ROUTER
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        }
    }

    public var description: String {
        switch self {
        case .push: "PUSH"
        case .pull: "PULL"
        case .dealer: "DEALER"
        case .router: "ROUTER"
        case .pub: "PUB"
        case .sub: "SUB"
        }
    }
}
