import ShoalCore
import ShoalWire

/// Measures how fast a CartPole-shaped rollout becomes frame bytes and comes back validated, and how big it is.
public enum RolloutCodecBench {
    /// Encodes, decodes and validates `iterations` times a rollout of `unrollLength` steps of `batchSize`
    /// CartPole environments (4 observation floats, 2 actions), timing each stage apart.
    public static func run(unrollLength: Int = 32, batchSize: Int = 64, iterations: Int = 2000) throws
        -> BenchmarkReport
    {
        precondition(unrollLength > 0 && batchSize > 0 && iterations > 0, "sizes and iterations must be positive")
        let network = NetworkSpec(
            observationSize: 4, hiddenSizes: [64, 64], activation: .tanh, head: .categorical(actions: 2))
        let rollout = cartPoleRollout(network: network, steps: unrollLength, batch: batchSize)
        let validator = MessageValidator(limits: WireLimits(runID: rollout.origin.runID, network: network))
        let bytes = rollout.encode()
        _ = try validator.decode(bytes)  // warm up, and make sure the rollout is one a learner would accept

        // Sums of sizes keep the optimiser from discarding the work being timed.
        var sink = 0
        let encode = seconds(iterations) { sink &+= rollout.encode().count }
        let decode = try seconds(iterations) {
            if case .rollout(let decoded) = try WireMessage.decode(bytes) { sink &+= decoded.observations.count }
        }
        let validate = try seconds(iterations) {
            try validator.validate(rollout)
            sink &+= 1
        }
        precondition(sink > 0)

        let roundTrip = encode + decode + validate
        let payloadBytes =
            4 * (rollout.observations.count + rollout.actions.count + rollout.rewards.count
                + rollout.behaviourLogits.count) + 2 * rollout.terminated.count
        return BenchmarkReport(
            benchmark: "rollout codec (T=\(unrollLength), B=\(batchSize), CartPole shapes, \(iterations) iterations)",
            figures: [
                .init("encode", encode * 1e6, "µs/rollout"),
                .init("decode", decode * 1e6, "µs/rollout"),
                .init("validate", validate * 1e6, "µs/rollout"),
                .init("encode+decode+validate", 1 / roundTrip, "rollouts/s"),
                .init("encode+decode+validate", Double(bytes.count) / roundTrip / 1e6, "MB/s"),
                .init("environment steps", Double(unrollLength * batchSize) / roundTrip, "steps/s"),
                .init("frame size", Double(bytes.count), "bytes/rollout"),
                .init("tensor payload", Double(payloadBytes), "bytes/rollout"),
            ])
    }

    /// Seconds per call of `body`, averaged over `iterations` calls.
    private static func seconds(_ iterations: Int, _ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations {
            try body()
        }
        let elapsed = clock.now - start
        let (wholeSeconds, attoseconds) = elapsed.components
        return (Double(wholeSeconds) + Double(attoseconds) * 1e-18) / Double(iterations)
    }

    /// A rollout with CartPole's shapes and plausible values: rewards of 1, occasional terminations, rare
    /// time-limit truncations, one finished episode per ending.
    private static func cartPoleRollout(network: NetworkSpec, steps: Int, batch: Int) -> Rollout {
        var random = SeededGenerator(seed: 2024)
        let samples = steps * batch
        let terminated = (0..<samples).map { _ in random.nextUnitFloat() < 0.02 }
        let truncated = terminated.map { !$0 && random.nextUnitFloat() < 0.002 }
        let truncatedIndices = truncated.indices.filter { truncated[$0] }.map { Int32($0) }
        let endings = zip(terminated, truncated).count(where: { $0 || $1 })
        return Rollout(
            origin: RolloutOrigin(runID: "CartPole-v1__bench__1__0", actorID: 0, incarnation: 0, seq: 0),
            policyVersion: 0, unrollLength: steps, batchSize: batch, observationShape: [network.observationSize],
            actionSize: 1, distributionParameterCount: network.head.distributionParameterCount,
            observations: (0..<(steps + 1) * batch * network.observationSize).map { _ in random.nextGaussian() },
            actions: (0..<samples).map { _ in Float(random.next() & 1) },
            rewards: [Float](repeating: 1, count: samples), terminated: terminated, truncated: truncated,
            behaviourLogits: (0..<samples * network.head.distributionParameterCount).map { _ in random.nextGaussian() },
            truncatedIndices: truncatedIndices,
            truncatedObservations: (0..<truncatedIndices.count * network.observationSize).map { _ in
                random.nextGaussian()
            },
            episodes: (0..<endings).map { _ in EpisodeStats(episodeReturn: 20, length: 20) })
    }
}
