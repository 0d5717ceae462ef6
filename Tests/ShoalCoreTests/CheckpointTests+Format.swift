import XCTest

@testable import ShoalCore

/// The byte format on its own: round trips, determinism, and that no damage goes unnoticed.
extension CheckpointTests {
    func testFormatRoundTripsEveryField() throws {
        let state = makeState(version: .max, parameterCount: 33)
        XCTAssertEqual(try CheckpointFormat.decode(CheckpointFormat.encode(state), path: "memory"), state)

        let sparse = CheckpointState(version: 0, parameters: [], optimizerTensors: ["empty": []])
        XCTAssertEqual(try CheckpointFormat.decode(CheckpointFormat.encode(sparse), path: "memory"), sparse)
    }

    func testFormatEncodesEqualStatesToEqualBytes() throws {
        let state = makeState(version: 12, parameterCount: 20)
        var rebuilt = state
        // Same contents, built in another order (and capacity), so dictionary iteration order may differ.
        rebuilt.metadata = Dictionary(uniqueKeysWithValues: state.metadata.sorted { $0.key > $1.key })
        rebuilt.counters = [:]
        rebuilt.counters.reserveCapacity(64)
        for (name, value) in state.counters.sorted(by: { $0.key > $1.key }) { rebuilt.counters[name] = value }
        XCTAssertEqual(rebuilt, state)
        XCTAssertEqual(CheckpointFormat.encode(rebuilt), CheckpointFormat.encode(state))
    }

    func testFormatDetectsEveryFlippedByte() throws {
        let encoded = CheckpointFormat.encode(makeState(version: 9, parameterCount: 12))
        for offset in encoded.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = encoded
                damaged[offset] ^= mask
                XCTAssertThrowsError(
                    try CheckpointFormat.decode(damaged, path: "memory"), "byte \(offset) ^ \(mask) went unnoticed")
            }
        }
    }

    func testFormatReportsEveryTruncationAsTruncated() throws {
        let encoded = CheckpointFormat.encode(makeState(version: 9, parameterCount: 12))
        for length in 0..<encoded.count {
            XCTAssertThrowsError(try CheckpointFormat.decode(Array(encoded.prefix(length)), path: "memory")) {
                XCTAssertEqual(($0 as? CheckpointError)?.code, .truncated, "length \(length): \($0)")
            }
        }
    }

    func testFormatRejectsBytesAfterTheEnd() throws {
        let encoded = CheckpointFormat.encode(makeState(version: 9, parameterCount: 12))
        XCTAssertThrowsError(try CheckpointFormat.decode(encoded + [0], path: "memory")) {
            XCTAssertEqual(($0 as? CheckpointError)?.code, .malformed)
        }
    }

    func testFormatRejectsANewerFormatVersion() throws {
        var encoded = CheckpointFormat.encode(makeState(version: 9, parameterCount: 12))
        encoded[CheckpointFormat.magic.count] = UInt8(CheckpointFormat.currentVersion + 1)
        resealChecksum(&encoded)
        XCTAssertThrowsError(try CheckpointFormat.decode(encoded, path: "new.shoal")) {
            XCTAssertEqual(($0 as? CheckpointError)?.code, .unsupportedFormat)
            XCTAssertEqual(($0 as? CheckpointError)?.path, "new.shoal")
        }
    }

    func testFormatRejectsInconsistentSectionsEvenWithAValidChecksum() throws {
        let encoded = CheckpointFormat.encode(makeState(version: 9, parameterCount: 12))
        let parameterCountOffset = CheckpointFormat.frameHeaderSize + 8 + 12
        let sectionTagOffset = CheckpointFormat.frameHeaderSize + 8
        for (offset, newByte) in [(parameterCountOffset, UInt8(13)), (sectionTagOffset, UInt8(ascii: "X"))] {
            var damaged = encoded
            damaged[offset] = newByte
            resealChecksum(&damaged)
            XCTAssertThrowsError(try CheckpointFormat.decode(damaged, path: "memory")) {
                XCTAssertEqual(($0 as? CheckpointError)?.code, .malformed, "\($0)")
            }
        }
    }

    /// Recomputes the trailing checksum so that a deliberate edit reaches the structural checks behind it.
    private func resealChecksum(_ bytes: inout [UInt8]) {
        let body = bytes.count - CheckpointFormat.checksumSize
        let checksum = crc32c(Array(bytes[..<body]))
        for index in 0..<4 { bytes[body + index] = UInt8(truncatingIfNeeded: checksum >> (8 * index)) }
    }
}
