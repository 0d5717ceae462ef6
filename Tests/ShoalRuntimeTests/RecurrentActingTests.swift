import ShoalCore
import ShoalEnvs
import XCTest

@testable import ShoalRuntime

final class RecurrentActingTests: XCTestCase {
    /// What the learner computes from a rollout is what the actor acted on: unrolling the core from each rollout's
    /// recurrent state, zeroed where episodes began, reproduces every behaviour logit of consecutive unrolls, across
    /// episode ends and unroll boundaries.
    func testTheLearnersUnrollReproducesTheActorsLogits() throws {
        let config = try TrainingConfig().applying(overrides: [
            "env=StatelessCartPole-v1", "core=lstm", "lstmSize=8", "envsPerActor=3", "unrollLength=8",
        ])
        let factory = try EnvironmentRegistry.builtIn.factory(for: config.env)
        let spec = try config.networkSpec(for: EnvironmentShape(factory))
        XCTAssertEqual(spec.lstmSize, 8)
        var generator = SeededGenerator(seed: 4)
        let network = ActorCriticNetwork(spec: spec, generator: &generator)
        let collector = UnrollCollector(
            environments: factory.makeVectorEnvironment(batchSize: 3, seed: 4),
            network: ActorCriticNetwork(spec: spec, parameters: network.parameters), unrollLength: 8,
            generator: generator.derived(stream: 1))
        var episodesEnded = 0
        for seq in 0..<6 {
            let rollout = collector.collect(origin: RolloutOrigin(runID: "r", actorID: 0, incarnation: 0,
                                                                  seq: UInt64(seq)))
            XCTAssertEqual(rollout.recurrentState.count, 2 * 3 * 8)
            if seq > 0 { XCTAssertTrue(rollout.recurrentState.contains { $0 != 0 }, "the state is carried") }
            episodesEnded += rollout.terminated.count { $0 }
            rollout.observations.withInput {
                network.forward($0, timeSteps: 9, batch: 3, initialState: rollout.recurrentState,
                                episodeStarts: rollout.episodeStarts)
            }
            for (index, logit) in rollout.behaviourLogits.enumerated() {
                XCTAssertEqual(network.policyOutputs[index], logit, accuracy: 1e-5, "unroll \(seq), logit \(index)")
            }
        }
        XCTAssertGreaterThan(episodesEnded, 0, "episodes ended within the unrolls, so resets were exercised")
    }

    /// Environments that autoreset on the next step: the state is zeroed after the episode's end and again after the
    /// reset step, where the new episode begins.
    func testEpisodesBeginAfterEndsAndResetSteps() {
        // One environment, T = 4: the episode ends at step 0 and step 1 is its reset step.
        let rollout = Rollout(
            origin: RolloutOrigin(runID: "r", actorID: 0, incarnation: 0, seq: 0), policyVersion: 0, unrollLength: 4,
            batchSize: 1, observationShape: [1], actionSize: 1, distributionParameterCount: 2,
            observations: .float32([Float](repeating: 0, count: 5)), actions: [Float](repeating: 0, count: 4),
            rewards: [Float](repeating: 0, count: 4), terminated: [true, false, false, false],
            truncated: [false, false, false, false], behaviourLogits: [Float](repeating: 0, count: 8),
            resetSteps: [false, true, false, false])
        XCTAssertEqual(rollout.episodeStarts, [false, true, true, false, false])
    }

    /// An LSTM policy learns the memory task an MLP cannot: StatelessCartPole (positions only). The MLP's mean return
    /// after the same run is 43, and stays there for millions of steps.
    func testAnLSTMLearnsStatelessCartPole() throws {
        let config = try TrainingConfig().applying(overrides: [
            "env=StatelessCartPole-v1", "core=lstm", "lstmSize=32", "seed=3", "maxEnvSteps=150000",
            "targetReturn=none",
        ])
        let summary = try InProcessTrainer(config: config).run(reportInterval: .infinity) { _ in }
        let meanReturn = try XCTUnwrap(summary.final.meanReturn)
        XCTAssertGreaterThan(meanReturn, 70, "mean return of the last 100 episodes")
    }
}
