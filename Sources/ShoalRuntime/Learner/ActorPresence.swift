/// Which actors the learner has heard from lately. An actor whose messages stop for longer than the silence
/// timeout (its link cut, its host gone, or the actor stopped without saying it is leaving) is reported once as
/// silent, and once more when it is heard from again; the learner itself carries on with the others either way.
struct ActorPresence {
    /// How long an actor may go unheard before it counts as silent.
    let silenceTimeout: Duration
    private var lastHeard: [UInt32: ContinuousClock.Instant] = [:]
    private var silent: Set<UInt32> = []

    init(silenceTimeout: Duration) {
        self.silenceTimeout = silenceTimeout
    }

    /// Actors heard from within the timeout.
    var connected: Int { lastHeard.count - silent.count }

    /// The actors heard from within the timeout as of `now`.
    func heardWithinTimeout(at now: ContinuousClock.Instant) -> Set<UInt32> {
        Set(lastHeard.filter { now - $0.value <= silenceTimeout }.keys)
    }

    /// Notes a message from `actor` at `now`. Returns how long it had been unheard if it had been reported silent.
    mutating func heard(from actor: UInt32, at now: ContinuousClock.Instant) -> Duration? {
        let previous = lastHeard.updateValue(now, forKey: actor)
        guard silent.remove(actor) != nil, let previous else { return nil }
        return now - previous
    }

    /// Forgets `actor`, which said it is leaving: it is neither connected nor, from now on, silent.
    mutating func left(_ actor: UInt32) {
        lastHeard[actor] = nil
        silent.remove(actor)
    }

    /// The actors that have become silent by `now` (not reported before), with how long each has been unheard.
    mutating func newlySilent(at now: ContinuousClock.Instant) -> [(actor: UInt32, unheard: Duration)] {
        let found = lastHeard.filter { !silent.contains($0.key) && now - $0.value > silenceTimeout }
            .map { (actor: $0.key, unheard: now - $0.value) }
            .sorted { $0.actor < $1.actor }
        silent.formUnion(found.map(\.actor))
        return found
    }
}
