import Foundation
import ShoalCore

/// Injects faults into a live run, finding its processes through the run directory's status.json: SIGKILL, or
/// SIGSTOP and later SIGCONT, by process name ("learner", "actor-1", "supervisor"). Used by `shoal chaos` and by the
/// fault-injection tests, so users and tests drive faults the same way.
public struct ChaosDriver {
    /// One fault.
    public enum Fault: String, Sendable, CaseIterable {
        /// SIGKILL: the process dies at once, mid-whatever it was doing.
        case kill
        /// SIGSTOP: the process freezes (no heartbeats, no messages) until continued.
        case stop
        /// SIGCONT: a stopped process resumes.
        case resume
    }

    public let run: RunDirectory

    public init(run: RunDirectory) {
        self.run = run
    }

    /// The current pid of a process by name, from status.json ("supervisor" is the supervisor itself).
    public func pid(of name: String) throws -> Int32 {
        let status = try RunStatus.read(from: run.statusPath)
        if name == "supervisor" { return status.supervisorPID }
        guard let process = status.processes.first(where: { $0.name == name }) else {
            let names = ["supervisor"] + status.processes.map(\.name)
            throw ShoalRuntimeError(.noSuchProcess, subject: name,
                                    reason: "processes: \(names.joined(separator: ", "))")
        }
        guard let pid = process.pid else {
            throw ShoalRuntimeError(.processNotRunning, subject: name, reason: "state: \(process.state.rawValue)")
        }
        return pid
    }

    /// Names of the processes status.json lists as running.
    public func runningProcesses() throws -> [String] {
        try RunStatus.read(from: run.statusPath).processes.filter { $0.state == .running }.map(\.name)
    }

    /// Applies `fault` to the process `name`; returns the pid it hit.
    @discardableResult
    public func inject(_ fault: Fault, into name: String) throws -> Int32 {
        let pid = try pid(of: name)
        let signal: Int32 = switch fault {
        case .kill: SIGKILL
        case .stop: SIGSTOP
        case .resume: SIGCONT
        }
        guard Foundation.kill(pid, signal) == 0 else {
            throw ShoalRuntimeError(.cannotSignal, subject: name,
                                    reason: "cannot signal \(name) (pid \(pid)): \(String(cString: strerror(errno)))")
        }
        return pid
    }
}
