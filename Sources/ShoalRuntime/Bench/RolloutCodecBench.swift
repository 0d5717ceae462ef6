import ShoalCore
import ShoalWire

/// Measures how fast a rollout becomes frame bytes and comes back validated, and how big it is.
public enum RolloutCodecBench {
    /// What a benchmarked rollout observes.
    public struct Observations: Sendable {
        public var name: String
        public var shape: [Int]
        public var dtype: ObservationDType

        /// CartPole's 4 floats.
        public static let cartPole = Observations(name: "CartPole", shape: [4], dtype: .float32)
        /// Atari frames as gymnasium's AtariPreprocessing and FrameStackObservation(4) give them: 4 × 84 × 84 uint8.
        public static let atariFrames = Observations(name: "Atari uint8", shape: [4, 84, 84], dtype: .uint8)
        /// The same frames sent as float32, as before observations kept their dtype.
        public static let atariFloats = Observations(name: "Atari as float32", shape: [4, 84, 84], dtype: .float32)
    }

    /// Encodes, decodes and validates `iterations` times a rollout of `unrollLength` steps of `batchSize`
    /// environments (2 actions) observing `observations`, timing each stage apart.
    public static func run(_ observations: Observations = .cartPole, unrollLength: Int = 32, batchSize: Int = 64,
                           iterations: Int = 2000) throws -> BenchmarkReport {
        precondition(unrollLength > 0 && batchSize > 0 && iterations > 0, "sizes and iterations must be positive")
        let network = NetworkSpec(
            observationSize: observations.shape.reduce(1, *), hiddenSizes: [64, 64], activation: .tanh,
            head: .categorical(actions: 2), observationDType: observations.dtype)
        let rollout = cartPoleRollout(network: network, shape: observations.shape, steps: unrollLength,
                                      batch: batchSize)
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
            rollout.observations.elementSize * rollout.observations.count + 4 * (rollout.actions.count + rollout.rewards.count
                + rollout.behaviourLogits.count) + 2 * rollout.terminated.count
        return BenchmarkReport(
            benchmark: "rollout codec (T=\(unrollLength), B=\(batchSize), \(observations.name) "
                + "\(observations.shape), \(iterations) iterations)",
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

    /// A rollout with CartPole's rewards and endings, observing `shape`: rewards of 1, occasional terminations, rare
    /// time-limit truncations, one finished episode per ending.
    private static func cartPoleRollout(network: NetworkSpec, shape: [Int], steps: Int, batch: Int) -> Rollout {
        var random = SeededGenerator(seed: 2024)
        let samples = steps * batch
        let terminated = (0..<samples).map { _ in random.nextUnitFloat() < 0.02 }
        let truncated = terminated.map { !$0 && random.nextUnitFloat() < 0.002 }
        let truncatedIndices = truncated.indices.filter { truncated[$0] }.map { Int32($0) }
        let endings = zip(terminated, truncated).count(where: { $0 || $1 })
        func observations(_ count: Int) -> ObservationData {
            guard network.observationDType.isBytes else { return .float32((0..<count).map { _ in random.nextGaussian() }) }
            return .uint8((0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        return Rollout(
            origin: RolloutOrigin(runID: "CartPole-v1__bench__1__0", actorID: 0, incarnation: 0, seq: 0),
            policyVersion: 0, unrollLength: steps, batchSize: batch, observationShape: shape,
            actionSize: 1, distributionParameterCount: network.head.distributionParameterCount,
            observations: observations((steps + 1) * batch * network.observationSize),
            actions: (0..<samples).map { _ in Float(random.next() & 1) },
            rewards: [Float](repeating: 1, count: samples), terminated: terminated, truncated: truncated,
            behaviourLogits: (0..<samples * network.head.distributionParameterCount).map { _ in random.nextGaussian() },
            truncatedIndices: truncatedIndices,
            truncatedObservations: observations(truncatedIndices.count * network.observationSize),
            episodes: (0..<endings).map { _ in EpisodeStats(episodeReturn: 20, length: 20) })
    }
}
