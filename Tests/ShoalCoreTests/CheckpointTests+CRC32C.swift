import XCTest

@testable import ShoalCore

/// The slicing-by-8 CRC-32C against its bit-at-a-time definition.
extension CheckpointTests {
    func testCRC32CMatchesTheBitwiseDefinitionAtEveryLengthAndAlignment() {
        var generator = SeededGenerator(seed: 3)
        let bytes = (0..<80).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for start in 0..<8 {
            for end in start...bytes.count {
                let slice = Array(bytes[start..<end])
                let fast = bytes.withUnsafeBytes { crc32c(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                XCTAssertEqual(fast, bitwiseCRC32C(slice), "bytes \(start)..<\(end)")
            }
        }
    }

    func testCRC32CCheckValue() {
        // The CRC catalogue's "check" value for CRC-32C: the checksum of the ASCII digits 1 to 9.
        XCTAssertEqual(crc32c(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(crc32c([UInt8]()), 0)
    }

    func testCRC32CContinuesAcrossPieces() {
        var generator = SeededGenerator(seed: 4)
        let bytes = (0..<41).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let whole = crc32c(bytes)
        for split in 0...bytes.count {
            XCTAssertEqual(crc32c(Array(bytes[split...]), continuing: crc32c(Array(bytes[..<split]))), whole)
        }
    }

    /// CRC-32C straight from its definition: reflected polynomial 0x82F63B78, register inverted before and after.
    private func bitwiseCRC32C(_ bytes: [UInt8]) -> UInt32 {
        var register: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            register ^= UInt32(byte)
            for _ in 0..<8 {
                register = register & 1 == 1 ? (register >> 1) ^ 0x82F6_3B78 : register >> 1
            }
        }
        return ~register
    }
}
