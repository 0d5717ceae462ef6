import ReferenceFixtures
import ShoalEnvs
import XCTest

/// Replays episodes recorded with gymnasium 1.4.0 and checks every observation, reward and flag.
final class ReferenceReplayTests: XCTestCase {
    func testReplaysEveryReferenceFile() throws {
        var replayedIDs: Set<String> = []
        for url in try ReferenceFixtures.jsonFiles("envs", extraCasesVariable: "SHOAL_ENV_CASES") {
            let reference = try ReferenceFile(contentsOf: url)
            try replay(reference, from: url.lastPathComponent)
            replayedIDs.insert(reference.env)
        }
        // StatelessCartPole-v1 has no gymnasium counterpart: StatelessCartPoleTests holds it to CartPole-v1's episodes.
        let untested = Set(EnvironmentRegistry.builtIn.ids).subtracting(replayedIDs)
            .subtracting(["StatelessCartPole-v1"])
        XCTAssertTrue(untested.isEmpty, "built-in environments without reference episodes: \(untested.sorted())")
    }

    private func replay(_ reference: ReferenceFile, from fileName: String) throws {
        let factory = try EnvironmentRegistry.builtIn.factory(for: reference.env)
        XCTAssertEqual(factory.maxEpisodeSteps, reference.maxEpisodeSteps, "\(fileName): max_episode_steps")
        XCTAssertFalse(reference.episodes.isEmpty, "\(fileName) has no episodes")
        for (index, episode) in reference.episodes.enumerated() {
            var environment = factory.makeEnvironment()
            XCTAssertEqual(
                type(of: environment).stateLayout.joined(separator: ", "), reference.stateLayout,
                "\(fileName): state layout"
            )
            try replay(episode, in: &environment, label: "\(fileName) episode \(index)")
        }
    }

    private func replay(_ episode: ReferenceEpisode, in environment: inout any Environment, label: String) throws {
        _ = environment.reset(seed: 0)  // starts the time limit's count; the recorded state replaces the drawn one
        try environment.setState(episode.state)
        assertClose(environment.observation(), episode.initialObservation, "\(label) initial observation")

        let steps = episode.actions.count
        for (name, count) in [
            ("observations", episode.observations.count), ("rewards", episode.rewards.count),
            ("terminated", episode.terminated.count), ("truncated", episode.truncated.count),
        ] {
            XCTAssertEqual(count, steps, "\(label): \(name) and actions differ in length")
        }
        for step in 0..<steps {
            // gymnasium's Box actions are float32; the recorded float64 values reach the dynamics as float32.
            let transition = environment.step(episode.actions[step].values.map { Float($0) })
            let where_ = "\(label) step \(step)"
            let matched = assertClose(transition.observation, episode.observations[step], "\(where_) observation")
                && check(transition.outcome.reward == episode.rewards[step],
                         "\(where_) reward \(transition.outcome.reward) != \(episode.rewards[step])")
                && check(transition.outcome.terminated == episode.terminated[step], "\(where_) terminated")
                && check(transition.outcome.truncated == episode.truncated[step], "\(where_) truncated")
            if !matched { return }  // later steps follow from a diverged state; one failure per episode is enough
        }
    }

    @discardableResult
    private func assertClose(_ actual: [Float], _ expected: [Double], _ label: String) -> Bool {
        guard actual.count == expected.count else {
            return check(false, "\(label): \(actual.count) values, expected \(expected.count)")
        }
        let worst = zip(actual, expected).map { abs(Double($0) - $1) }.max() ?? 0
        return check(worst <= 1e-5, "\(label): \(actual) vs \(expected) (largest difference \(worst))")
    }

    private func check(_ condition: Bool, _ message: @autoclosure () -> String) -> Bool {
        if !condition { XCTFail(message()) }
        return condition
    }
}
