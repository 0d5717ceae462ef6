import Foundation
import ShoalWire

/// Writes the learner's metrics as a TensorBoard event file in a run's directory, beside metrics.jsonl:
/// `events.out.tfevents.<unix time>.<host>.<pid>.shoal`, one file per learner start (a resumed run adds a file to the
/// same folder, its steps continuing), opened with the resolved config as a text summary. Each record is one append of
/// whole TFRecords, so a file cut by a crash still holds every record before the cut.
public final class TensorBoardWriter: Sendable {
    /// The event file.
    public var path: String { file.path }
    private let file: AppendOnlyFile

    /// Starts an event file in `directory` with the file-version record and `config` as the text summary `config`
    /// at `step`.
    public init(directory: String, config: String, step: Int, time: Double = Date().timeIntervalSince1970)
        throws(ShoalRuntimeError)
    {
        let host = ProcessInfo.processInfo.hostName
        let name = "events.out.tfevents.\(Int(time)).\(host).\(ProcessInfo.processInfo.processIdentifier).shoal"
        file = try AppendOnlyFile(path: "\(directory)/\(name)")
        try file.append(TensorBoardRecords.fileVersion(wallTime: time)
            + TensorBoardRecords.text("```yaml\n\(config)```", tag: "config", step: step, wallTime: time))
    }

    /// Appends one record of scalars: each metric under its own name as the tag, at `step` (environment steps).
    public func record(_ values: [String: Double], step: Int, time: Double = Date().timeIntervalSince1970)
        throws(ShoalRuntimeError)
    {
        try file.append(TensorBoardRecords.scalars(values, step: step, wallTime: time))
    }

    /// Closes the file; records after this are a programming error.
    public func close() {
        file.close()
    }
}
