/// Why a frame was refused: the code of every `WireError`, and the label receivers count drops under.
public enum RejectionReason: Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not a valid frame (bad protobuf, a tensor whose data disagrees with its own shape, ...).
    case malformed
    /// The frame speaks another wire protocol version than `WireProtocol.version`.
    case unknownProtocolVersion
    /// The frame holds another kind of message than the one asked for.
    case unexpectedMessage
    /// A field the message cannot do without is absent.
    case missingField(String)
    /// The message belongs to another run.
    case wrongRunID
    /// A tensor's dtype, rank or dimensions, or an array's length, disagree with the message's sizes.
    case shapeMismatch(String)
    /// A field holds NaN or an infinity.
    case nonFinite(String)
    /// A field holds a value outside its meaningful range (a zero size, an action index past the last action, ...).
    case outOfRange(String)
    /// A field exceeds the receiver's `WireLimits`.
    case tooLarge(String)
    /// Two fields that must agree do not (truncation indices vs truncation flags, ...).
    case inconsistent(String)
    /// The weights' checksum does not match their parameters.
    case badChecksum
    /// The message was made for another network architecture than the receiver's.
    case architectureMismatch
    /// The message refers to weights newer than any the receiver knows of.
    case futureVersion
    /// The weights are not newer than the ones the receiver holds.
    case staleVersion

    /// A stable short name for counters and logs, without the field so that counter cardinality stays small.
    public var label: String {
        switch self {
        case .malformed: return "malformed"
        case .unknownProtocolVersion: return "unknown_protocol_version"
        case .unexpectedMessage: return "unexpected_message"
        case .missingField: return "missing_field"
        case .wrongRunID: return "wrong_run_id"
        case .shapeMismatch: return "shape_mismatch"
        case .nonFinite: return "non_finite"
        case .outOfRange: return "out_of_range"
        case .tooLarge: return "too_large"
        case .inconsistent: return "inconsistent"
        case .badChecksum: return "bad_checksum"
        case .architectureMismatch: return "architecture_mismatch"
        case .futureVersion: return "future_version"
        case .staleVersion: return "stale_version"
        }
    }

    /// The field at fault, when the reason names one.
    public var field: String? {
        switch self {
        case .missingField(let field), .shapeMismatch(let field), .nonFinite(let field), .outOfRange(let field),
            .tooLarge(let field), .inconsistent(let field):
            return field
        case .malformed, .unknownProtocolVersion, .unexpectedMessage, .wrongRunID, .badChecksum,
            .architectureMismatch, .futureVersion, .staleVersion:
            return nil
        }
    }

    public var description: String {
        field.map { "\(label)(\($0))" } ?? label
    }
}
