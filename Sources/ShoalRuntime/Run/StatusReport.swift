import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `shoal status` prints: the run, each supervised process and the rollout accounting.
public enum StatusReport {
    /// The report for `status` at unix time `now`; `supervisorAlive` is nil when it cannot be known (another host).
    public static func render(_ status: RunStatus, now: Double, supervisorAlive: Bool?) -> String {
        let elapsed = (status.endedAt ?? now) - status.startedAt
        let liveness = supervisorAlive.map { $0 ? "alive" : "not running" } ?? "unknown"
        var lines = [
            TextTable(rows: [
                ["run:", status.runID],
                ["state:", status.state.rawValue],
                ["outcome:", status.outcome ?? "-"],
                ["elapsed:", "\(fixed(elapsed, 1)) s"],
                ["supervisor:", "pid \(status.supervisorPID), \(liveness)"],
            ]).rendered(),
        ]
        if status.state == .running && supervisorAlive == false {
            lines.append("warning: the status says running but its supervisor is gone (killed or crashed): "
                + "this status is stale")
        }
        lines.append("")
        lines.append(processTable(status.processes, now: now))
        let exits = status.processes.compactMap { process in process.lastExit.map { "  \(process.name): \($0)" } }
        if !exits.isEmpty {
            lines.append("last exits:")
            lines.append(contentsOf: exits)
        }
        lines.append("")
        lines.append(accountingTable(status.accounting))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether a process with this pid exists on this host (signal 0 checks without sending; EPERM means it exists
    /// but belongs to someone else).
    public static func isAlive(pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }

    /// The status file a `shoal status` argument names: `<run dir>/status.json`, or the argument itself when it is
    /// not a directory.
    public static func statusPath(forArgument argument: String) -> String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory)
        return exists && !isDirectory.boolValue ? argument : "\(argument)/status.json"
    }

    private static func processTable(_ processes: [ProcessStatus], now: Double) -> String {
        var rows = [["NAME", "ROLE", "PID", "STATE", "RESTARTS", "INCARNATION", "HEARTBEAT", "STATS"]]
        for process in processes {
            let heartbeat = process.lastHeartbeat.map { "\(fixed(now - $0, 1)) s ago" } ?? "-"
            let stats = process.stats.keys.sorted().map { "\($0)=\(number(process.stats[$0]!))" }
            rows.append([
                process.name, process.role, process.pid.map(String.init) ?? "-", process.state.rawValue,
                "\(process.restarts)", "\(process.incarnation)", heartbeat,
                stats.isEmpty ? "-" : stats.joined(separator: " "),
            ])
        }
        return TextTable(rows: rows).rendered()
    }

    private static func accountingTable(_ accounting: RolloutAccounting) -> String {
        let reasons = accounting.dropped.keys.sorted().map { "\($0) \(accounting.dropped[$0]!)" }
        let byReason = reasons.isEmpty ? "" : " (\(reasons.joined(separator: ", ")))"
        let balance = "produced \(accounting.produced) = consumed \(accounting.consumed) + dropped "
            + "\(accounting.totalDropped) + in flight \(accounting.inFlight)"
        let verdict = accounting.addsUp
            ? "yes (\(balance))"
            : "no (\(balance.replacingOccurrences(of: " = ", with: " ≠ ")); off by \(accounting.imbalance))"
        return TextTable(rows: [
            ["rollouts:", "produced \(accounting.produced), received \(accounting.received), consumed "
                + "\(accounting.consumed), in flight \(accounting.inFlight), duplicates \(accounting.duplicates)"],
            ["dropped:", "\(accounting.totalDropped)\(byReason)"],
            ["adds up:", verdict],
        ]).rendered()
    }

    /// A stat as an integer when it is one, else with two decimals.
    private static func number(_ value: Double) -> String {
        if value.isFinite && value == value.rounded() && abs(value) < 1e15 { return "\(Int64(value))" }
        return fixed(value, 2)
    }
}
