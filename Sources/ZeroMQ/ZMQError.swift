import CZeroMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one error the ZeroMQ module throws: what failed, on what, and why.
public struct ZMQError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure a caller may want to handle differently.
    public enum Code: Sendable, Hashable {
        /// An argument was rejected: a malformed endpoint, an out-of-range option value.
        case invalidArgument
        /// The endpoint names a transport this libzmq does not support.
        case unsupportedTransport
        /// The address is already bound by another socket or process.
        case addressInUse
        /// The address does not belong to this host.
        case addressNotAvailable
        /// The endpoint was never bound or connected on this socket (unbind/disconnect).
        case endpointNotFound
        /// The context was shut down or closed; the socket should be closed.
        case contextTerminated
        /// A ROUTER with `routerMandatory` was asked to send to a peer it does not know (or no longer knows).
        case hostUnreachable
        /// The socket kind does not allow this operation (or not in its current state).
        case notSupported
        /// The process ran out of file descriptors or libzmq ran out of sockets.
        case tooManyOpenFiles
        /// The socket or context was already closed by this process.
        case closed
        /// Anything else; `errno` and `message` say what.
        case other
    }

    /// The kind of failure.
    public var code: Code
    /// The errno libzmq reported (0 when this wrapper detected the failure itself).
    public var errno: Int32
    /// The C call or wrapper operation that failed, with its argument, e.g. `zmq_connect("tcp://x")`.
    public var operation: String
    /// A human-readable explanation.
    public var message: String

    /// Makes an error from an errno that libzmq reported for `operation`.
    init(errno: Int32, operation: String) {
        self.code = Code(errno: errno)
        self.errno = errno
        self.operation = operation
        self.message = String(cString: zmq_strerror(errno))
    }

    /// Makes an error this wrapper detected itself.
    init(code: Code, operation: String, message: String) {
        self.code = code
        self.errno = 0
        self.operation = operation
        self.message = message
    }

    public var description: String {
        let suffix = errno == 0 ? "" : " (errno \(errno))"
        return "\(operation) failed: \(message)\(suffix)"
    }
}

extension ZMQError.Code {
    init(errno: Int32) {
        switch errno {
        case EINVAL: self = .invalidArgument
        case EPROTONOSUPPORT, ENOCOMPATPROTO: self = .unsupportedTransport
        case EADDRINUSE: self = .addressInUse
        case EADDRNOTAVAIL, ENODEV: self = .addressNotAvailable
        case ENOENT: self = .endpointNotFound
        case ETERM: self = .contextTerminated
        case EHOSTUNREACH: self = .hostUnreachable
        case ENOTSUP, EFSM: self = .notSupported
        case EMFILE: self = .tooManyOpenFiles
        default: self = .other
        }
    }
}
