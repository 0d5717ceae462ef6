import ShoalCore

/// B environments of one kind stepped in lock-step with same-step autoreset, writing into contiguous buffers.
///
/// After `step`, a lane whose episode ended (terminated or truncated) already holds the first observation of its
/// next episode in `observations`; the last observation of the finished episode is in `finalObservations`, so a
/// learner can bootstrap a truncated return. Lane i draws its resets from `SeededGenerator(seed:).derived(stream: i)`,
/// so the same seed and actions give the same results. Buffers are reused, so stepping does not allocate while
/// no copy of the output arrays is held.
public final class VectorEnvironment {
    /// Number of lanes, B.
    public let batchSize: Int
    /// The observation space of one lane.
    public let observationSpace: BoxSpace
    /// The action space of one lane.
    public let actionSpace: ActionSpace

    private var outputs: VectorOutputs
    private let resetLanes: (UInt64, inout VectorOutputs) -> Void
    private let stepLanes: (UnsafeBufferPointer<Float>, inout VectorOutputs) -> Void

    /// Takes `environments` as the lanes (all of one type, usually wrapped in `TimeLimit`) and resets them with `seed`.
    /// `EnvironmentFactory.makeVectorEnvironment` builds one for a registered id.
    public init<Env: Environment>(environments: [Env], seed: UInt64) {
        let lanes = EnvironmentLanes(environments)
        let observationSpace = environments[0].observationSpace
        let actionSpace = environments[0].actionSpace
        precondition(
            environments.allSatisfy { $0.observationSpace == observationSpace && $0.actionSpace == actionSpace },
            "the environments of a vector must share observation and action spaces"
        )
        batchSize = environments.count
        self.observationSpace = observationSpace
        self.actionSpace = actionSpace
        outputs = VectorOutputs(batchSize: batchSize, observationSize: observationSpace.count)
        resetLanes = { seed, outputs in lanes.reset(seed: seed, outputs: &outputs) }
        stepLanes = { actions, outputs in lanes.step(actions: actions, outputs: &outputs) }
        reset(seed: seed)
    }

    /// Floats in one observation, O.
    public var observationSize: Int { observationSpace.count }
    /// Floats in one action, A (1 for a discrete index).
    public var actionSize: Int { actionSpace.actionSize }

    /// [B, O]: the current observation of every lane; for a lane that just finished, its next episode's first one.
    public var observations: [Float] { outputs.observations }
    /// [B]: the reward of the last step.
    public var rewards: [Float] { outputs.rewards }
    /// [B]: whether the last step ended the lane's episode in a terminal state.
    public var terminated: [Bool] { outputs.terminated }
    /// [B]: whether the last step cut the lane's episode short (time limit); may coincide with `terminated`.
    public var truncated: [Bool] { outputs.truncated }
    /// [B, O]: the last observation of the episode each lane finished on the last step; rows of other lanes are stale.
    public var finalObservations: [Float] { outputs.finalObservations }
    /// Return and length of each episode that finished on the last step, in lane order.
    public var finishedEpisodes: [EpisodeStats] { outputs.finishedEpisodes }

    /// Starts a new episode in every lane, reseeding lane i with `SeededGenerator(seed: seed).derived(stream: i)`.
    public func reset(seed: UInt64) {
        resetLanes(seed, &outputs)
    }

    /// Steps every lane with its row of `actions`, a [B, A] row-major buffer (discrete actions as indices).
    public func step(actions: UnsafeBufferPointer<Float>) {
        stepLanes(actions, &outputs)
    }

    /// Steps every lane with its row of `actions`, a [B, A] row-major array (discrete actions as indices).
    public func step(actions: [Float]) {
        actions.withUnsafeBufferPointer { step(actions: $0) }
    }
}
