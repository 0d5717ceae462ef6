/// The learner's figures for heartbeats and progress displays.
public struct LearnerReport: Sendable {
    public var version: UInt64
    public var envSteps: Int64
    public var queueDepth: Int
    public var meanReturn: Float?
    public var episodes: Int
    public var elapsedSeconds: Double
    public var counters: LearnerCounters
    /// Actors heard from within the heartbeat timeout.
    public var connectedActors: Int
    /// Median policy lag of the rollouts consumed since the previous report.
    public var medianLag: Double?
    /// Rollouts settled (consumed or dropped) per actor incarnation.
    public var settled: [ActorIncarnation: Int]
    /// Distinct rollouts known to exist per actor incarnation (see `RolloutIntake.knownSeqCounts`).
    public var known: [ActorIncarnation: Int]

    /// Actor incarnations whose counts one report carries at most (two stats each).
    static let reportedIncarnations = 100

    /// Names of the figures in heartbeat stats.
    public enum Key {
        public static let received = "received"
        public static let consumed = "consumed"
        public static let duplicates = "duplicates"
        public static let droppedPrefix = "dropped/"
        public static let meanReturn = "mean_return"
        public static let episodes = "episodes"
        public static let elapsedSeconds = "elapsed_seconds"
        public static let updates = "updates"
        public static let medianLag = "lag_median"
        public static let peakMemory = "peak_rss_mib"
        public static let settledPrefix = "settled/"
        public static let knownPrefix = "known/"
    }

    /// The figures as heartbeat stats.
    public var stats: [String: Double] {
        var stats: [String: Double] = [
            Key.received: Double(counters.received), Key.consumed: Double(counters.consumed),
            Key.duplicates: Double(counters.duplicates), Key.episodes: Double(episodes),
            Key.elapsedSeconds: elapsedSeconds, Key.updates: Double(counters.updates),
            Key.peakMemory: PeakMemory.mebibytes,
        ]
        for (reason, count) in counters.dropped { stats[Key.droppedPrefix + reason.rawValue] = Double(count) }
        if let meanReturn { stats[Key.meanReturn] = Double(meanReturn) }
        if let medianLag { stats[Key.medianLag] = medianLag }
        // Heartbeats have a bounded number of stats: the newest incarnations of each actor are the ones whose
        // counts still change; the supervisor's ledger remembers what it was told of older ones.
        let newest = settled.keys.sorted { ($0.incarnation, $0.actorID) > ($1.incarnation, $1.actorID) }
            .prefix(Self.reportedIncarnations)
        for source in newest {
            stats[Key.settledPrefix + source.label] = Double(settled[source] ?? 0)
            stats[Key.knownPrefix + source.label] = Double(known[source] ?? 0)
        }
        return stats
    }
}
