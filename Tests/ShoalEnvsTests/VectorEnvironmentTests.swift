import ShoalCore
import ShoalEnvs
import XCTest

final class VectorEnvironmentTests: XCTestCase {
    /// MountainCar without pushing never reaches the flag, so every lane is truncated at the 200-step limit.
    func testTruncationKeepsFinalObservationAndResetsInTheSameStep() throws {
        let factory = try EnvironmentRegistry.builtIn.factory(for: "MountainCar-v0")
        let seed: UInt64 = 7
        let vector = factory.makeVectorEnvironment(batchSize: 3, seed: seed)
        let coast = [Float](repeating: 1, count: vector.batchSize)
        for step in 1...factory.maxEpisodeSteps {
            vector.step(actions: coast)
            XCTAssertEqual(vector.terminated, [false, false, false], "step \(step)")
            let isLast = step == factory.maxEpisodeSteps
            XCTAssertEqual(vector.truncated, Array(repeating: isLast, count: 3), "step \(step)")
        }
        let wholeEpisode = EpisodeStats(episodeReturn: -200, length: 200)
        XCTAssertEqual(vector.finishedEpisodes, Array(repeating: wholeEpisode, count: 3))

        // Lane i must behave like a lone environment driven by the documented stream for lane i.
        let width = vector.observationSize
        for lane in 0..<vector.batchSize {
            var generator = SeededGenerator(seed: seed).derived(stream: UInt64(lane))
            var environment = factory.makeEnvironment()
            _ = environment.reset(using: &generator)
            var last = environment.observation()
            for _ in 0..<factory.maxEpisodeSteps { last = environment.step(1).observation }
            let row = lane * width..<(lane + 1) * width
            XCTAssertEqual(Array(vector.finalObservations[row]), last, "lane \(lane) final observation")
            XCTAssertEqual(Array(vector.observations[row]), environment.reset(using: &generator), "lane \(lane) reset")
        }
    }

    /// Always pushing right topples the pole within a few dozen steps: terminated, not truncated.
    func testTerminationIsKeptApartFromTruncation() throws {
        let vector = try EnvironmentRegistry.builtIn.factory(for: "CartPole-v1")
            .makeVectorEnvironment(batchSize: 4, seed: 3)
        var episodeLengths = [Int](repeating: 0, count: vector.batchSize)
        var finished = [Bool](repeating: false, count: vector.batchSize)
        for _ in 0..<100 where finished.contains(false) {
            vector.step(actions: [Float](repeating: 1, count: vector.batchSize))
            XCTAssertEqual(vector.truncated, [false, false, false, false])
            for lane in 0..<vector.batchSize where !finished[lane] {
                episodeLengths[lane] += 1
                finished[lane] = vector.terminated[lane]
                guard finished[lane] else { continue }
                let row = lane * 4..<lane * 4 + 4
                let final = Array(vector.finalObservations[row])
                let fresh = Array(vector.observations[row])
                let outOfBounds = abs(final[0]) > 2.4 || abs(final[2]) > 0.2094
                XCTAssertTrue(outOfBounds, "lane \(lane) ends out of bounds: \(final)")
                XCTAssertTrue(fresh.allSatisfy { abs($0) <= 0.05 }, "lane \(lane) restarted near rest: \(fresh)")
            }
        }
        XCTAssertEqual(finished, [true, true, true, true])
    }

    func testEpisodeStatisticsAddUpRewardsAndSteps() {
        let limit = 7
        let vector = VectorEnvironment(
            environments: (0..<5).map { _ in TimeLimit(Pendulum(), maxEpisodeSteps: limit) }, seed: 11
        )
        var actionStream = SeededGenerator(seed: 5)
        var returns = [Double](repeating: 0, count: vector.batchSize)
        var reported: [EpisodeStats] = []
        var expected: [EpisodeStats] = []
        for _ in 0..<(3 * limit) {
            let actions = (0..<vector.batchSize).map { _ in 6 * actionStream.nextUnitFloat() - 3 }
            vector.step(actions: actions)
            for lane in 0..<vector.batchSize {
                returns[lane] += Double(vector.rewards[lane])
                if vector.truncated[lane] {
                    expected.append(EpisodeStats(episodeReturn: Float(returns[lane]), length: Int32(limit)))
                    returns[lane] = 0
                }
            }
            reported += vector.finishedEpisodes
        }
        XCTAssertEqual(reported.count, 3 * vector.batchSize)
        XCTAssertEqual(reported.map(\.length), expected.map(\.length))
        for (got, want) in zip(reported, expected) {
            XCTAssertEqual(got.episodeReturn, want.episodeReturn, accuracy: 1e-4 * max(1, abs(want.episodeReturn)))
        }
    }

    func testTimeLimitCanCoincideWithTermination() {
        // With a one-step limit every step truncates; a step that also topples the pole is both.
        var environment = TimeLimit(CartPole(), maxEpisodeSteps: 1)
        _ = environment.reset(seed: 1)
        environment.base.state = CartPole.State(x: 2.39, xDot: 1, theta: 0, thetaDot: 0)
        let outcome = environment.step(1).outcome
        XCTAssertTrue(outcome.terminated)
        XCTAssertTrue(outcome.truncated)
        XCTAssertEqual(environment.elapsedSteps, 1)
    }

    func testSameSeedAndActionsGiveTheSameRun() throws {
        let factory = try EnvironmentRegistry.builtIn.factory(for: "Acrobot-v1")
        let first = factory.makeVectorEnvironment(batchSize: 4, seed: 42)
        let second = factory.makeVectorEnvironment(batchSize: 4, seed: 42)
        let other = factory.makeVectorEnvironment(batchSize: 4, seed: 43)
        XCTAssertNotEqual(first.observations, other.observations)
        let initial = first.observations
        var actionStream = SeededGenerator(seed: 9)
        for _ in 0..<600 {
            let actions = (0..<4).map { _ in Float(actionStream.next() % 3) }
            first.step(actions: actions)
            second.step(actions: actions)
            XCTAssertEqual(first.observations, second.observations)
            XCTAssertEqual(first.rewards, second.rewards)
            XCTAssertEqual(first.terminated, second.terminated)
            XCTAssertEqual(first.truncated, second.truncated)
            XCTAssertEqual(first.finishedEpisodes, second.finishedEpisodes)
        }
        first.reset(seed: 42)
        XCTAssertEqual(first.observations, initial)
        XCTAssertTrue(first.finishedEpisodes.isEmpty)
    }

    func testLanesDrawIndependentStarts() {
        let vector = VectorEnvironment(environments: Array(repeating: CartPole(), count: 8), seed: 0)
        let rows = (0..<8).map { Array(vector.observations[$0 * 4..<$0 * 4 + 4]) }
        XCTAssertEqual(Set(rows.map { $0.description }).count, 8, "every lane should start from its own state")
    }
}
