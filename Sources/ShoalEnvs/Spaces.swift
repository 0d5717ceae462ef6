/// A box of real values of one shape, bounded elementwise by `low` and `high` (gymnasium's `Box`, float32).
public struct BoxSpace: Sendable, Equatable, Hashable {
    /// The shape of one value; the number of elements is the product of its dimensions.
    public let shape: [Int]
    /// Lower bound of each element, flattened row-major; `-.infinity` where unbounded.
    public let low: [Float]
    /// Upper bound of each element, flattened row-major; `.infinity` where unbounded.
    public let high: [Float]

    /// Creates a box; `low` and `high` must each hold one bound per element of `shape`.
    public init(shape: [Int], low: [Float], high: [Float]) {
        let count = shape.reduce(1, *)
        precondition(low.count == count && high.count == count, "BoxSpace bounds must have \(count) elements")
        self.shape = shape
        self.low = low
        self.high = high
    }

    /// Creates a box whose bounds are symmetric: [-high, high].
    public init(symmetric high: [Float]) {
        self.init(shape: [high.count], low: high.map { -$0 }, high: high)
    }

    /// Number of elements in one value.
    public var count: Int { low.count }
}

/// The actions an environment accepts.
public enum ActionSpace: Sendable, Equatable, Hashable {
    /// One of `n` choices, 0..<n.
    case discrete(Int)
    /// A vector of real values.
    case box(BoxSpace)

    /// Floats one action occupies in an action buffer: 1 (the index) for discrete, the element count for a box.
    /// This matches `PolicyHead.actionSize` and the layout of `Rollout.actions`.
    public var actionSize: Int {
        switch self {
        case .discrete: return 1
        case .box(let box): return box.count
        }
    }
}
