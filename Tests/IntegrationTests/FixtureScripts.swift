import Foundation
import ShoalRuntime

/// Runs `shoal train ARGUMENTS` in a new temporary runs directory named after `name` until it exits; throws unless it
/// exits 0. Returns the runs directory and the run.
func trainToTheEnd(_ name: String, _ arguments: [String], timeout: Double = 120)
    throws -> (runs: URL, run: RunDirectory)
{
    let runs = try temporaryDirectory(name)
    let train = try ShoalProcess(["train", "--runs-dir", runs.path] + arguments,
                                 log: runs.appendingPathComponent("train.log"))
    defer { train.kill() }
    let code = train.wait(timeout: timeout)
    guard code == 0 else {
        throw LiveRunError(description: "shoal train exited \(code.map(String.init) ?? "late"): \(train.output)")
    }
    return (runs, try onlyRun(in: runs))
}

/// What the script `Tests/Fixtures/<script>` printed when run with the tests' Python and `arguments`; throws with its
/// errors, naming `package` (which scripts/setup.sh installs), when it fails.
func runFixtureScript(_ script: String, _ arguments: [String], package: String) throws -> Data {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/\(script)").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [PythonEnvironmentServers.python, path] + arguments
    let (output, errors) = (Pipe(), Pipe())
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw LiveRunError(description: "\(script) failed (is \(package) installed? scripts/setup.sh):\n\(problems)")
    }
    return data
}
