/// The returns of the last `capacity` finished episodes, for "mean return over the last 100 episodes".
public struct ReturnWindow: Sendable {
    public let capacity: Int
    private var returns: [Float] = []
    private var next = 0
    /// Episodes seen in total, including those that left the window.
    public private(set) var episodesSeen = 0

    public init(capacity: Int = 100) {
        precondition(capacity > 0)
        self.capacity = capacity
        returns.reserveCapacity(capacity)
    }

    public mutating func append(_ episodeReturn: Float) {
        episodesSeen += 1
        if returns.count < capacity {
            returns.append(episodeReturn)
        } else {
            returns[next] = episodeReturn
            next = (next + 1) % capacity
        }
    }

    /// Mean of the returns in the window; nil before the first episode.
    public var mean: Float? {
        returns.isEmpty ? nil : returns.reduce(0, +) / Float(returns.count)
    }

    /// True once the window is full and its mean reaches `target`.
    public func reached(_ target: Float) -> Bool {
        returns.count == capacity && (mean ?? -.infinity) >= target
    }
}
