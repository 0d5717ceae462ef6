/// Checks an environment server's replies against what it said it hosts: M rows of its observation layout, one
/// reward and pair of flags per environment, an `ended` list that matches the flags, finite numbers (in the wire
/// dtype, and as the Floats the network takes: a float64 beyond Float's range is refused too). A reply that
/// fails is refused with a named reason, never used.
public struct EnvReplyValidator: Sendable {
    /// What the server said it hosts.
    public let spec: EnvServerSpec

    public init(spec: EnvServerSpec) {
        self.spec = spec
    }

    /// Checks the first observations after a reset.
    public func validate(observations batch: ObservationBatch) throws(WireError) {
        try validate(batch, rows: spec.numEnvs, field: "observations")
    }

    /// Checks the outcome of a step.
    public func validate(_ transitions: EnvTransitions) throws(WireError) {
        let m = spec.numEnvs
        try validate(transitions.observations, rows: m, field: "observations")
        for (field, count) in [("rewards", transitions.rewards.count), ("terminated", transitions.terminated.count),
                               ("truncated", transitions.truncated.count)] where count != m {
            throw WireError(.shapeMismatch(field), "\(field) has \(count) entries for \(m) environments")
        }
        if let lane = transitions.rewards.firstIndex(where: { !$0.isFinite }) {
            throw WireError(.nonFinite("rewards"), "reward of environment \(lane) is \(transitions.rewards[lane])")
        }
        let endedByFlags = (0..<m).filter { transitions.terminated[$0] || transitions.truncated[$0] }
        guard transitions.ended == endedByFlags else {
            throw WireError(.inconsistent("ended"), "ended is \(transitions.ended.prefix(16)) but the flags end "
                            + "\(endedByFlags.prefix(16))")
        }
        try validate(transitions.finalObservations, rows: endedByFlags.count, field: "final_observations")
        guard transitions.episodes.count == endedByFlags.count else {
            throw WireError(.shapeMismatch("episodes"),
                            "\(transitions.episodes.count) episodes for \(endedByFlags.count) ended environments")
        }
        if let bad = transitions.episodes.first(where: { !$0.episodeReturn.isFinite || $0.length < 1 }) {
            throw WireError(.outOfRange("episodes"), "an episode has return \(bad.episodeReturn), length \(bad.length)")
        }
    }

    private func validate(_ batch: ObservationBatch, rows: Int, field: String) throws(WireError) {
        guard batch.layout == spec.observation, batch.count == rows else {
            throw WireError(.shapeMismatch(field), "\(field) are \(batch.count) × \(batch.layout), expected \(rows) × "
                            + "\(spec.observation)")
        }
        if let index = batch.firstNonFinite() {
            throw WireError(.nonFinite(field), "\(field) hold NaN or an infinity (row \(index / max(1, batch.layout.count)))")
        }
    }
}
