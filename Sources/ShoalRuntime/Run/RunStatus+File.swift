import Foundation
import ShoalCore

extension RunStatus {
    /// Reads and decodes a status file.
    public static func read(from path: String) throws(ShoalRuntimeError) -> RunStatus {
        try decode(readStatusBytes(at: path), from: path)
    }

    /// Decodes status.json content; `path` names it in errors.
    public static func decode(_ data: Data, from path: String) throws(ShoalRuntimeError) -> RunStatus {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(RunStatus.self, from: data)
        } catch {
            throw ShoalRuntimeError(.garbled, subject: path,
                                    reason: "not a status file this shoal understands (\(error))")
        }
    }

    /// The raw bytes of a status file, with a missing file reported as `.notFound`.
    public static func readStatusBytes(at path: String) throws(ShoalRuntimeError) -> Data {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ShoalRuntimeError(.notFound, subject: path,
                                    reason: "no status yet: the run has not started, or this is not a run directory")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ShoalRuntimeError(.inputOutput, subject: path, reason: error.localizedDescription)
        }
    }

    /// The status as pretty-printed JSON with sorted keys.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Stats may hold a NaN or an infinity, which JSON cannot spell.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // With non-finite numbers written as strings, nothing in a RunStatus can fail to encode.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Replaces the status file atomically, so that `shoal status` never reads half a file.
    public func write(to path: String) throws(ShoalRuntimeError) {
        do {
            try AtomicFile.replace(path, with: Array(jsonData()))
        } catch {
            throw ShoalRuntimeError(.inputOutput, subject: path, reason: "\(error)")
        }
    }
}
