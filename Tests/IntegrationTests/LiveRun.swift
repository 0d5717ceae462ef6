import Foundation
import ShoalCore
import ShoalRuntime
import XCTest

/// A `shoal train` run in progress, for fault-injection tests: its process, run directory and status, and a
/// `ChaosDriver` to hit its processes the way `shoal chaos` does.
final class LiveRun {
    /// Heartbeats, timeouts, re-sends and checkpoints fast enough for tests to see faults handled in seconds.
    static let fastSettings = [
        "--set", "heartbeatSeconds=0.2", "--set", "heartbeatTimeoutSeconds=1.5", "--set", "resendSeconds=1",
        "--set", "checkpointSeconds=0.5",
    ]

    let runs: URL
    let train: ShoalProcess
    private(set) var run: RunDirectory!

    /// Starts `shoal train` with the fast settings and `arguments` (and `environment` added to its variables), and
    /// waits until every process is running.
    init(_ name: String, _ arguments: [String], processes: Int = 3, environment: [String: String] = [:]) throws {
        runs = try temporaryDirectory(name)
        train = try ShoalProcess(["train", "--runs-dir", runs.path] + Self.fastSettings + arguments,
                                 log: runs.appendingPathComponent("train.log"), environment: environment)
        run = try waitForRunDirectory()
        try waitUntil("\(processes) running processes", timeout: 60) {
            $0.processes.filter { $0.state == .running }.count == processes
        }
    }

    var chaos: ChaosDriver { ChaosDriver(run: run) }

    var status: RunStatus {
        get throws { try RunStatus.read(from: run.statusPath) }
    }

    func process(_ name: String) throws -> ProcessStatus {
        try XCTUnwrap(try status.processes.first { $0.name == name }, "no \(name) in status")
    }

    /// A learner stat from the latest status.
    func learnerStat(_ key: String) throws -> Double {
        try process("learner").stats[key] ?? 0
    }

    /// Polls status.json until `condition` holds; returns that status.
    @discardableResult
    func waitUntil(_ what: String, timeout: Double, _ condition: (RunStatus) throws -> Bool) throws -> RunStatus {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = try? status, try condition(status) { return status }
            usleep(50_000)
        }
        throw LiveRunError(description: "timed out after \(timeout) s waiting for \(what); \(train.output.suffix(2_000))")
    }

    /// Ctrl-C, then waits for the exit; returns the exit status and the final status.json.
    func interrupt() throws -> (exitCode: Int32?, status: RunStatus) {
        train.signal(SIGINT)
        let code = train.wait(timeout: 60)
        return (code, try status)
    }

    /// The text of a process's log file.
    func log(of name: String) throws -> String {
        try String(contentsOfFile: run.logPath(for: name), encoding: .utf8)
    }

    deinit {
        train.kill()
    }

    private func waitForRunDirectory() throws -> RunDirectory {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: runs.path))?
                .filter { !$0.hasSuffix(".log") } ?? []
            if names.count == 1, let run = try? RunDirectory.open(runs.appendingPathComponent(names[0]).path),
               FileManager.default.fileExists(atPath: run.statusPath) {
                return run
            }
            usleep(50_000)
        }
        throw LiveRunError(description: "no run directory under \(runs.path): \(train.output)")
    }
}

struct LiveRunError: Error, CustomStringConvertible {
    let description: String
}

/// Asserts the run's rollout accounting: produced = consumed + dropped by reason + in flight.
func XCTAssertAccountingAddsUp(_ accounting: RolloutAccounting, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(accounting.addsUp, "accounting off by \(accounting.imbalance): \(accounting)", file: file, line: line)
    XCTAssertGreaterThan(accounting.consumed, 0, file: file, line: line)
}
