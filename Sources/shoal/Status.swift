import ArgumentParser
import Foundation
import ShoalRuntime

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each process and the rollout accounting of a live or finished run.",
        discussion: """
            A run across hosts has a run directory per host, each with its own processes. Give them all (e.g. the \
            copies `cluster/launch.sh logs` fetches) to see every host and the accounting of the whole run, merged \
            from each host's ledger.
            """
    )

    @Argument(help: "The run directory (or its status.json); several for a run across hosts.")
    var runDirectories: [String]

    @Flag(help: "Print status.json as written (one run directory only).")
    var json = false

    func validate() throws {
        guard !runDirectories.isEmpty else { throw ValidationError("give a run directory") }
        if json && runDirectories.count > 1 { throw ValidationError("--json takes one run directory") }
    }

    func run() throws {
        do {
            let now = Date().timeIntervalSince1970
            var hosts: [(path: String, status: RunStatus, supervisorAlive: Bool?)] = []
            for directory in runDirectories {
                let path = StatusReport.statusPath(forArgument: directory)
                let data = try RunStatus.readStatusBytes(at: path)
                if json {
                    FileHandle.standardOutput.write(data)
                    return
                }
                let status = try RunStatus.decode(data, from: path)
                // Another host's supervisor pid says nothing about this host's processes.
                let alive = runDirectories.count == 1 ? StatusReport.isAlive(pid: status.supervisorPID) : nil
                hosts.append((path, status, alive))
            }
            let report = hosts.count == 1
                ? StatusReport.render(hosts[0].status, now: now, supervisorAlive: hosts[0].supervisorAlive)
                : try StatusReport.render(hosts: hosts, now: now)
            print(report, terminator: "")
            for (path, _, _) in hosts {
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
                let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                if files.contains(where: { $0.hasPrefix("events.out.tfevents.") }) {
                    print("tensorboard: tensorboard --logdir \(directory)")
                }
            }
        } catch {
            FileHandle.standardError.write(Data("shoal status: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
