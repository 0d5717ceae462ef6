import Foundation

extension Supervisor {
    /// The run as status.json describes it right now.
    func currentStatus(state: RunState, outcome: String? = nil, endedAt: Double? = nil) -> RunStatus {
        var status = RunStatus(
            runID: settings.runID, state: state, startedAt: startedAtUnixTime, endedAt: endedAt, outcome: outcome,
            supervisorPID: getpid(), processes: children.map(\.status), accounting: ledger.accounting,
            ledger: ledger)
        status.prometheus = prometheus?.address.description
        return status
    }

    /// Replaces status.json atomically. A failed write is logged, not fatal: the children matter more than the
    /// report, and the next write may succeed.
    func writeStatus(state: RunState, outcome: String? = nil, endedAt: Double? = nil) {
        nextStatusWrite = .now + settings.statusInterval
        let status = currentStatus(state: state, outcome: outcome, endedAt: endedAt)
        prometheus?.series.record(status, ignoredHeartbeats: ignoredHeartbeats)
        writePrometheusTargets(status)
        do {
            try status.write(to: settings.statusPath)
        } catch {
            log.error("cannot write \(settings.statusPath): \(error)")
        }
    }

    /// Lists the metrics endpoints for Prometheus's file-based discovery (`PrometheusTargets`) when they changed (a
    /// child asked for any free port has reported the one it got). A failed write is logged, not fatal.
    func writePrometheusTargets(_ status: RunStatus) {
        let addresses = PrometheusTargets.addresses(in: status)
        guard addresses != writtenTargets else { return }
        do {
            try PrometheusTargets.write(addresses, in: settings.runDirectory)
            writtenTargets = addresses
        } catch {
            log.error("cannot write \(PrometheusTargets.fileName) in \(settings.runDirectory): \(error)")
        }
    }
}
