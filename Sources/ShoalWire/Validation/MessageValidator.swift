/// Decides whether a well-formed message is one this receiver can accept, and names the reason when not.
///
/// Receivers count refusals by `WireError.reason.label`; a refused message is dropped, never acted on.
public struct MessageValidator: Sendable {
    /// What this receiver accepts.
    public var limits: WireLimits
    /// The newest weights this process knows of: for a learner the ones it last published, for an actor the ones
    /// it holds. Rollouts and requests that claim newer weights are refused as future; weights at or below it as
    /// stale. Nil skips both checks.
    public var newestWeights: WeightsStamp?

    public init(limits: WireLimits, newestWeights: WeightsStamp? = nil) {
        self.limits = limits
        self.newestWeights = newestWeights
    }

    /// Decodes one frame and validates its message: the whole receive path in one call.
    public func decode(_ bytes: [UInt8]) throws(WireError) -> WireMessage {
        try checkFrameSize(bytes.count)
        let message = try WireMessage.decode(bytes)
        try validate(message)
        return message
    }

    /// Decodes one frame in place and validates its message.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(WireError) -> WireMessage {
        try checkFrameSize(bytes.count)
        let message = try WireMessage.decode(bytes)
        try validate(message)
        return message
    }

    /// Validates a message of any kind.
    public func validate(_ message: WireMessage) throws(WireError) {
        switch message {
        case .rollout(let rollout): try validate(rollout)
        case .weights(let weights): try validate(weights)
        case .weightsRequest(let request): try validate(request)
        case .ack(let ack): try validate(ack)
        case .heartbeat(let heartbeat): try validate(heartbeat)
        case .control(let control): try validate(control)
        }
    }

    func checkRunID(_ runID: String) throws(WireError) {
        guard runID == limits.runID else {
            throw WireError(.wrongRunID, "message is for run '\(runID)', this is run '\(limits.runID)'")
        }
    }

    func checkText(_ text: String, field: String) throws(WireError) {
        guard text.utf8.count <= limits.maxTextBytes else {
            throw WireError(
                .tooLarge(field), "\(field) is \(text.utf8.count) bytes, the limit is \(limits.maxTextBytes)")
        }
    }

    private func checkFrameSize(_ byteCount: Int) throws(WireError) {
        guard byteCount <= limits.maxMessageBytes else {
            throw WireError(
                .tooLarge("message"), "frame is \(byteCount) bytes, the limit is \(limits.maxMessageBytes)")
        }
    }
}

/// Throws `.tooLarge(field)` when `value` exceeds `limit`, and `.outOfRange(field)` when it is below 1.
func checkSize(_ value: Int, limit: Int, field: String) throws(WireError) {
    guard value >= 1 else { throw WireError(.outOfRange(field), "\(field) is \(value), it must be at least 1") }
    guard value <= limit else { throw WireError(.tooLarge(field), "\(field) is \(value), the limit is \(limit)") }
}

/// Throws `.shapeMismatch(field)` unless an array of `count` elements has the product of `sizes` elements.
func checkCount(_ count: Int, sizes: Int..., field: String) throws(WireError) {
    var expected = 1
    for size in sizes {
        // Limits are configurable, so even sizes within them may multiply past Int.max.
        let (product, overflow) = expected.multipliedReportingOverflow(by: size)
        guard !overflow else { throw WireError(.tooLarge(field), "\(field) would need \(sizes) elements") }
        expected = product
    }
    guard count == expected else {
        throw WireError(
            .shapeMismatch(field), "\(field) has \(count) elements, the sizes \(sizes) call for \(expected)")
    }
}

/// Throws `.nonFinite(field)` if any value is NaN or infinite.
func checkFinite(_ values: [Float], field: String) throws(WireError) {
    let allFinite = values.withUnsafeBufferPointer { buffer in
        // Non-finite floats are exactly those with every exponent bit set. An integer max over the exponent bits
        // has no early exit and no float compare, so it vectorises; rollouts are checked on every receive.
        var largestExponent: UInt32 = 0
        for value in buffer {
            largestExponent = max(largestExponent, value.bitPattern & 0x7F80_0000)
        }
        return largestExponent != 0x7F80_0000
    }
    guard allFinite else {
        let index = values.firstIndex { !$0.isFinite } ?? 0
        throw WireError(.nonFinite(field), "\(field)[\(index)] is \(values[index])")
    }
}
