import ShoalCore
import ShoalWire
import XCTest

final class CRC32CTests: XCTestCase {
    func testMatchesTheCastagnoliCheckValue() {
        // The catalogue check value: CRC-32C of the ASCII digits "123456789".
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
    }

    func testMatchesABitAtATimeReference() {
        var random = SeededGenerator(seed: 5)
        for length in Array(0..<40) + [255, 1000, 4099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            XCTAssertEqual(CRC32C.checksum(bytes), bitwiseCRC32C(bytes), "length \(length)")
        }
    }

    func testContinuesAcrossChunks() {
        var random = SeededGenerator(seed: 6)
        let bytes = (0..<777).map { _ in UInt8.random(in: 0...255, using: &random) }
        let head = bytes[..<301].withUnsafeBytes { CRC32C.checksum($0) }
        let whole = bytes[301...].withUnsafeBytes { CRC32C.checksum($0, continuing: head) }
        XCTAssertEqual(whole, CRC32C.checksum(bytes))
    }

    func testFloatChecksumCoversTheirBytes() {
        let floats: [Float] = [1, -2.5, .pi]
        let bytes = floats.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
        XCTAssertEqual(CRC32C.checksum(floats), bitwiseCRC32C(bytes))
    }

    /// The definition: shift each bit through the reflected Castagnoli polynomial.
    private func bitwiseCRC32C(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = (crc >> 1) ^ (crc & 1 == 0 ? 0 : 0x82F6_3B78)
            }
        }
        return ~crc
    }
}
