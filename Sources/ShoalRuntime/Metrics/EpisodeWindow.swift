import ShoalCore

/// The last `capacity` finished episodes, for "mean return (and length) over the last 100 episodes".
public struct EpisodeWindow: Sendable {
    public let capacity: Int
    private var episodes: [EpisodeStats] = []
    private var next = 0
    /// Episodes seen in total, including those that left the window.
    public private(set) var episodesSeen = 0

    public init(capacity: Int = 100) {
        precondition(capacity > 0)
        self.capacity = capacity
        episodes.reserveCapacity(capacity)
    }

    public mutating func append(_ episode: EpisodeStats) {
        episodesSeen += 1
        if episodes.count < capacity {
            episodes.append(episode)
        } else {
            episodes[next] = episode
            next = (next + 1) % capacity
        }
    }

    /// Mean return of the episodes in the window; nil before the first episode.
    public var meanReturn: Float? {
        episodes.isEmpty ? nil : episodes.reduce(0) { $0 + $1.episodeReturn } / Float(episodes.count)
    }

    /// Mean length of the episodes in the window; nil before the first episode.
    public var meanLength: Float? {
        episodes.isEmpty ? nil : episodes.reduce(0) { $0 + Float($1.length) } / Float(episodes.count)
    }

    /// True once the window is full and its mean return reaches `target`.
    public func reached(_ target: Float) -> Bool {
        episodes.count == capacity && (meanReturn ?? -.infinity) >= target
    }
}
