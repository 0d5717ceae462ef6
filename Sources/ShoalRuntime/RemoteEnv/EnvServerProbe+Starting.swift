import Foundation
import Glibc
import ShoalWire

extension EnvServerProbe {
    /// The spec of `config`'s served environment, asked of a one-environment server started here for the purpose
    /// (in a fresh private directory) and stopped after: how a learner sizes its network when the environment
    /// servers run beside the actors on other hosts. Throws with the end of the server's output when it fails.
    public static func describe(startingServerOf config: TrainingConfig, wait: Duration) throws -> EnvServerSpec {
        var template = Array("/tmp/shoal-describe-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ShoalRuntimeError(.environmentServer, subject: config.env,
                                    reason: "no temporary directory: \(String(cString: strerror(errno)))")
        }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logPath = "\(directory)/server.log"
        let command = config.environmentServerCommandLine(
            endpoint: "ipc://\(directory)/env.sock", index: 0, numEnvs: 1)
        let pid: pid_t
        do {
            // It sends no heartbeats (no SHOAL_SUPERVISOR) and dies with this process, its parent.
            var environment = ProcessSpawner.environment(adding: ["SHOAL_SUPERVISOR_PID": "\(getpid())"])
            environment["SHOAL_SUPERVISOR"] = nil
            pid = try ProcessSpawner.spawn(executable: command[0], arguments: Array(command.dropFirst()),
                                           environment: environment, logPath: logPath)
        } catch {
            throw ShoalRuntimeError(.environmentServer, subject: config.env,
                                    reason: "cannot start \(command[0]): \(String(cString: strerror(error.errno)))")
        }
        var status: Int32 = 0
        var exited = false
        defer {
            if !exited {
                kill(pid, SIGTERM)
                waitpid(pid, &status, 0)
            }
        }
        do {
            return try describe(endpoint: "ipc://\(directory)/env.sock", wait: wait,
                                attempt: .seconds(config.envTimeoutSeconds)) {
                exited = exited || waitpid(pid, &status, WNOHANG) == pid
                return !exited
            }
        } catch let error as ShoalRuntimeError {
            let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            let tail = output.split(separator: "\n").suffix(20).joined(separator: "\n")
            throw ShoalRuntimeError(.environmentServer, subject: command.joined(separator: " "),
                                    reason: "\(error.reason)\(tail.isEmpty ? "" : "; its output ends:\n\(tail)")")
        }
    }
}
