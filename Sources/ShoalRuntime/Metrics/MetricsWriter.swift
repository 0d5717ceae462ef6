import Foundation

/// Appends metrics to a JSON-lines file, one object per record:
/// `{"time": <unix seconds>, "step": <env steps>, "charts/SPS": 4012.5, "losses/policy_loss": -0.02, ...}`.
///
/// Each record is one whole line appended to an `AppendOnlyFile`, so a reader sees it as soon as `record` returns, a
/// crash loses at most the line being written, and several processes may append to the same file without
/// interleaving lines. A non-finite value is written as `null` (read back as NaN): a diverging loss stays visible.
public final class MetricsWriter: Sendable {
    /// The metrics file.
    public var path: String { file.path }
    private let file: AppendOnlyFile

    /// Opens `path` for appending, creating it if needed; a resumed run continues the same file.
    public init(path: String) throws(ShoalRuntimeError) {
        file = try AppendOnlyFile(path: path)
        // A crash may have cut the last line short: start on a fresh line so that the next record stays whole.
        if let last = file.lastByte, last != UInt8(ascii: "\n") {
            try file.append(Array("\n".utf8))
        }
    }

    /// Appends one record. `values` maps metric names (`charts/SPS`, `losses/policy_loss`, `lag/...`, `queue/...`) to
    /// values; the names `time` and `step` are taken by the record itself.
    public func record(_ values: [String: Double], step: Int, time: Double = Date().timeIntervalSince1970)
        throws(ShoalRuntimeError)
    {
        precondition(values["time"] == nil && values["step"] == nil, "'time' and 'step' are not metric names")
        var line = "{\"time\": \(Self.json(time)), \"step\": \(step)"
        for name in values.keys.sorted() {
            line += ", \(name.jsonQuoted): \(Self.json(values[name]!))"
        }
        line += "}\n"
        try file.append(Array(line.utf8))
    }

    /// Closes the file; records after this are a programming error.
    public func close() {
        file.close()
    }

    /// A JSON number, or null for NaN and infinities, which JSON cannot spell.
    private static func json(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}
