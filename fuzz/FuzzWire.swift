import SwiftProtobuf

@testable import ShoalWire

/// libFuzzer's entry point: runs one input through every decode and validation path and checks that they agree
/// with each other and that whatever decodes survives a round trip unchanged. A broken property traps, which
/// libFuzzer reports as a crash and saves the input for.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let frame = UnsafeRawBufferPointer(start: data, count: size)
    let bytes = Array(frame)
    let decoded = decodeResult { () throws(WireError) in try WireMessage.decode(bytes) }
    checkReceivePaths(bytes, frame, decoded: decoded)
    if case .success(let message) = decoded {
        checkRoundTrip(of: message)
    }
    // -1 keeps an input out of the corpus. Bytes SwiftProtobuf cannot parse as a frame are checked like any other,
    // but reach no further than its parser, which is fuzzed upstream; kept, they would crowd the corpus with one
    // input per error branch of the generated decoders.
    return isProtobufFrame(bytes) ? 0 : -1
}

/// Whether SwiftProtobuf parses `bytes` as a frame, whatever ShoalWire then makes of it.
private func isProtobufFrame(_ bytes: [UInt8]) -> Bool {
    var options = BinaryDecodingOptions()
    options.discardUnknownFields = true
    return (try? Shoal_V1_Frame(serializedBytes: bytes, options: options)) != nil
}

/// The copying and the in-place decoders give the same outcome, structurally and for each receiver, and a
/// receiver's verdict is exactly structural decoding (`decoded`) followed by its validation.
private func checkReceivePaths(
    _ bytes: [UInt8], _ frame: UnsafeRawBufferPointer, decoded: Result<WireMessage, WireError>
) {
    let decodedInPlace = decodeResult { () throws(WireError) in try WireMessage.decode(frame) }
    require(sameOutcome(decoded, decodedInPlace), "in-place decode disagrees: \(decoded) vs \(decodedInPlace)")
    for (name, receiver) in [("learner", FuzzReceivers.learner), ("actor", FuzzReceivers.actor)] {
        let received = decodeResult { () throws(WireError) in try receiver.decode(bytes) }
        let receivedInPlace = decodeResult { () throws(WireError) in try receiver.decode(frame) }
        require(sameOutcome(received, receivedInPlace), "\(name): in-place receive disagrees")
        guard bytes.count <= receiver.limits.maxMessageBytes else {
            require(rejection(of: received) == .tooLarge("message"), "\(name): oversized frame not refused as such")
            continue
        }
        let verdict = decoded.flatMap { message in
            Result { () throws(WireError) in try receiver.validate(message) }.map { message }
        }
        require(sameOutcome(received, verdict), "\(name): decode(_:) is not decode then validate")
    }
}

/// Encoding a decoded message and decoding it again gives the same message, of the same encoded size, that every
/// receiver judges the same way.
private func checkRoundTrip(of message: WireMessage) {
    let encoded = message.encode()
    let again = decodeResult { () throws(WireError) in try WireMessage.decode(encoded) }
    guard case .success(let decodedAgain) = again else {
        fatalError("fuzz property failed: re-encoded \(message.kind.rawValue) does not decode: \(again)")
    }
    require(decodedAgain.isBitwiseEqual(to: message), "\(message.kind.rawValue) changed in a round trip")
    require(decodedAgain.encode().count == encoded.count, "\(message.kind.rawValue) encodes to another size")
    for (name, receiver) in [("learner", FuzzReceivers.learner), ("actor", FuzzReceivers.actor)] {
        let before = Result { () throws(WireError) in try receiver.validate(message) }
        let after = Result { () throws(WireError) in try receiver.validate(decodedAgain) }
        require(
            rejection(of: before) == rejection(of: after),
            "\(name): \(message.kind.rawValue) judged \(before) before a round trip, \(after) after")
    }
}

private func decodeResult(_ body: () throws(WireError) -> WireMessage) -> Result<WireMessage, WireError> {
    Result(catching: body)
}

/// Why a result failed, or nil when it succeeded.
private func rejection<Success>(of result: Result<Success, WireError>) -> RejectionReason? {
    guard case .failure(let error) = result else { return nil }
    return error.reason
}

/// Traps with `message` unless `condition` holds.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz property failed: \(message())") }
}
