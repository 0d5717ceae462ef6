import CZeroMQ

/// A libzmq socket: one pattern (`SocketKind`), bound or connected to any number of endpoints.
///
/// libzmq sockets are not thread-safe, so this class is deliberately not `Sendable`: the compiler keeps each
/// socket inside one isolation domain (one thread, one actor). Create it where it is used — the context is
/// `Sendable` and can be shared. Call `close()` when done; releasing an open socket trips an assertion in debug
/// builds (release builds close it, dropping unsent messages).
public final class ZMQSocket {
    /// The socket's pattern.
    public let kind: SocketKind
    /// The context the socket belongs to; kept alive until the socket is released.
    public let context: ZMQContext
    /// The options the socket was created with.
    public let options: SocketOptions
    /// The live libzmq socket; `nil` once closed.
    private var openHandle: SocketHandle?
    /// Files this socket's `ipc://` binds created, removed when it closes or unbinds them.
    private var boundFiles: [IPCSocketFile] = []

    /// Creates a socket of `kind` in `context` and applies `options` before anything is bound or connected.
    public init(_ kind: SocketKind, context: ZMQContext, options: SocketOptions = SocketOptions()) throws(ZMQError) {
        let operation = "zmq_socket(\(kind))"
        guard !context.isClosed else {
            throw ZMQError(code: .closed, operation: operation, message: "the context is already closed")
        }
        let raw = try zmqCreate(operation) { zmq_socket(context.handle, kind.zmqType) }
        let handle = SocketHandle(raw: raw)
        do {
            try options.apply(to: handle, kind: kind)
        } catch {
            zmq_close(raw)
            throw error
        }
        self.kind = kind
        self.context = context
        self.options = options
        self.openHandle = handle
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { openHandle == nil }

    /// Accepts connections on `endpoint`: `tcp://127.0.0.1:5555`, `tcp://127.0.0.1:*` (ephemeral port, see
    /// `lastEndpoint`), `ipc:///path/to/socket` or `inproc://name`.
    public func bind(_ endpoint: String) throws(ZMQError) {
        let operation = "zmq_bind(\"\(endpoint)\")"
        let handle = try live(operation)
        try zmqCheck(operation) { zmq_bind(handle.raw, endpoint) }
        if let file = IPCSocketFile(boundAt: endpoint) { boundFiles.append(file) }
    }

    /// Connects to `endpoint`; libzmq connects in the background and reconnects after failures.
    public func connect(_ endpoint: String) throws(ZMQError) {
        let operation = "zmq_connect(\"\(endpoint)\")"
        let handle = try live(operation)
        try zmqCheck(operation) { zmq_connect(handle.raw, endpoint) }
    }

    /// Stops accepting connections on an endpoint this socket bound (use the resolved `lastEndpoint` for `*`).
    public func unbind(_ endpoint: String) throws(ZMQError) {
        let operation = "zmq_unbind(\"\(endpoint)\")"
        let handle = try live(operation)
        try zmqCheck(operation) { zmq_unbind(handle.raw, endpoint) }
        if let index = boundFiles.firstIndex(where: { "ipc://\($0.path)" == endpoint }) {
            boundFiles.remove(at: index).remove()
        }
    }

    /// Drops the connection to an endpoint this socket connected to.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        let operation = "zmq_disconnect(\"\(endpoint)\")"
        let handle = try live(operation)
        try zmqCheck(operation) { zmq_disconnect(handle.raw, endpoint) }
    }

    /// The endpoint most recently bound or connected, with wildcards resolved (e.g. the port chosen for
    /// `tcp://127.0.0.1:*`); `nil` if there is none.
    public var lastEndpoint: String? {
        get throws(ZMQError) {
            let bytes = try live("lastEndpoint").option(.lastEndpoint, capacity: 1024)
            let endpoint = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            return endpoint.isEmpty ? nil : endpoint
        }
    }

    /// SUB only: starts receiving messages whose first frame begins with `prefix` (empty = everything).
    public func subscribe(_ prefix: [UInt8]) throws(ZMQError) {
        try requireSubscriber("subscribe")
        try live("subscribe").setOption(.subscribe, bytes: prefix)
    }

    /// SUB only: removes one earlier `subscribe` of exactly `prefix`.
    public func unsubscribe(_ prefix: [UInt8]) throws(ZMQError) {
        try requireSubscriber("unsubscribe")
        try live("unsubscribe").setOption(.unsubscribe, bytes: prefix)
    }

    /// Closes the socket. Unsent messages are delivered in the background for up to `options.linger`, which
    /// `ZMQContext.close()` waits for. Removes the files its `ipc://` binds created. Idempotent.
    public func close() {
        guard let handle = openHandle else { return }
        openHandle = nil
        // zmq_close fails only with ENOTSOCK, which a handle this wrapper owns cannot be.
        zmq_close(handle.raw)
        for file in boundFiles { file.remove() }
        boundFiles = []
    }

    /// Closes the socket with `linger` in place of the one it was opened with: for a last message sent just before
    /// by a socket that otherwise drops what it holds when closed.
    public func close(linger: Duration) {
        try? openHandle?.setOption(.linger, linger.wholeMillisecondsRoundedUp)
        close()
    }

    deinit {
        assert(openHandle == nil, "ZMQSocket (\(kind)) released without close()")
        if let handle = openHandle {
            // Leaked socket: drop what it still holds so the context can terminate promptly.
            try? handle.setOption(.linger, Int32(0))
            zmq_close(handle.raw)
        }
    }

    /// The live handle, or `.closed` naming `operation`.
    func live(_ operation: @autoclosure () -> String) throws(ZMQError) -> SocketHandle {
        guard let openHandle else {
            throw ZMQError(code: .closed, operation: operation(), message: "the \(kind) socket is already closed")
        }
        return openHandle
    }

    /// Reads an integer option back from libzmq (used by tests to check options took effect).
    func intOption(_ name: SocketOptionName) throws(ZMQError) -> Int32 {
        try live("zmq_getsockopt(\(name.label))").option(name)
    }

    private func requireSubscriber(_ operation: String) throws(ZMQError) {
        guard kind == .sub else {
            throw ZMQError(
                code: .notSupported, operation: operation, message: "only SUB sockets subscribe, not \(kind)")
        }
    }
}
