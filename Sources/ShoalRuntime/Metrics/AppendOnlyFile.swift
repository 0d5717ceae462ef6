import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A file opened with `O_APPEND` that takes whole records: each `append` is one `write(2)` of the record (retried
/// until all of it is written), nothing is buffered in the process, so a reader sees a record as soon as `append`
/// returns and a crash loses at most the record being written. No fsync: a write lands in the page cache in
/// microseconds and survives a crash of the process (not of the machine), which is what metrics need.
final class AppendOnlyFile: Sendable {
    let path: String
    private let descriptor: Mutex<Int32>

    /// Opens `path` for appending, creating it if needed.
    init(path: String) throws(ShoalRuntimeError) {
        self.path = path
        let opened = Glibc.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw ShoalRuntimeError(.cannotCreate, subject: path, reason: String(cString: strerror(errno)))
        }
        descriptor = Mutex(opened)
    }

    deinit {
        descriptor.withLock { descriptor in
            assert(descriptor < 0, "\(path) was not closed")
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
        }
    }

    /// The file's last byte, nil when it is empty.
    var lastByte: UInt8? {
        descriptor.withLock { descriptor in
            var info = stat()
            guard fstat(descriptor, &info) == 0, info.st_size > 0 else { return nil }
            var last: UInt8 = 0
            return pread(descriptor, &last, 1, info.st_size - 1) == 1 ? last : nil
        }
    }

    func append(_ bytes: [UInt8]) throws(ShoalRuntimeError) {
        let failure: Int32? = descriptor.withLock { descriptor in
            precondition(descriptor >= 0, "\(path) written after close()")
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

    /// Closes the file; appends after this are a programming error.
    func close() {
        descriptor.withLock { descriptor in
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            descriptor = -1
        }
    }
}
