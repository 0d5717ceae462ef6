/// The end-of-run summary `shoal train` prints.
public enum TrainingRunReport {
    public static func render(_ summary: TrainingRunSummary) -> String {
        var lines = ["\(summary.outcome.runState.rawValue): \(summary.outcome.reason)"]
        if let progress = summary.progress {
            lines.append(ProgressDisplay.format(progress))
            if progress.elapsedSeconds > 0 {
                let average = Double(progress.envSteps) / progress.elapsedSeconds
                lines.append("average: \(Int(average.rounded())) env steps/s over \(fixed(progress.elapsedSeconds, 1)) s")
            }
        }
        let accounting = summary.accounting
        let dropped = accounting.dropped.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        lines.append(
            "rollouts: produced=\(accounting.produced) received=\(accounting.received) "
                + "consumed=\(accounting.consumed) dropped={\(dropped.joined(separator: ", "))} "
                + "duplicates=\(accounting.duplicates) in_flight=\(accounting.inFlight) "
                + "adds_up=\(accounting.addsUp ? "yes" : "no (off by \(accounting.imbalance))")")
        return lines.joined(separator: "\n")
    }
}
