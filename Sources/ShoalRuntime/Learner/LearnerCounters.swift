/// Why the learner let a rollout go without using it. Labels are metric and status names.
public enum DropReason: String, Sendable, CaseIterable, Codable {
    /// Acted by weights more than `maxPolicyLag` versions behind the learner.
    case stale
    /// Failed decoding or validation.
    case malformed
    /// Arrived while the learner's queue was full; the oldest queued rollout made room.
    case bufferOverflow = "buffer_overflow"
    /// Still queued when the run shut down.
    case shutdown
    /// Settled by a learner incarnation that crashed before checkpointing it; found out from the actor's
    /// acknowledgement floor.
    case lostInCrash = "lost_in_crash"
}

/// The learner's side of rollout accounting; persisted in checkpoints so a resumed run keeps counting.
public struct LearnerCounters: Sendable, Equatable {
    /// Rollout messages received, duplicates and malformed ones included.
    public var received: Int64 = 0
    /// Rollouts used in an update, each exactly once.
    public var consumed: Int64 = 0
    public var dropped: [DropReason: Int64] = [:]
    /// Copies of rollouts already settled, discarded.
    public var duplicates: Int64 = 0
    /// Environment steps in consumed rollouts.
    public var consumedEnvSteps: Int64 = 0
    /// Updates applied.
    public var updates: Int64 = 0
    /// Malformed messages of any kind, by `RejectionReason.label`.
    public var rejected: [String: Int64] = [:]

    public init() {}

    mutating func drop(_ reason: DropReason, count: Int64 = 1) {
        dropped[reason, default: 0] += count
    }

    /// Flat named values for checkpoints and heartbeats.
    public var named: [String: Int64] {
        var values: [String: Int64] = [
            "received": received, "consumed": consumed, "duplicates": duplicates,
            "consumed_env_steps": consumedEnvSteps, "updates": updates,
        ]
        for (reason, count) in dropped { values["dropped/\(reason.rawValue)"] = count }
        return values
    }

    /// Restores counters saved with `named`; unknown names are ignored.
    public init(named values: [String: Int64]) {
        received = values["received"] ?? 0
        consumed = values["consumed"] ?? 0
        duplicates = values["duplicates"] ?? 0
        consumedEnvSteps = values["consumed_env_steps"] ?? 0
        updates = values["updates"] ?? 0
        for reason in DropReason.allCases {
            if let count = values["dropped/\(reason.rawValue)"] { dropped[reason] = count }
        }
    }
}
