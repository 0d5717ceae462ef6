import XCTest

@testable import ShoalRuntime

final class SupervisionRestartPolicyTests: XCTestCase {
    private let exact = RestartPolicy(
        maxRestarts: 3, window: .seconds(10), initialBackoff: .milliseconds(250), maxBackoff: .seconds(8), jitter: 0)

    func testBackoffDoublesUpToTheCap() {
        let delays = (0..<8).map { exact.backoff(afterRecentRestarts: $0, randomUnit: 0).seconds }
        for (count, delay) in delays.enumerated() {
            XCTAssertEqual(delay, min(0.25 * Double(1 << count), 8), accuracy: 1e-9, "after \(count) restarts")
        }
        XCTAssertEqual(delays.last, 8, "long since capped")
    }

    func testBackoffSaturatesInsteadOfOverflowing() {
        XCTAssertEqual(exact.backoff(afterRecentRestarts: 10_000, randomUnit: 0), exact.maxBackoff)
    }

    func testJitterOnlyShortensTheDelay() {
        var policy = exact
        policy.jitter = 0.2
        for count in [0, 3, 20] {
            let base = exact.backoff(afterRecentRestarts: count, randomUnit: 0).seconds
            let longest = policy.backoff(afterRecentRestarts: count, randomUnit: 0).seconds
            let shortest = policy.backoff(afterRecentRestarts: count, randomUnit: 0.999_999).seconds
            XCTAssertEqual(longest, base, accuracy: 1e-9)
            XCTAssertEqual(shortest, base * 0.8, accuracy: base * 1e-5)
            XCTAssertLessThanOrEqual(policy.backoff(afterRecentRestarts: count, randomUnit: 0.5).seconds, base)
        }
    }

    func testGivesUpOnTheFailureAfterMaxRestartsWithinTheWindow() {
        var budget = RestartBudget(policy: exact)
        var generator = SystemRandomNumberGenerator()
        let start = ContinuousClock.now
        let decisions = (0..<4).map { second in
            budget.recordExit(at: start + .seconds(second), using: &generator)
        }
        XCTAssertEqual(decisions[0], .restart(after: .milliseconds(250)))
        XCTAssertEqual(decisions[1], .restart(after: .milliseconds(500)))
        XCTAssertEqual(decisions[2], .restart(after: .seconds(1)))
        XCTAssertEqual(decisions[3], .giveUp(restarts: 3))
    }

    func testRestartsOlderThanTheWindowNoLongerCount() {
        var budget = RestartBudget(policy: exact)
        var generator = SystemRandomNumberGenerator()
        let start = ContinuousClock.now
        for second in 0..<3 {
            _ = budget.recordExit(at: start + .seconds(second), using: &generator)
        }
        // The first restart happened at 0.25 s, so it leaves the 10 s window just after 10.25 s; the other two
        // still count, and so set the delay.
        XCTAssertEqual(budget.recordExit(at: start + .seconds(10.3), using: &generator), .restart(after: .seconds(1)))
        XCTAssertEqual(budget.restartTimes.count, 3)
    }

    func testAQuietWindowResetsTheBackoff() {
        var budget = RestartBudget(policy: exact)
        var generator = SystemRandomNumberGenerator()
        let start = ContinuousClock.now
        _ = budget.recordExit(at: start, using: &generator)
        _ = budget.recordExit(at: start + .seconds(1), using: &generator)
        XCTAssertEqual(
            budget.recordExit(at: start + .seconds(60), using: &generator), .restart(after: .milliseconds(250)))
    }

    func testZeroRestartsGivesUpAtOnce() {
        var policy = exact
        policy.maxRestarts = 0
        var budget = RestartBudget(policy: policy)
        var generator = SystemRandomNumberGenerator()
        XCTAssertEqual(budget.recordExit(at: .now, using: &generator), .giveUp(restarts: 0))
    }

    func testJitteredDelaysStayWithinBounds() {
        var policy = exact
        policy.jitter = 0.5
        policy.maxRestarts = 100
        var budget = RestartBudget(policy: policy)
        var generator = SystemRandomNumberGenerator()
        let start = ContinuousClock.now
        for count in 0..<6 {
            guard case .restart(let delay) = budget.recordExit(at: start + .milliseconds(count), using: &generator)
            else { return XCTFail("gave up after \(count) restarts") }
            let base = exact.backoff(afterRecentRestarts: count, randomUnit: 0)
            XCTAssertLessThanOrEqual(delay, base)
            XCTAssertGreaterThanOrEqual(delay, base / 2)
        }
    }
}
