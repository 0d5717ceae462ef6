import Foundation

/// One line of a run's metrics file.
public struct MetricsRecord: Sendable, Equatable {
    /// Unix time (seconds) the record was written.
    public var time: Double
    /// Environment steps so far.
    public var step: Int
    /// Metric name → value; a value written as null (non-finite) reads as NaN.
    public var values: [String: Double]

    public init(time: Double, step: Int, values: [String: Double]) {
        self.time = time
        self.step = step
        self.values = values
    }
}

/// Reads the JSON-lines metrics files `MetricsWriter` writes.
public enum MetricsFile {
    /// Every record in the file, in order. Lines that are not a whole record are skipped: after a crash the last
    /// line may be cut short.
    public static func records(at path: String) throws(ShoalRuntimeError) -> [MetricsRecord] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ShoalRuntimeError(exists ? .inputOutput : .notFound, subject: path,
                                    reason: error.localizedDescription)
        }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { record(Data($0)) }
    }

    private static func record(_ line: Data) -> MetricsRecord? {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
              let time = (object["time"] as? NSNumber)?.doubleValue,
              let step = (object["step"] as? NSNumber)?.intValue
        else { return nil }
        var values: [String: Double] = [:]
        for (name, value) in object where name != "time" && name != "step" {
            switch value {
            case let number as NSNumber: values[name] = number.doubleValue
            case is NSNull: values[name] = .nan
            default: return nil
            }
        }
        return MetricsRecord(time: time, step: step, values: values)
    }
}
