/// Observations in the dtype they came in: float32, or bytes (uint8 pixels, bool flags as 0 and 1) that stay bytes
/// through the actor's buffers, the wire and the learner's batch, and become floats only in the network's first layer
/// (`ObservationDType.scale`). Row-major; whoever holds them knows their shape.
public enum ObservationData: Sendable, Equatable {
    case float32([Float])
    case uint8([UInt8])

    /// `count` zeros, as bytes or floats.
    public static func zeros(count: Int, bytes: Bool) -> ObservationData {
        bytes ? .uint8([UInt8](repeating: 0, count: count)) : .float32([Float](repeating: 0, count: count))
    }

    /// No elements, of the same kind as `self`.
    public var emptied: ObservationData {
        switch self {
        case .float32: return .float32([])
        case .uint8: return .uint8([])
        }
    }

    public var count: Int {
        switch self {
        case .float32(let values): return values.count
        case .uint8(let values): return values.count
        }
    }

    /// The elements of float observations; nil for bytes.
    public var floats: [Float]? {
        if case .float32(let values) = self { return values }
        return nil
    }

    /// The elements of byte observations; nil for floats.
    public var bytes: [UInt8]? {
        if case .uint8(let values) = self { return values }
        return nil
    }

    /// Whether the elements are bytes.
    public var isBytes: Bool { bytes != nil }

    /// Bytes an element takes in memory and on the wire.
    public var elementSize: Int { isBytes ? 1 : 4 }

    /// The elements `range`, of the same kind.
    public subscript(range: Range<Int>) -> ObservationData {
        switch self {
        case .float32(let values): return .float32(Array(values[range]))
        case .uint8(let values): return .uint8(Array(values[range]))
        }
    }

    /// Replaces the elements `range` with `other`'s, which must be of the same kind.
    public mutating func replaceSubrange(_ range: Range<Int>, with other: ObservationData) {
        switch other {
        case .float32(let new):
            guard case .float32(var values) = self else { preconditionFailure("observations of different dtypes") }
            self = .uint8([])  // leaves `values` the array's only reference, so the replacement is in place
            values.replaceSubrange(range, with: new)
            self = .float32(values)
        case .uint8(let new):
            guard case .uint8(var values) = self else { preconditionFailure("observations of different dtypes") }
            self = .float32([])
            values.replaceSubrange(range, with: new)
            self = .uint8(values)
        }
    }

    /// Appends `other`'s elements, which must be of the same kind.
    public mutating func append(contentsOf other: ObservationData) {
        replaceSubrange(count..<count, with: other)
    }

    /// Calls `body` with the elements `range` as the network's input.
    public func withInput<Result>(_ range: Range<Int>, _ body: (ObservationInput) -> Result) -> Result {
        switch self {
        case .float32(let values):
            return values.withUnsafeBufferPointer { body(.floats(UnsafeBufferPointer(rebasing: $0[range]))) }
        case .uint8(let values):
            return values.withUnsafeBufferPointer { body(.bytes(UnsafeBufferPointer(rebasing: $0[range]))) }
        }
    }

    /// Calls `body` with all the elements as the network's input.
    public func withInput<Result>(_ body: (ObservationInput) -> Result) -> Result {
        withInput(0..<count, body)
    }
}

/// Observations as a network reads them: floats, or bytes it scales into floats in its first layer.
public enum ObservationInput {
    case floats(UnsafeBufferPointer<Float>)
    case bytes(UnsafeBufferPointer<UInt8>)

    public var count: Int {
        switch self {
        case .floats(let values): return values.count
        case .bytes(let values): return values.count
        }
    }
}

/// The dtype of a network's observations, and how its first layer turns them into floats.
public enum ObservationDType: String, Sendable, Codable, CaseIterable {
    case float32
    /// Pixels, 0...255, scaled to [0, 1].
    case uint8
    /// Flags, 0 or 1, read as they are.
    case bool

    /// Whether observations of this dtype travel as bytes.
    public var isBytes: Bool { self != .float32 }

    /// What the first layer multiplies each element by.
    public var scale: Float { self == .uint8 ? 1 / 255 : 1 }
}

extension ObservationData: ExpressibleByArrayLiteral {
    /// Float observations written out.
    public init(arrayLiteral elements: Float...) {
        self = .float32(elements)
    }
}
