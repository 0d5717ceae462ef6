import ArgumentParser
import Foundation
import Glibc
import ShoalRuntime

struct EnvServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env-server",
        abstract: "Become an environment server of the config's served environment, listening at ENDPOINT.",
        discussion: """
            Runs (in this process's place) the server `shoal train` would start for the config's env: `shoal-env \
            serve` in pythonExecutable for gymnasium: and python:, the program itself for exec:, with the config's \
            envsPerServer, envArgs and heartbeat period. For servers started apart: a Kubernetes sidecar, or by hand \
            beside `shoal actor --env-servers`.
            """
    )

    @Argument(help: "Endpoint to bind, e.g. tcp://127.0.0.1:6000 or ipc:///tmp/env-0.sock.")
    var endpoint: String

    @OptionGroup var settings: ConfigOptions

    @Option(help: "This server's index, named in its heartbeats.")
    var id = 0

    func run() throws {
        let resolved = try settings.resolvedConfig()
        guard try asUsageError({ () throws(ShoalRuntimeError) in try resolved.environmentSource() }) == .served else {
            throw ValidationError("env '\(resolved.env)' is not served: expected gymnasium:, python: or exec:")
        }
        let command = resolved.environmentServerCommandLine(endpoint: endpoint, index: id)
        var argv = command.map { strdup($0) } + [nil]
        execvp(command[0], &argv)
        throw ValidationError("cannot run \(command[0]): \(String(cString: strerror(errno)))")
    }
}
