import ShoalCore
import ShoalEnvs

/// Preallocated storage for one unroll in `Rollout`'s layout, reused from unroll to unroll.
struct UnrollBuffers {
    let unrollLength: Int
    let batchSize: Int
    let observationSize: Int
    let actionSize: Int
    let parameterCount: Int
    var observations: [Float]
    var actions: [Float]
    var rewards: [Float]
    var terminated: [Bool]
    var truncated: [Bool]
    var behaviourLogits: [Float]
    var truncatedIndices: [Int32] = []
    var truncatedObservations: [Float] = []
    var episodes: [EpisodeStats] = []

    init(unrollLength: Int, batchSize: Int, observationSize: Int, actionSize: Int, parameterCount: Int) {
        (self.unrollLength, self.batchSize, self.observationSize) = (unrollLength, batchSize, observationSize)
        (self.actionSize, self.parameterCount) = (actionSize, parameterCount)
        let steps = unrollLength * batchSize
        observations = [Float](repeating: 0, count: (unrollLength + 1) * batchSize * observationSize)
        actions = [Float](repeating: 0, count: steps * actionSize)
        rewards = [Float](repeating: 0, count: steps)
        terminated = [Bool](repeating: false, count: steps)
        truncated = [Bool](repeating: false, count: steps)
        behaviourLogits = [Float](repeating: 0, count: steps * parameterCount)
    }

    mutating func beginUnroll() {
        truncatedIndices.removeAll(keepingCapacity: true)
        truncatedObservations.removeAll(keepingCapacity: true)
        episodes.removeAll(keepingCapacity: true)
    }

    /// Copies [B, O] observations into row `row` of [T+1, B, O].
    mutating func setObservations(row: Int, _ rowValues: [Float]) {
        let width = batchSize * observationSize
        observations.replaceSubrange((row * width)..<((row + 1) * width), with: rowValues)
    }

    /// Records rewards and episode ends of step `step`, and the final observation of every truncated episode
    /// (a terminated one needs none: its return is not bootstrapped).
    mutating func recordOutcome(step: Int, of environments: VectorEnvironment) {
        let base = step * batchSize
        let (stepRewards, stepTerminated, stepTruncated) =
            (environments.rewards, environments.terminated, environments.truncated)
        for lane in 0..<batchSize {
            rewards[base + lane] = stepRewards[lane]
            terminated[base + lane] = stepTerminated[lane]
            truncated[base + lane] = stepTruncated[lane]
        }
        if stepTruncated.contains(true) {
            let finals = environments.finalObservations
            for lane in 0..<batchSize where stepTruncated[lane] && !stepTerminated[lane] {
                truncatedIndices.append(Int32(base + lane))
                truncatedObservations.append(
                    contentsOf: finals[(lane * observationSize)..<((lane + 1) * observationSize)])
            }
        }
        episodes.append(contentsOf: environments.finishedEpisodes)
    }

    func makeRollout(origin: RolloutOrigin, policyVersion: UInt64, observationShape: [Int]) -> Rollout {
        Rollout(
            origin: origin, policyVersion: policyVersion, unrollLength: unrollLength, batchSize: batchSize,
            observationShape: observationShape, actionSize: actionSize, distributionParameterCount: parameterCount,
            observations: observations, actions: actions, rewards: rewards, terminated: terminated,
            truncated: truncated, behaviourLogits: behaviourLogits, truncatedIndices: truncatedIndices,
            truncatedObservations: truncatedObservations, episodes: episodes)
    }
}
