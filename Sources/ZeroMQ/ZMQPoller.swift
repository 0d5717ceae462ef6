import CZeroMQ

/// Waits on several sockets at once and says which have a message to receive.
///
/// Like its sockets, a poller belongs to one thread or actor.
public struct ZMQPoller {
    /// The sockets watched, in the order they were added.
    public private(set) var sockets: [ZMQSocket]

    /// Makes a poller watching `sockets`.
    public init(_ sockets: [ZMQSocket] = []) {
        self.sockets = sockets
    }

    /// Starts watching `socket` too.
    public mutating func add(_ socket: ZMQSocket) {
        sockets.append(socket)
    }

    /// Waits up to `timeout` until at least one socket has a message, and returns those that do, in the order
    /// they were added; an empty array means the timeout expired.
    public func readable(timeout: Duration) throws(ZMQError) -> [ZMQSocket] {
        var items: [zmq_pollitem_t] = []
        items.reserveCapacity(sockets.count)
        for socket in sockets {
            let handle = try socket.live("ZMQPoller.readable")
            items.append(zmq_pollitem_t(socket: handle.raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
        }
        guard try zmqPoll(items: &items, count: items.count, timeout: timeout) > 0 else { return [] }
        return zip(sockets, items).compactMap { socket, item in
            item.revents & Int16(ZMQ_POLLIN) != 0 ? socket : nil
        }
    }
}

/// Runs zmq_poll over `count` items for at most `timeout`, resuming with the remaining time after a signal.
/// Returns how many items have events.
func zmqPoll(
    items: UnsafeMutablePointer<zmq_pollitem_t>,
    count: Int,
    timeout: Duration
) throws(ZMQError) -> Int {
    let deadline = ContinuousClock.now + timeout
    let result = try zmqCall("zmq_poll(\(count) sockets)") {
        zmq_poll(items, Int32(count), Int(max(deadline - .now, .zero).wholeMillisecondsRoundedUp))
    }
    guard case .completed(let ready) = result else { return 0 }
    return Int(ready)
}
