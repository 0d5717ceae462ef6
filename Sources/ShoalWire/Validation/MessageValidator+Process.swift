extension MessageValidator {
    /// Checks an ack: run and the number of selective acknowledgements.
    public func validate(_ ack: Ack) throws(WireError) {
        try checkRunID(ack.runID)
        guard ack.seqs.count <= limits.maxAckSeqs else {
            throw WireError(
                .tooLarge("seqs"), "ack lists \(ack.seqs.count) seqs, the limit is \(limits.maxAckSeqs)")
        }
    }

    /// Checks a heartbeat: run, text lengths, number of stats and that they are finite.
    public func validate(_ heartbeat: Heartbeat) throws(WireError) {
        try checkRunID(heartbeat.runID)
        try checkText(heartbeat.host, field: "host")
        guard heartbeat.stats.count <= limits.maxStats else {
            throw WireError(
                .tooLarge("stats"), "heartbeat has \(heartbeat.stats.count) stats, the limit is \(limits.maxStats)")
        }
        // Every name before any value: a dictionary's order differs between two decodes of the same frame, and the
        // reason a frame is refused (and counted) under must not.
        for name in heartbeat.stats.keys {
            try checkText(name, field: "stats")
        }
        for (name, value) in heartbeat.stats where !value.isFinite {
            throw WireError(.nonFinite("stats"), "stat '\(name)' is \(value)")
        }
    }

    /// Checks a control command: run and reason length.
    public func validate(_ control: Control) throws(WireError) {
        try checkRunID(control.runID)
        try checkText(control.reason, field: "reason")
    }
}
