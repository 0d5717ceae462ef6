import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `shoal status` prints: the run, each supervised process and the rollout accounting.
public enum StatusReport {
    /// The report for `status` at unix time `now`; `supervisorAlive` is nil when it cannot be known (another host).
    public static func render(_ status: RunStatus, now: Double, supervisorAlive: Bool?) -> String {
        render(status, now: now, supervisorAlive: supervisorAlive, alone: true)
    }

    /// One host's report; `alone` when no other host's is shown with it.
    private static func render(_ status: RunStatus, now: Double, supervisorAlive: Bool?, alone: Bool) -> String {
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
        if let endpoints = prometheusTable(status) { lines.append(endpoints) }
        lines.append("")
        lines.append(accountingTable(status.accounting))
        if alone, let ledger = status.ledger, !ledger.coversLearnerAndActors {
            lines.append("note: this host's processes only; for a run across hosts, give `shoal status` every "
                + "host's run directory to account for the whole run")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report for one run's hosts (one status each, as `(where, status, supervisorAlive)`): each host's report,
    /// then the accounting of the whole run from their merged ledgers. Fails, naming the file, on a status of
    /// another run or without a ledger (written by an older version).
    public static func render(hosts: [(path: String, status: RunStatus, supervisorAlive: Bool?)], now: Double)
        throws(ShoalRuntimeError) -> String
    {
        guard let first = hosts.first else { return "" }
        var ledger = RolloutLedger()
        for host in hosts {
            guard host.status.runID == first.status.runID else {
                throw ShoalRuntimeError(.incompatible, subject: host.path,
                                        reason: "it is of run '\(host.status.runID)', not '\(first.status.runID)'")
            }
            guard let hostLedger = host.status.ledger else {
                throw ShoalRuntimeError(.incompatible, subject: host.path,
                                        reason: "it has no rollout ledger (written by an older shoal): cannot merge it")
            }
            ledger.merge(hostLedger)
        }
        let reports = hosts.map {
            "== \($0.path)\n" + render($0.status, now: now, supervisorAlive: $0.supervisorAlive, alone: false)
        }
        return reports.joined(separator: "\n") + "\n== whole run (\(hosts.count) hosts)\n"
            + accountingTable(ledger.accounting) + "\n"
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

    /// Where each process serves Prometheus metrics, if any does.
    private static func prometheusTable(_ status: RunStatus) -> String? {
        let served = [("supervisor", status.prometheus)] + status.processes.map { ($0.name, $0.prometheus) }
        let rows = served.compactMap { name, address in
            address.map { ["  \(name)", (try? MetricsAddress(parsing: $0).url) ?? $0] }
        }
        return rows.isEmpty ? nil : "prometheus:\n" + TextTable(rows: rows).rendered()
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
