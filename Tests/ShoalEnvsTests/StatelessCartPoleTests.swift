import ShoalCore
import ShoalEnvs
import XCTest

final class StatelessCartPoleTests: XCTestCase {
    /// Stepped with the same seeds and actions as CartPole-v1, episode after episode, it has the same rewards, ends
    /// and truncations, and observes CartPole's position and angle only.
    func testIsCartPoleWithoutItsVelocities() throws {
        let stateless = try EnvironmentRegistry.builtIn.factory(for: "StatelessCartPole-v1")
        let full = try EnvironmentRegistry.builtIn.factory(for: "CartPole-v1")
        XCTAssertEqual(stateless.observationSpace.shape, [2])
        XCTAssertEqual(stateless.observationSpace.high, [full.observationSpace.high[0], full.observationSpace.high[2]])
        XCTAssertEqual(stateless.actionSpace, full.actionSpace)
        XCTAssertEqual(stateless.maxEpisodeSteps, full.maxEpisodeSteps)

        var (partial, whole) = (stateless.makeEnvironment(), full.makeEnvironment())
        var (partialGenerator, wholeGenerator) = (SeededGenerator(seed: 9), SeededGenerator(seed: 9))
        var actions = SeededGenerator(seed: 10)
        var (seen, observed) = ([Float](repeating: 0, count: 2), [Float](repeating: 0, count: 4))
        func reset() {
            seen.withUnsafeMutableBufferPointer { partial.reset(using: &partialGenerator, into: $0) }
            observed.withUnsafeMutableBufferPointer { whole.reset(using: &wholeGenerator, into: $0) }
        }
        reset()
        var episodes = 0
        for _ in 0..<3_000 {
            XCTAssertEqual(seen, [observed[0], observed[2]])
            // Mostly pushing against the angle keeps some episodes alive to the time limit.
            let action: [Float] = [actions.nextUnitFloat() < 0.8 ? (observed[2] > 0 ? 1 : 0) : 0]
            let partialOutcome = action.withUnsafeBufferPointer { action in
                seen.withUnsafeMutableBufferPointer { partial.step(action, into: $0) }
            }
            let wholeOutcome = action.withUnsafeBufferPointer { action in
                observed.withUnsafeMutableBufferPointer { whole.step(action, into: $0) }
            }
            XCTAssertEqual(partialOutcome, wholeOutcome)
            if wholeOutcome.terminated || wholeOutcome.truncated {
                episodes += 1
                reset()
            }
        }
        XCTAssertGreaterThan(episodes, 5)
    }
}
