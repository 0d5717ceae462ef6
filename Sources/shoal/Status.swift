import ArgumentParser
import Foundation
import ShoalRuntime

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each process and the rollout accounting of a live or finished run."
    )

    @Argument(help: "The run directory (or its status.json).")
    var runDirectory: String

    @Flag(help: "Print status.json as written.")
    var json = false

    func run() throws {
        let path = StatusReport.statusPath(forArgument: runDirectory)
        do {
            let data = try RunStatus.readStatusBytes(at: path)
            let status = try RunStatus.decode(data, from: path)
            if json {
                FileHandle.standardOutput.write(data)
            } else {
                let alive = StatusReport.isAlive(pid: status.supervisorPID)
                print(StatusReport.render(status, now: Date().timeIntervalSince1970, supervisorAlive: alive),
                      terminator: "")
            }
        } catch {
            FileHandle.standardError.write(Data("shoal status: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
