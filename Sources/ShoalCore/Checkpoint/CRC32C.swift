/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of `bytes`, as used by iSCSI, ext4 and many storage formats.
///
/// Pass an earlier result as `crc` to checksum data given in pieces: `crc32c(b, continuing: crc32c(a))` equals
/// the checksum of `a` followed by `b`. Software slicing-by-8: eight bytes per step through eight lookup tables.
public func crc32c(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
    guard var cursor = bytes.baseAddress else { return crc }
    var remaining = bytes.count
    // The register is kept inverted between calls so that leading zero bytes still change the result.
    var register = ~crc
    crc32cTables.withUnsafeBufferPointer { tables in
        while remaining >= 8 {
            let word = UInt64(littleEndian: cursor.loadUnaligned(as: UInt64.self)) ^ UInt64(register)
            let low = UInt32(truncatingIfNeeded: word)
            let high = UInt32(truncatingIfNeeded: word >> 32)
            register = tables[7 &* 256 &+ Int(low & 0xFF)]
                ^ tables[6 &* 256 &+ Int((low >> 8) & 0xFF)]
                ^ tables[5 &* 256 &+ Int((low >> 16) & 0xFF)]
                ^ tables[4 &* 256 &+ Int(low >> 24)]
                ^ tables[3 &* 256 &+ Int(high & 0xFF)]
                ^ tables[2 &* 256 &+ Int((high >> 8) & 0xFF)]
                ^ tables[1 &* 256 &+ Int((high >> 16) & 0xFF)]
                ^ tables[Int(high >> 24)]
            cursor += 8
            remaining &-= 8
        }
        while remaining > 0 {
            let byte = cursor.load(as: UInt8.self)
            register = tables[Int((register ^ UInt32(byte)) & 0xFF)] ^ (register >> 8)
            cursor += 1
            remaining &-= 1
        }
    }
    return ~register
}

/// CRC-32C of the in-memory (little-endian) bytes of an array, e.g. a byte array or a float tensor.
public func crc32c<Element: BitwiseCopyable>(_ values: [Element], continuing crc: UInt32 = 0) -> UInt32 {
    values.withUnsafeBytes { crc32c($0, continuing: crc) }
}

/// Eight 256-entry tables, back to back. Table 0 is the classic byte-at-a-time table; table k advances a byte's
/// contribution by k further zero bytes, which lets one step fold in eight input bytes at once.
private let crc32cTables: [UInt32] = {
    let polynomial: UInt32 = 0x82F6_3B78
    var tables = [UInt32](repeating: 0, count: 8 * 256)
    for byte in 0..<256 {
        var value = UInt32(byte)
        for _ in 0..<8 {
            value = (value & 1) != 0 ? (value >> 1) ^ polynomial : value >> 1
        }
        tables[byte] = value
    }
    for table in 1..<8 {
        for byte in 0..<256 {
            let previous = tables[(table - 1) * 256 + byte]
            tables[table * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
        }
    }
    return tables
}()
