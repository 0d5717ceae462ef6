import CZeroMQ

/// What happened to a message handed to `send`.
public enum SendOutcome: Sendable, Hashable {
    /// libzmq queued the message for delivery.
    case sent
    /// The message was not queued: every eligible peer's queue is at its high-water mark (or there is no peer)
    /// and the timeout expired. Nothing was sent; retry later or drop it.
    case wouldBlock
}

extension ZMQSocket {
    /// Sends a single-frame message.
    ///
    /// - Parameter timeout: how long to wait for queue space: `.zero` = do not wait, `nil` = the socket's
    ///   `sendTimeout` (forever if unset).
    public func send(_ frame: [UInt8], timeout: Duration? = nil) throws(ZMQError) -> SendOutcome {
        let handle = try live("send")
        return try untilDeadline(timeout, handle: handle, waitingFor: ZMQ_POLLOUT) { flags throws(ZMQError) in
            try Self.sendFrame(frame, handle: handle, flags: flags) ? SendOutcome.sent : nil
        } ?? .wouldBlock
    }

    /// Sends a multipart message atomically: peers receive all of `parts` or none of them.
    ///
    /// - Parameter timeout: how long to wait for queue space, as for `send(_:timeout:)`.
    public func send(parts: [[UInt8]], timeout: Duration? = nil) throws(ZMQError) -> SendOutcome {
        let handle = try live("send(parts:)")
        guard let first = parts.first else {
            throw ZMQError(
                code: .invalidArgument, operation: "send(parts:)", message: "a message needs at least one frame")
        }
        let firstFlags = parts.count > 1 ? ZMQ_SNDMORE : 0
        let queued = try untilDeadline(timeout, handle: handle, waitingFor: ZMQ_POLLOUT) { flags throws(ZMQError) in
            try Self.sendFrame(first, handle: handle, flags: flags | firstFlags) ? true : nil
        }
        guard queued != nil else { return .wouldBlock }
        // libzmq counts whole messages against the high-water mark, so once the first frame is queued the
        // others are accepted without blocking.
        for (index, part) in parts.enumerated().dropFirst() {
            let flags = index < parts.count - 1 ? ZMQ_SNDMORE : 0
            guard try Self.sendFrame(part, handle: handle, flags: flags) else {
                throw ZMQError(
                    code: .other, operation: "send(parts:)",
                    message: "libzmq refused frame \(index) of a message whose first frame it accepted")
            }
        }
        return .sent
    }

    /// Receives one frame (the next one: for a multipart message, call again or use `receiveMultipart`).
    ///
    /// - Parameter timeout: how long to wait: `.zero` = do not wait, `nil` = the socket's `receiveTimeout`
    ///   (forever if unset).
    /// - Returns: the frame, or `nil` if none arrived in time.
    public func receive(timeout: Duration? = nil) throws(ZMQError) -> [UInt8]? {
        let handle = try live("receive")
        return try untilDeadline(timeout, handle: handle, waitingFor: ZMQ_POLLIN) { flags throws(ZMQError) in
            try Self.receiveFrame(handle: handle, flags: flags)?.frame
        }
    }

    /// Receives a whole message, every frame of it (for ROUTER, the first frame is the sender's routing id).
    ///
    /// - Parameter timeout: how long to wait for the message to start, as for `receive(timeout:)`.
    /// - Returns: the frames, or `nil` if no message arrived in time.
    public func receiveMultipart(timeout: Duration? = nil) throws(ZMQError) -> [[UInt8]]? {
        let handle = try live("receiveMultipart")
        let first = try untilDeadline(timeout, handle: handle, waitingFor: ZMQ_POLLIN) { flags throws(ZMQError) in
            try Self.receiveFrame(handle: handle, flags: flags)
        }
        guard var (frame, more) = first else { return nil }
        var parts = [frame]
        // Multipart messages arrive atomically: the remaining frames are already here.
        while more {
            guard let next = try Self.receiveFrame(handle: handle, flags: 0) else {
                throw ZMQError(
                    code: .other, operation: "receiveMultipart",
                    message: "libzmq withheld frame \(parts.count) of a message it had started to deliver")
            }
            (frame, more) = next
            parts.append(frame)
        }
        return parts
    }

    /// Repeats `attempt` until it yields a value or `timeout` expires, sleeping in zmq_poll for `event` between
    /// tries. `attempt` gets the flags to use and returns nil when libzmq reported "would block".
    /// A `nil` timeout makes a single blocking attempt, bounded by the socket's own RCVTIMEO/SNDTIMEO.
    private func untilDeadline<Value>(
        _ timeout: Duration?,
        handle: SocketHandle,
        waitingFor event: Int32,
        _ attempt: (_ flags: Int32) throws(ZMQError) -> Value?
    ) throws(ZMQError) -> Value? {
        guard let timeout else { return try attempt(0) }
        let deadline = ContinuousClock.now + timeout
        while true {
            // Try first: when traffic is flowing the message or queue space is already there and no poll is needed.
            if let value = try attempt(ZMQ_DONTWAIT) { return value }
            let remaining = deadline - .now
            guard remaining > .zero else { return nil }
            var item = zmq_pollitem_t(socket: handle.raw, fd: 0, events: Int16(event), revents: 0)
            guard try zmqPoll(items: &item, count: 1, timeout: remaining) > 0 else { return nil }
        }
    }

    /// Queues one frame; `false` means libzmq would block.
    private static func sendFrame(_ frame: [UInt8], handle: SocketHandle, flags: Int32) throws(ZMQError) -> Bool {
        let result = try zmqCall("zmq_send(\(frame.count) bytes)") {
            frame.withUnsafeBytes { zmq_send(handle.raw, $0.baseAddress, $0.count, flags) }
        }
        if case .completed = result { return true }
        return false
    }

    /// One frame and whether more frames of the same message follow.
    private typealias ReceivedFrame = (frame: [UInt8], more: Bool)

    /// Takes one frame off the socket, copying its bytes exactly once (out of libzmq's message into the array);
    /// `nil` means libzmq would block.
    private static func receiveFrame(handle: SocketHandle, flags: Int32) throws(ZMQError) -> ReceivedFrame? {
        // zmq_msg_t keeps small frames inline, so it needs one fixed address from init to close.
        var message = zmq_msg_t()
        return try withUnsafeMutablePointer(to: &message) { message throws(ZMQError) in
            zmq_msg_init(message)
            defer { zmq_msg_close(message) }
            guard case .completed = try zmqCall("zmq_msg_recv", { zmq_msg_recv(message, handle.raw, flags) }) else {
                return nil
            }
            let size = zmq_msg_size(message)
            let data = zmq_msg_data(message)
            let frame = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                if let source = data, size > 0 {
                    buffer.baseAddress!.initialize(from: source.assumingMemoryBound(to: UInt8.self), count: size)
                }
                initialized = size
            }
            return (frame, zmq_msg_more(message) != 0)
        }
    }
}
