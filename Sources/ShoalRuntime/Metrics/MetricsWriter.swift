import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Appends metrics to a JSON-lines file, one object per record:
/// `{"time": <unix seconds>, "step": <env steps>, "charts/sps": 4012.5, "losses/policy": -0.02, ...}`.
///
/// Each record is one `write(2)` of a whole line to a file opened with `O_APPEND`: nothing is buffered in the
/// process, so a reader sees every record as soon as `record` returns, a crash loses at most the line being
/// written, and several processes may append to the same file without interleaving lines. There is no fsync: a
/// write lands in the page cache in microseconds and survives a crash of the process (not of the machine), which is
/// what metrics need. A non-finite value is written as `null` (read back as NaN): a diverging loss stays visible.
public final class MetricsWriter: Sendable {
    /// The metrics file.
    public let path: String
    private let descriptor: Mutex<Int32>

    /// Opens `path` for appending, creating it if needed; a resumed run continues the same file.
    public init(path: String) throws(ShoalRuntimeError) {
        self.path = path
        let opened = Glibc.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw ShoalRuntimeError(.cannotCreate, subject: path, reason: String(cString: strerror(errno)))
        }
        descriptor = Mutex(opened)
        // A crash may have cut the last line short: start on a fresh line so that the next record stays whole.
        if Self.endsMidLine(opened) {
            try append(Array("\n".utf8))
        }
    }

    deinit {
        descriptor.withLock { descriptor in
            assert(descriptor < 0, "MetricsWriter for \(path) was not closed")
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
        }
    }

    /// Appends one record. `values` maps metric names (`charts/sps`, `losses/policy`, `lag/...`, `queue/...`) to
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
        try append(Array(line.utf8))
    }

    /// Closes the file; records after this are a programming error.
    public func close() {
        descriptor.withLock { descriptor in
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            descriptor = -1
        }
    }

    private func append(_ bytes: [UInt8]) throws(ShoalRuntimeError) {
        let failure: Int32? = descriptor.withLock { descriptor in
            precondition(descriptor >= 0, "MetricsWriter used after close()")
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure {
            throw ShoalRuntimeError(.inputOutput, subject: path, reason: String(cString: strerror(failure)))
        }
    }

    private static func endsMidLine(_ descriptor: Int32) -> Bool {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size > 0 else { return false }
        var last: UInt8 = 0
        return pread(descriptor, &last, 1, info.st_size - 1) == 1 && last != UInt8(ascii: "\n")
    }

    /// A JSON number, or null for NaN and infinities, which JSON cannot spell.
    private static func json(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}
