import Foundation
import ShoalCore
import SwiftProtobuf

/// Any message that travels on a Shoal socket: one frame holds exactly one, so a receiver can tell what it got.
public enum WireMessage: Sendable, Equatable {
    /// An unroll, actor to learner.
    case rollout(Rollout)
    /// Policy parameters, learner to actors.
    case weights(Weights)
    /// A request for a weights snapshot, actor to learner.
    case weightsRequest(WeightsRequest)
    /// Acknowledgement and credit, learner to actor.
    case ack(Ack)
    /// Liveness and stats, any process to its supervisor.
    case heartbeat(Heartbeat)
    /// A command, supervisor to a process.
    case control(Control)

    /// The kinds of message, with names for logs and counters.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case rollout
        case weights
        case weightsRequest = "weights_request"
        case ack
        case heartbeat
        case control
    }

    /// Which kind of message this is.
    public var kind: Kind {
        switch self {
        case .rollout: return .rollout
        case .weights: return .weights
        case .weightsRequest: return .weightsRequest
        case .ack: return .ack
        case .heartbeat: return .heartbeat
        case .control: return .control
        }
    }

    /// The frame bytes: this message and the protocol version.
    public func encode() -> [UInt8] {
        var frame = Shoal_V1_Frame()
        frame.protocolVersion = WireProtocol.version
        switch self {
        case .rollout(let rollout): frame.rollout = rollout.proto
        case .weights(let weights): frame.weights = weights.proto
        case .weightsRequest(let request): frame.weightsRequest = request.proto
        case .ack(let ack): frame.ack = ack.proto
        case .heartbeat(let heartbeat): frame.heartbeat = heartbeat.proto
        case .control(let control): frame.control = control.proto
        }
        do {
            return try frame.serializedBytes()
        } catch {
            // Encoding only fails for proto2 required fields or google.protobuf.Any, and shoal.v1 has neither.
            preconditionFailure("encoding a shoal.v1 frame cannot fail: \(error)")
        }
    }

    /// Decodes one frame, checking its protocol version and that every required field is present.
    ///
    /// This checks structure only; `MessageValidator` checks what the receiver can accept.
    public static func decode(_ bytes: [UInt8]) throws(WireError) -> WireMessage {
        try decodeFrame(bytes)
    }

    /// Decodes one frame in place (e.g. straight from a ZeroMQ message), without copying it first.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(WireError) -> WireMessage {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return try decodeFrame([UInt8]()) }
        // Safe without a copy: the decoder copies every field out before returning, so nothing keeps `bytes`.
        let view = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
        return try decodeFrame(view)
    }

    private static func decodeFrame<Bytes: SwiftProtobufContiguousBytes>(
        _ bytes: Bytes
    ) throws(WireError) -> WireMessage {
        let frame: Shoal_V1_Frame
        do {
            var options = BinaryDecodingOptions()
            options.discardUnknownFields = true
            frame = try Shoal_V1_Frame(serializedBytes: bytes, options: options)
        } catch {
            throw WireError(.malformed, "\(bytes.count) bytes are not a shoal.v1 frame: \(error)")
        }
        guard frame.protocolVersion == WireProtocol.version else {
            throw WireError(
                .unknownProtocolVersion,
                "frame speaks protocol version \(frame.protocolVersion), this build speaks \(WireProtocol.version)")
        }
        switch frame.body {
        case .rollout(let proto): return .rollout(try Rollout(proto: proto))
        case .weights(let proto): return .weights(try Weights(proto: proto))
        case .weightsRequest(let proto): return .weightsRequest(WeightsRequest(proto: proto))
        case .ack(let proto): return .ack(try Ack(proto: proto))
        case .heartbeat(let proto): return .heartbeat(try Heartbeat(proto: proto))
        case .control(let proto): return .control(try Control(proto: proto))
        case nil: throw WireError(.missingField("body"), "frame carries no message")
        }
    }
}
