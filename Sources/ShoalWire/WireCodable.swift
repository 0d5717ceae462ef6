/// A message that can travel alone in a frame: gives each message type its own `encode()` and `decode(_:)`.
public protocol WireCodable: Sendable {
    /// This value as a frame's message.
    var wireMessage: WireMessage { get }
    /// The value a frame's message holds, or nil when it holds another kind.
    init?(unwrapping message: WireMessage)
}

extension WireCodable {
    /// The frame bytes for this message.
    public func encode() -> [UInt8] { wireMessage.encode() }

    /// Decodes a frame that must hold this kind of message.
    public static func decode(_ bytes: [UInt8]) throws(WireError) -> Self {
        try unwrap(WireMessage.decode(bytes))
    }

    /// Decodes a frame in place that must hold this kind of message.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(WireError) -> Self {
        try unwrap(WireMessage.decode(bytes))
    }

    private static func unwrap(_ message: WireMessage) throws(WireError) -> Self {
        guard let value = Self(unwrapping: message) else {
            throw WireError(.unexpectedMessage, "expected \(Self.self), got \(message.kind.rawValue)")
        }
        return value
    }
}
