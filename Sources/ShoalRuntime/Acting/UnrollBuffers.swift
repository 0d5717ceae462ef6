import ShoalCore
import ShoalEnvs

/// What one step of B lanes produced, in the form `UnrollBuffers` records: a built-in `VectorEnvironment`, or the
/// reply of an environment server.
protocol LaneStepResults {
    /// [B].
    var rewards: [Float] { get }
    /// [B].
    var terminated: [Bool] { get }
    /// [B].
    var truncated: [Bool] { get }
    /// The last observation of the episode `lane` finished on this step.
    func finalObservation(lane: Int) -> ObservationData
    /// Episodes that finished on this step, in lane order.
    var finishedEpisodes: [EpisodeStats] { get }
}

extension VectorEnvironment: LaneStepResults {
    func finalObservation(lane: Int) -> ObservationData {
        .float32(Array(finalObservations[(lane * observationSize)..<((lane + 1) * observationSize)]))
    }
}

/// Preallocated storage for one unroll in `Rollout`'s layout, reused from unroll to unroll.
struct UnrollBuffers {
    let unrollLength: Int
    let batchSize: Int
    let observationSize: Int
    let actionSize: Int
    let parameterCount: Int
    var observations: ObservationData
    var actions: [Float]
    var rewards: [Float]
    var terminated: [Bool]
    var truncated: [Bool]
    var behaviourLogits: [Float]
    /// [T, B]: reset steps of environments that autoreset on the next step (see `Rollout.resetSteps`).
    var resetSteps: [Bool]
    var truncatedIndices: [Int32] = []
    var truncatedObservations: ObservationData
    var episodes: [EpisodeStats] = []
    /// [B]: lanes whose next step begins an episode, where a recurrent policy's state is zeroed.
    private var episodeStarting: [Bool]
    /// The policy's recurrent state before step 0 ([2, B, H], empty for a feed-forward policy).
    private var recurrentState: [Float] = []

    /// Buffers for the unrolls of `batchSize` lanes that `policy` acts in, observations kept in its network's dtype.
    init(unrollLength: Int, batchSize: Int, policy: ActingPolicy) {
        let spec = policy.network.spec
        (self.unrollLength, self.batchSize, observationSize) = (unrollLength, batchSize, spec.observationSize)
        (actionSize, parameterCount) = (policy.distribution.actionSize, policy.distribution.parameterCount)
        let steps = unrollLength * batchSize
        observations = .zeros(count: (unrollLength + 1) * batchSize * observationSize,
                              bytes: spec.observationDType.isBytes)
        truncatedObservations = observations.emptied
        actions = [Float](repeating: 0, count: steps * actionSize)
        rewards = [Float](repeating: 0, count: steps)
        terminated = [Bool](repeating: false, count: steps)
        truncated = [Bool](repeating: false, count: steps)
        behaviourLogits = [Float](repeating: 0, count: steps * parameterCount)
        resetSteps = [Bool](repeating: false, count: steps)
        episodeStarting = [Bool](repeating: false, count: batchSize)
    }

    mutating func beginUnroll() {
        for index in resetSteps.indices { resetSteps[index] = false }
        truncatedIndices.removeAll(keepingCapacity: true)
        truncatedObservations = truncatedObservations.emptied
        episodes.removeAll(keepingCapacity: true)
    }

    /// Copies [B, O] observations, of the buffers' dtype, into row `row` of [T+1, B, O].
    mutating func setObservations(row: Int, _ rowValues: ObservationData) {
        let width = batchSize * observationSize
        observations.replaceSubrange((row * width)..<((row + 1) * width), with: rowValues)
    }

    /// Every lane begins a new episode with its next step (its environment was reset).
    mutating func restartEpisodes() {
        for lane in episodeStarting.indices { episodeStarting[lane] = true }
    }

    /// Lets `policy` choose step `step`'s actions from that step's observations, recording its distribution
    /// parameters as the behaviour policy's (and, before step 0, its recurrent state).
    mutating func act(step: Int, with policy: ActingPolicy) {
        let (b, o, a, p) = (batchSize, observationSize, actionSize, parameterCount)
        if episodeStarting.contains(true) {
            policy.beginEpisodes(where: episodeStarting)
            for lane in episodeStarting.indices { episodeStarting[lane] = false }
        }
        if step == 0 { recurrentState = policy.recurrentState }
        observations.withInput((step * b * o)..<((step + 1) * b * o)) { observations in
            behaviourLogits.withUnsafeMutableBufferPointer { logits in
                actions.withUnsafeMutableBufferPointer { actions in
                    policy.act(
                        observations: observations, count: b,
                        parameters: UnsafeMutableBufferPointer(rebasing: logits[(step * b * p)..<((step + 1) * b * p)]),
                        actions: UnsafeMutableBufferPointer(rebasing: actions[(step * b * a)..<((step + 1) * b * a)]))
                }
            }
        }
    }

    /// Calls `body` with step `step`'s actions, [B, A].
    func actions<Result>(step: Int, _ body: (UnsafeBufferPointer<Float>) -> Result) -> Result {
        let width = batchSize * actionSize
        return actions.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[(step * width)..<((step + 1) * width)])) }
    }

    /// Records rewards and episode ends of step `step`, and the final observation of every truncated episode
    /// (a terminated one needs none: its return is not bootstrapped).
    mutating func recordOutcome(step: Int, of results: some LaneStepResults) {
        let base = step * batchSize
        let (stepRewards, stepTerminated, stepTruncated) = (results.rewards, results.terminated, results.truncated)
        for lane in 0..<batchSize {
            rewards[base + lane] = stepRewards[lane]
            terminated[base + lane] = stepTerminated[lane]
            truncated[base + lane] = stepTruncated[lane]
            episodeStarting[lane] = stepTerminated[lane] || stepTruncated[lane] || resetSteps[base + lane]
        }
        for lane in 0..<batchSize where stepTruncated[lane] && !stepTerminated[lane] {
            truncatedIndices.append(Int32(base + lane))
            truncatedObservations.append(contentsOf: results.finalObservation(lane: lane))
        }
        episodes.append(contentsOf: results.finishedEpisodes)
    }

    func makeRollout(origin: RolloutOrigin, policyVersion: UInt64, observationShape: [Int]) -> Rollout {
        Rollout(
            origin: origin, policyVersion: policyVersion, unrollLength: unrollLength, batchSize: batchSize,
            observationShape: observationShape, actionSize: actionSize, distributionParameterCount: parameterCount,
            observations: observations, actions: actions, rewards: rewards, terminated: terminated,
            truncated: truncated, behaviourLogits: behaviourLogits, truncatedIndices: truncatedIndices,
            truncatedObservations: truncatedObservations, episodes: episodes,
            resetSteps: resetSteps.contains(true) ? resetSteps : [], recurrentState: recurrentState)
    }
}
