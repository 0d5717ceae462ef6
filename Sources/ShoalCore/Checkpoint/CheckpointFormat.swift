/// The on-disk checkpoint format: encodes a `CheckpointState` to bytes and decodes it back, refusing damaged bytes.
///
/// All integers and floats are little-endian. The frame is fixed across format versions so any reader can tell a
/// damaged file from a newer one:
///
///     magic        8 bytes  "SHOALCKP"
///     format       u32      format version (1)
///     fileLength   u64      total bytes, including this header and the checksum
///     ... format-specific body ...
///     checksum     u32      CRC-32C of every byte before it
///
/// Format 1 body: `version u64`, then six sections in this order, each `tag u32, length u64, payload`:
/// PARM (floats), OPTT (named float arrays), OPTS (named f64 bit patterns), CNTR (named i64), RNGS (u64 words),
/// META (string pairs). Float arrays are `count u64` + raw floats; strings are `length u32` + UTF-8; maps are
/// `count u32` + entries sorted by key, so equal states encode to equal bytes.
public enum CheckpointFormat {
    /// The format version this build writes and reads.
    public static let currentVersion: UInt32 = 1

    static let magic: [UInt8] = Array("SHOALCKP".utf8)
    static let frameHeaderSize = 8 + 4 + 8
    static let checksumSize = 4
    private static let fileLengthOffset = 12

    /// The bytes of a checkpoint file holding `state`.
    public static func encode(_ state: CheckpointState) -> [UInt8] {
        var writer = CheckpointByteWriter(reservingCapacity: estimatedSize(of: state))
        writer.append(rawBytes: magic)
        writer.append(currentVersion)
        writer.append(UInt64(0))  // fileLength, filled in once known
        writer.append(state.version)
        for section in CheckpointSection.allCases {
            writer.append(section.tag)
            let lengthOffset = writer.count
            writer.append(UInt64(0))
            section.encode(state, into: &writer)
            writer.overwrite(UInt64(writer.count - lengthOffset - 8), at: lengthOffset)
        }
        writer.overwrite(UInt64(writer.count + checksumSize), at: fileLengthOffset)
        writer.append(crc32c(writer.bytes))
        return writer.bytes
    }

    /// Decodes checkpoint bytes read from `path` (used only in error messages); throws if anything is damaged.
    public static func decode(_ bytes: [UInt8], path: String) throws -> CheckpointState {
        try bytes.withUnsafeBytes { try decode($0, path: path) }
    }

    /// Decodes checkpoint bytes read from `path` (used only in error messages); throws if anything is damaged.
    public static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> CheckpointState {
        let body = try validateFrame(bytes, path: path)
        var reader = CheckpointByteReader(bytes, range: body, path: path, context: "header")
        var state = CheckpointState(version: try reader.read(UInt64.self), parameters: [])
        for section in CheckpointSection.allCases {
            let tag = try reader.read(UInt32.self)
            guard tag == section.tag else {
                throw reader.malformed("has section \(CheckpointSection.name(of: tag)) where \(section.name) belongs")
            }
            let length = try reader.read(UInt64.self)
            var payload = try reader.subreader(length: length, context: "section \(section.name)")
            try section.decode(from: &payload, into: &state)
            try payload.expectEnd()
        }
        try reader.expectEnd()
        return state
    }

    /// Checks magic, length, checksum and format version, in the order that names the most likely cause;
    /// returns the range of body bytes between the frame header and the checksum.
    private static func validateFrame(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Range<Int> {
        func failure(_ code: CheckpointError.Code, _ reason: String) -> CheckpointError {
            CheckpointError(code, path: path, reason: reason)
        }
        let magicLength = min(bytes.count, magic.count)
        guard bytes.prefix(magicLength).elementsEqual(magic.prefix(magicLength)) else {
            throw failure(.notACheckpoint, "does not start with the Shoal checkpoint magic bytes")
        }
        guard bytes.count >= frameHeaderSize else {
            throw failure(.truncated, "is \(bytes.count) bytes, shorter than the \(frameHeaderSize)-byte header")
        }
        let format = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: magic.count, as: UInt32.self))
        let fileLength = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: fileLengthOffset, as: UInt64.self))
        guard fileLength <= UInt64(bytes.count) else {
            throw failure(.truncated, "is \(bytes.count) bytes but its header says \(fileLength)")
        }
        guard fileLength == UInt64(bytes.count), fileLength >= UInt64(frameHeaderSize + checksumSize) else {
            throw failure(.malformed, "is \(bytes.count) bytes but its header says \(fileLength)")
        }
        let checksumOffset = bytes.count - checksumSize
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: checksumOffset, as: UInt32.self))
        let computed = crc32c(UnsafeRawBufferPointer(rebasing: bytes[..<checksumOffset]))
        guard stored == computed else {
            throw failure(.checksumMismatch, "is damaged: CRC-32C is \(hex(computed)) but the file says \(hex(stored))")
        }
        guard format == currentVersion else {
            throw failure(.unsupportedFormat, "has format version \(format); this build reads \(currentVersion)")
        }
        return frameHeaderSize..<checksumOffset
    }

    /// Enough capacity for the whole file, so the float arrays are copied into the buffer once.
    private static func estimatedSize(of state: CheckpointState) -> Int {
        let floatCount = state.parameters.count + state.optimizerTensors.values.reduce(0) { $0 + $1.count }
        let entryCount = state.optimizerTensors.count + state.optimizerScalars.count + state.counters.count
            + state.metadata.count * 2
        let textBytes = state.metadata.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        return 256 + floatCount * 4 + entryCount * 64 + textBytes + state.randomState.count * 8
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
