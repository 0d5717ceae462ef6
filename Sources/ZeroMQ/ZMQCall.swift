import CZeroMQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a libzmq call that may block came back with.
enum ZMQCallResult<Value> {
    /// The call succeeded and returned `Value`.
    case completed(Value)
    /// The call could not proceed without blocking (EAGAIN): no message, a full queue, or a timeout expired.
    case wouldBlock
}

/// Runs one libzmq call: the only place this module turns a C failure into Swift.
///
/// Retries `EINTR` (a signal interrupted a blocking call; libzmq says it may be restarted), reports `EAGAIN` as
/// `.wouldBlock`, treats errnos that can only mean a bug in this wrapper (a dangling handle) as preconditions,
/// and throws `ZMQError` for everything else. `body` is evaluated again on each retry so it can recompute a deadline.
@inline(__always)
func zmqCall<Value>(
    _ operation: @autoclosure () -> String,
    failedWhen failed: (Value) -> Bool,
    _ body: () -> Value
) throws(ZMQError) -> ZMQCallResult<Value> {
    while true {
        let value = body()
        guard failed(value) else { return .completed(value) }
        let error = zmq_errno()
        switch error {
        case EINTR:
            continue
        case EAGAIN:
            return .wouldBlock
        case ENOTSOCK, EFAULT:
            // The wrapper never hands libzmq a closed or foreign handle; seeing one is memory corruption.
            preconditionFailure("\(operation()) was given an invalid handle (errno \(error))")
        default:
            throw ZMQError(errno: error, operation: operation())
        }
    }
}

/// Runs a libzmq call that returns an `Int32`, -1 meaning failure.
@inline(__always)
func zmqCall(
    _ operation: @autoclosure () -> String,
    _ body: () -> Int32
) throws(ZMQError) -> ZMQCallResult<Int32> {
    try zmqCall(operation(), failedWhen: { $0 == -1 }, body)
}

/// Runs a libzmq call that has no reason to block (bind, setsockopt, ...): an unexpected EAGAIN is an error too.
@inline(__always)
func zmqCheck(
    _ operation: @autoclosure () -> String,
    _ body: () -> Int32
) throws(ZMQError) {
    if case .wouldBlock = try zmqCall(operation(), body) {
        throw ZMQError(errno: EAGAIN, operation: operation())
    }
}

/// Runs a libzmq constructor (zmq_ctx_new, zmq_socket) that returns a handle, NULL meaning failure.
@inline(__always)
func zmqCreate(
    _ operation: @autoclosure () -> String,
    _ body: () -> UnsafeMutableRawPointer?
) throws(ZMQError) -> UnsafeMutableRawPointer {
    let result = try zmqCall(operation(), failedWhen: { $0 == nil }, body)
    guard case .completed(let handle?) = result else {
        throw ZMQError(errno: EAGAIN, operation: operation())
    }
    return handle
}
