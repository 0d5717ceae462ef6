import CZeroMQ

/// A live libzmq socket pointer with the generic option accessors every typed option is built on.
///
/// Only `ZMQSocket` creates and closes these; it never hands out one whose socket is closed.
struct SocketHandle {
    let raw: UnsafeMutableRawPointer

    /// Sets an integer option (C `int` or `int64_t`, chosen by `Value`).
    func setOption<Value: FixedWidthInteger>(_ name: SocketOptionName, _ value: Value) throws(ZMQError) {
        var value = value
        try zmqCheck("zmq_setsockopt(\(name.label), \(value))") {
            zmq_setsockopt(raw, name.value, &value, MemoryLayout<Value>.size)
        }
    }

    /// Sets a binary or string option.
    func setOption(_ name: SocketOptionName, bytes: [UInt8]) throws(ZMQError) {
        try zmqCheck("zmq_setsockopt(\(name.label), \(bytes.count) bytes)") {
            bytes.withUnsafeBytes { zmq_setsockopt(raw, name.value, $0.baseAddress, $0.count) }
        }
    }

    /// Reads an integer option (C `int` or `int64_t`, chosen by `Value`).
    func option<Value: FixedWidthInteger>(_ name: SocketOptionName, as type: Value.Type = Int32.self)
        throws(ZMQError) -> Value
    {
        var value = Value.zero
        var size = MemoryLayout<Value>.size
        try zmqCheck("zmq_getsockopt(\(name.label))") { zmq_getsockopt(raw, name.value, &value, &size) }
        return value
    }

    /// Reads a binary or string option of at most `capacity` bytes.
    func option(_ name: SocketOptionName, capacity: Int) throws(ZMQError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: capacity)
        var size = capacity
        try zmqCheck("zmq_getsockopt(\(name.label))") {
            buffer.withUnsafeMutableBytes { zmq_getsockopt(raw, name.value, $0.baseAddress, &size) }
        }
        return Array(buffer.prefix(size))
    }
}
