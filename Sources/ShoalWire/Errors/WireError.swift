/// The one error ShoalWire throws: a frame that could not be decoded or that failed validation.
public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it is; `reason.label` is what receivers count.
    public var reason: RejectionReason
    /// What exactly was wrong, with the offending values, for the log.
    public var detail: String

    public init(_ reason: RejectionReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason): \(detail)" }
}
