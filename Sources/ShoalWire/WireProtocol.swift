#if !_endian(little)
#error("ShoalWire copies tensors as raw memory and the wire format is little-endian")
#endif

/// Facts about the wire format shared by every sender and receiver.
public enum WireProtocol {
    /// The protocol version every frame carries; bumped only for incompatible changes, since receivers skip
    /// fields they do not know.
    public static let version: UInt32 = 1
}
