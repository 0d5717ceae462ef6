import ShoalCore
import ShoalEnvs

/// Measures how many environment steps per second one core gets from a `VectorEnvironment` under random actions.
public enum VectorEnvBench {
    /// Steps `batchSize` lanes of `environment` for `steps` vector steps (after a short warm-up) and reports the rate.
    /// Actions are drawn beforehand so the figure covers stepping, autoreset and bookkeeping, not action sampling.
    public static func run(
        environment: String = "CartPole-v1", batchSize: Int = 64, steps: Int = 20_000
    ) throws -> BenchmarkReport {
        precondition(batchSize > 0 && steps > 0, "batchSize and steps must be positive")
        let factory = try EnvironmentRegistry.builtIn.factory(for: environment)
        let vector = factory.makeVectorEnvironment(batchSize: batchSize, seed: 1)
        let actionBatches = randomActionBatches(for: factory.actionSpace, batchSize: batchSize, count: 64)

        var finishedEpisodes = 0
        func stepVector(_ count: Int) {
            for step in 0..<count {
                vector.step(actions: actionBatches[step % actionBatches.count])
                finishedEpisodes += vector.finishedEpisodes.count
            }
        }
        stepVector(min(steps, 1_000))
        finishedEpisodes = 0
        let elapsed = ContinuousClock().measure { stepVector(steps) }

        let seconds = elapsed.seconds
        let environmentSteps = Double(steps * batchSize)
        return BenchmarkReport(
            benchmark: "vector env \(environment), \(batchSize) lanes, \(steps) steps, one core",
            figures: [
                .init("env steps/s", environmentSteps / seconds, "steps/s"),
                .init("time per env step", seconds / environmentSteps * 1e9, "ns"),
                .init("vector steps/s", Double(steps) / seconds, "steps/s"),
                .init("episodes finished", Double(finishedEpisodes), "episodes"),
            ]
        )
    }

    /// `count` batches of uniformly random actions: indices for discrete spaces, values within the box otherwise.
    private static func randomActionBatches(for space: ActionSpace, batchSize: Int, count: Int) -> [[Float]] {
        var generator = SeededGenerator(seed: 2)
        return (0..<count).map { _ in
            switch space {
            case .discrete(let choices):
                return (0..<batchSize).map { _ in Float(generator.next() % UInt64(choices)) }
            case .box(let box):
                return (0..<batchSize).flatMap { _ in
                    zip(box.low, box.high).map { low, high in low + (high - low) * generator.nextUnitFloat() }
                }
            }
        }
    }
}
