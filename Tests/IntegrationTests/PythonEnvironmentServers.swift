import Foundation
import XCTest

/// The Python that runs environment servers in the tests ($SHOAL_TEST_PYTHON, else python3), which must have the
/// `shoal-env` package (`scripts/setup.sh` installs it), and the test's own environments and servers.
enum PythonEnvironmentServers {
    static var python: String { ProcessInfo.processInfo.environment["SHOAL_TEST_PYTHON"] ?? "python3" }

    /// Tests/Fixtures/envs: environments that fail on purpose and a server that answers badly.
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/envs")
    }

    /// Variables that let servers import the fixtures' modules.
    static var environment: [String: String] {
        let existing = ProcessInfo.processInfo.environment["PYTHONPATH"].map { ":\($0)" } ?? ""
        return ["PYTHONPATH": fixtures.path + existing]
    }

    /// Throws (failing the test), saying what to do, when `python` cannot import shoal_env.
    static func requireShoalEnv() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [python, "-c", "import shoal_env"]
        try check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            throw LiveRunError(description: "\(python) cannot import shoal_env: run scripts/setup.sh "
                               + "(or pip install ./python)")
        }
    }

    /// A server started by hand: `python ARGUMENTS…`, its output in `log`.
    static func start(_ arguments: [String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python] + arguments
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { $1 }
        process.environment = variables
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        (process.standardOutput, process.standardError) = (handle, handle)
        try process.run()
        return process
    }
}
