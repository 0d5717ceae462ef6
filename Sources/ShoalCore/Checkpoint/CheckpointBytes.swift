/// Appends little-endian fields to a growing byte buffer: the writing half of the checkpoint format.
struct CheckpointByteWriter {
    private(set) var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func append<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(rawBytes: [UInt8]) {
        bytes.append(contentsOf: rawBytes)
    }

    /// A u32 byte count followed by the UTF-8 bytes.
    mutating func append(string: String) {
        let utf8 = Array(string.utf8)
        append(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A u64 element count followed by the raw little-endian floats.
    mutating func append(floats: [Float]) {
        append(UInt64(floats.count))
        #if _endian(little)
        // One memcpy: a million parameters cost microseconds instead of a million appends.
        floats.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for value in floats { append(value.bitPattern) }
        #endif
    }

    /// Overwrites a u64 written earlier (a length that was unknown when its place was written).
    mutating func overwrite(_ value: UInt64, at offset: Int) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self) }
    }
}

/// Reads little-endian fields from a byte range, throwing `.malformed` instead of reading past its end.
struct CheckpointByteReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int
    private let end: Int
    private let path: String
    /// What is being read, for error messages ("header", "section PARM").
    private let context: String

    init(_ bytes: UnsafeRawBufferPointer, range: Range<Int>, path: String, context: String) {
        self.bytes = bytes
        self.offset = range.lowerBound
        self.end = range.upperBound
        self.path = path
        self.context = context
    }

    var remaining: Int { end - offset }

    mutating func read<Integer: FixedWidthInteger>(_: Integer.Type) throws -> Integer {
        try require(MemoryLayout<Integer>.size, for: "a \(Integer.self)")
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self)
        offset += MemoryLayout<Integer>.size
        return Integer(littleEndian: value)
    }

    /// Reads a u32 count, refusing counts that could not fit in what is left (each element needs `minimumSize`).
    mutating func readCount(elementMinimumSize minimumSize: Int) throws -> Int {
        let count = Int(try read(UInt32.self))
        try require(count * minimumSize, for: "\(count) entries")
        return count
    }

    mutating func readString() throws -> String {
        let length = Int(try read(UInt32.self))
        try require(length, for: "a \(length)-byte string")
        let utf8 = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw malformed("holds a string that is not valid UTF-8 at byte \(offset)")
        }
        offset += length
        return string
    }

    mutating func readFloats() throws -> [Float] {
        let count64 = try read(UInt64.self)
        // Checked before multiplying so that a huge count cannot overflow or trigger a huge allocation.
        guard count64 <= UInt64(remaining / MemoryLayout<Float>.size) else {
            throw malformed("claims \(count64) floats but only \(remaining) bytes remain")
        }
        let count = Int(count64)
        let source = bytes.baseAddress! + offset
        let floats = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            #if _endian(little)
            UnsafeMutableRawBufferPointer(buffer).copyMemory(
                from: UnsafeRawBufferPointer(start: source, count: count * MemoryLayout<Float>.size))
            #else
            for index in 0..<count {
                let bits = source.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
                buffer[index] = Float(bitPattern: UInt32(littleEndian: bits))
            }
            #endif
            initialized = count
        }
        offset += count * MemoryLayout<Float>.size
        return floats
    }

    /// A reader over the next `length` bytes (one section's payload), advancing this reader past them.
    mutating func subreader(length: UInt64, context: String) throws -> CheckpointByteReader {
        guard length <= UInt64(remaining) else {
            throw malformed("says \(context) is \(length) bytes but only \(remaining) remain")
        }
        let reader = CheckpointByteReader(bytes, range: offset..<offset + Int(length), path: path, context: context)
        offset += Int(length)
        return reader
    }

    /// Throws unless every byte was consumed: a section must be exactly as long as its contents.
    func expectEnd() throws {
        guard remaining == 0 else { throw malformed("has \(remaining) unexplained bytes at its end") }
    }

    func malformed(_ what: String) -> CheckpointError {
        CheckpointError(.malformed, path: path, reason: "\(context) \(what)")
    }

    private func require(_ byteCount: Int, for what: String) throws {
        guard byteCount <= remaining else {
            throw malformed("ends while reading \(what) (\(remaining) bytes left)")
        }
    }
}
