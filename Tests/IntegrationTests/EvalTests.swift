import Foundation
import ShoalCore
import ShoalRuntime
import XCTest

/// `shoal eval` on finished and live runs, on built-in and served environments.
final class EvalTests: XCTestCase {
    private struct Result: Decodable {
        var episodes: Int
        var returns: [Double]
        var lengths: [Int]
        var return_mean: Double
        var policy_version: UInt64
        var greedy: Bool
    }

    /// A solved CartPole run's policy, greedy, keeps the pole up (≥ 400 of 500 on average), on the built-in
    /// environment and on gymnasium's through an environment server.
    func testASolvedRunsPolicyBalancesThePoleOnBuiltInAndServedEnvironments() throws {
        let (runs, run) = try trainToTheEnd("eval", [])
        let greedy = try eval(run.path, ["--episodes", "20", "--greedy"], in: runs)
        XCTAssertEqual(greedy.episodes, 20)
        XCTAssertEqual(greedy.returns.count, 20)
        XCTAssertTrue(greedy.greedy)
        XCTAssertGreaterThanOrEqual(greedy.return_mean, 400)
        XCTAssertEqual(greedy.returns, greedy.lengths.map(Double.init), "CartPole pays 1 a step")

        let served = try eval(run.path, ["--episodes", "8", "--greedy", "--set", "env=gymnasium:CartPole-v1",
                                         "--set", "pythonExecutable=\(PythonEnvironmentServers.python)"], in: runs)
        XCTAssertEqual(served.episodes, 8)
        XCTAssertGreaterThanOrEqual(served.return_mean, 400)
    }

    /// On a live run it reads the newest complete checkpoint while the learner goes on writing them.
    func testALiveRunIsEvaluatedFromItsNewestCompleteCheckpoint() throws {
        let live = try LiveRun("eval-live", ["--set", "targetReturn=none", "--max-seconds", "120"])
        defer { live.train.kill() }
        _ = try live.waitUntil("a checkpoint past version 0", timeout: 60) { _ in
            (try? CheckpointStore(directory: live.run.checkpointsPath).list().count) ?? 0 > 1
        }
        for _ in 0..<3 {
            let result = try eval(live.run.path, ["--episodes", "4"], in: live.runs)
            XCTAssertEqual(result.episodes, 4)
            XCTAssertGreaterThan(result.policy_version, 0)
        }
    }

    /// A barely trained policy's sampled episodes repeat exactly with one seed and differ with another; an
    /// environment the policy cannot act in, a remote one without a server, and a missing run are refused by name.
    func testSeedsRepeatEpisodesAndMismatchesAreRefusedNamingTheProblem() throws {
        let (runs, run) = try trainToTheEnd("eval-bad", ["--max-env-steps", "20000", "--set", "targetReturn=none"])
        let sampled = try eval(run.path, ["--episodes", "10", "--seed", "5"], in: runs)
        XCTAssertEqual(try eval(run.path, ["--episodes", "10", "--seed", "5"], in: runs).returns, sampled.returns)
        XCTAssertNotEqual(try eval(run.path, ["--episodes", "10", "--seed", "6"], in: runs).returns, sampled.returns)
        let cases = [
            (["--set", "env=Pendulum-v1"], "does not fit"),
            (["--set", "env=remote", "--set", "envServers=[tcp://127.0.0.1:1]"], "--env-server"),
            (["--episodes", "0"], "must be positive"),
        ]
        for (arguments, message) in cases {
            let process = try ShoalProcess(["eval", run.path] + arguments, log: runs.appendingPathComponent("bad.log"))
            XCTAssertEqual(process.wait(timeout: 60), 2, arguments.joined(separator: " "))
            XCTAssertTrue(process.output.contains(message), "\(arguments): \(process.output)")
        }
        let missing = try ShoalProcess(["eval", runs.appendingPathComponent("nothing").path],
                                       log: runs.appendingPathComponent("missing.log"))
        XCTAssertEqual(missing.wait(timeout: 30), 2)
        XCTAssertTrue(missing.output.contains("no such run directory or checkpoint"), missing.output)
    }

    private func eval(_ source: String, _ arguments: [String], in runs: URL) throws -> Result {
        let log = runs.appendingPathComponent("eval-\(UUID().uuidString.prefix(6)).log")
        let process = try ShoalProcess(["eval", source, "--json"] + arguments, log: log)
        defer { process.kill() }
        guard process.wait(timeout: 120) == 0 else {
            throw LiveRunError(description: "shoal eval \(arguments) failed: \(process.output)")
        }
        let line = try XCTUnwrap(process.output.split(separator: "\n").last { $0.hasPrefix("{") })
        return try JSONDecoder().decode(Result.self, from: Data(line.utf8))
    }
}
