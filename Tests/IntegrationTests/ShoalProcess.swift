import Foundation
import ShoalRuntime
import XCTest

/// A `shoal` child process for integration tests, its stderr captured to a file.
final class ShoalProcess {
    let process = Process()
    let logURL: URL

    /// Starts `shoal arguments…` with `OPENBLAS_NUM_THREADS=1`, through `launcher` if given (e.g.
    /// `ip netns exec NS`, to run it on another test host).
    init(_ arguments: [String], log: URL, environment extra: [String: String] = [:], launcher: [String] = []) throws {
        logURL = log
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [ShoalBinary.url.path] + arguments
        } else {
            process.executableURL = ShoalBinary.url
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` to the process.
    func signal(_ signal: Int32) {
        Glibc.kill(process.processIdentifier, signal)
    }

    /// Waits until the process exits or `timeout` passes; returns its exit status, nil on timeout.
    @discardableResult
    func wait(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Everything the process wrote so far.
    var output: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Kills the process if it is still running (test cleanup).
    func kill() {
        if process.isRunning { signal(SIGKILL) }
        _ = wait(timeout: 5)
    }
}

/// A fresh temporary directory for one test.
func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The one run directory under `runs`; throws while there is none (or more than one).
func onlyRun(in runs: URL) throws -> RunDirectory {
    let names = try FileManager.default.contentsOfDirectory(atPath: runs.path)
        .filter { !$0.hasSuffix(".log") }
    guard names.count == 1 else { throw Timeout(what: "exactly one run directory in \(runs.path): \(names)") }
    return try RunDirectory.open(runs.appendingPathComponent(names[0]).path)
}

/// Something awaited did not come in time.
struct Timeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}
