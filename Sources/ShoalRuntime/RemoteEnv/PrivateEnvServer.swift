import Foundation
import Glibc
import ShoalWire

/// An environment server of a config's served environment that this process starts for itself, on an ipc socket in
/// a fresh private directory, and stops: how a learner asks what the environment looks like, and how `shoal eval`
/// steps it. It sends no heartbeats and dies with this process.
final class PrivateEnvServer {
    /// Where it serves.
    let endpoint: String
    /// The command it runs, for messages.
    let commandLine: String
    private let directory: String
    private let pid: pid_t
    private var exited = false

    /// Starts a server of `config`'s environment hosting `numEnvs` environments.
    init(config: TrainingConfig, numEnvs: Int) throws(ShoalRuntimeError) {
        var template = Array("/tmp/shoal-env-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ShoalRuntimeError(.environmentServer, subject: config.env,
                                    reason: "no temporary directory: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        endpoint = "ipc://\(directory)/env.sock"
        let command = config.environmentServerCommandLine(endpoint: endpoint, index: 0, numEnvs: numEnvs)
        commandLine = command.joined(separator: " ")
        do {
            var environment = ProcessSpawner.environment(adding: ["SHOAL_SUPERVISOR_PID": "\(getpid())"])
            environment["SHOAL_SUPERVISOR"] = nil
            pid = try ProcessSpawner.spawn(executable: command[0], arguments: Array(command.dropFirst()),
                                           environment: environment, logPath: "\(directory)/server.log")
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw ShoalRuntimeError(.environmentServer, subject: config.env,
                                    reason: "cannot start \(command[0]): \(String(cString: strerror(error.errno)))")
        }
    }

    /// Whether the server is still running.
    var isRunning: Bool {
        var status: Int32 = 0
        exited = exited || waitpid(pid, &status, WNOHANG) == pid
        return !exited
    }

    /// The last lines it wrote, to explain a failure.
    var outputTail: String {
        let output = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
        return output.split(separator: "\n").suffix(20).joined(separator: "\n")
    }

    /// `error` with the end of the server's output added.
    func explaining(_ error: ShoalRuntimeError) -> ShoalRuntimeError {
        let tail = outputTail
        return ShoalRuntimeError(.environmentServer, subject: commandLine,
                                 reason: "\(error.reason)\(tail.isEmpty ? "" : "; its output ends:\n\(tail)")")
    }

    /// Stops the server and removes its directory.
    func stop() {
        if isRunning {
            var status: Int32 = 0
            kill(pid, SIGTERM)
            waitpid(pid, &status, 0)
            exited = true
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
