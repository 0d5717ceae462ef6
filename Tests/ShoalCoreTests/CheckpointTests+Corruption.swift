import Foundation
import XCTest

@testable import ShoalCore

/// Damaged newest checkpoints: `loadLatest` must fall back to the previous good one and report the skipped file.
extension CheckpointTests {
    func testTruncatedNewestFallsBackAtEveryLength() throws {
        let (store, previous) = try saveTwoGoodCheckpoints()
        let newest = CheckpointFormat.encode(makeState(version: 3, parameterCount: 64))
        // Empty, inside the magic, mid-header, just after the header, mid-parameters, one byte short.
        for length in [0, 5, 14, CheckpointFormat.frameHeaderSize, newest.count / 2, newest.count - 1] {
            try Data(newest.prefix(length)).write(to: URL(fileURLWithPath: path(ofVersion: 3)))
            try assertFallsBack(store, to: previous, skipping: 3, because: .truncated, "truncated to \(length) bytes")
        }
    }

    func testFlippedParameterByteFallsBack() throws {
        let (store, previous) = try saveTwoGoodCheckpoints()
        try store.save(makeState(version: 3, parameterCount: 64))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path(ofVersion: 3)))
        // Header and the PARM section's tag, length and count come first; this lands among the floats.
        let middleOfParameters = CheckpointFormat.frameHeaderSize + 8 + 12 + 8 + 32 * 4 + 1
        bytes[middleOfParameters] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: path(ofVersion: 3)))
        try assertFallsBack(store, to: previous, skipping: 3, because: .checksumMismatch, "flipped parameter byte")
    }

    func testGarbageUnderACheckpointNameFallsBack() throws {
        let (store, previous) = try saveTwoGoodCheckpoints()
        var generator = SeededGenerator(seed: 5)
        let garbage = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        try Data(garbage).write(to: URL(fileURLWithPath: path(ofVersion: 3)))
        try assertFallsBack(store, to: previous, skipping: 3, because: .notACheckpoint, "random bytes")
    }

    func testValidCheckpointUnderAnotherVersionsNameFallsBack() throws {
        let (store, previous) = try saveTwoGoodCheckpoints()
        let misplaced = CheckpointFormat.encode(makeState(version: 7, parameterCount: 64))
        try Data(misplaced).write(to: URL(fileURLWithPath: path(ofVersion: 3)))
        try assertFallsBack(store, to: previous, skipping: 3, because: .malformed, "version 7 named as 3")
    }

    func testCrashMidWriteLeavesATemporaryFileThatIsIgnoredThenCleanedUp() throws {
        let (store, previous) = try saveTwoGoodCheckpoints()
        let next = makeState(version: 3, parameterCount: 64)
        let encoded = CheckpointFormat.encode(next)
        // What a killed writer leaves: a partial temp file, and (killed between fsync and rename) a complete one.
        let partial = directory + "/" + CheckpointFile.temporaryName(version: 3, processID: 4_000_001)
        let complete = directory + "/" + CheckpointFile.temporaryName(version: 3, processID: 4_000_002)
        try Data(encoded.prefix(encoded.count / 3)).write(to: URL(fileURLWithPath: partial))
        try Data(encoded).write(to: URL(fileURLWithPath: complete))

        XCTAssertEqual(try store.list().map(\.version), [1, 2])
        let loaded = try store.loadLatest(onSkip: { XCTFail("temp files are not candidates: \($0)") })
        XCTAssertEqual(loaded?.state, previous)

        try store.save(next)
        XCTAssertFalse(FileManager.default.fileExists(atPath: partial))
        XCTAssertFalse(FileManager.default.fileExists(atPath: complete))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        XCTAssertFalse(names.contains { $0.hasSuffix(".tmp") }, "left: \(names)")
        XCTAssertEqual(try store.loadLatest()?.state, next)
    }

    func testEveryCheckpointDamagedLoadsNothingAndReportsEachNewestFirst() throws {
        let store = CheckpointStore(directory: directory, keep: 5)
        for version: UInt64 in 1...3 {
            try store.save(makeState(version: version, parameterCount: 16))
            try Data([0x53, 0x48]).write(to: URL(fileURLWithPath: path(ofVersion: version)))
        }
        var skipped: [CheckpointError] = []
        XCTAssertNil(try store.loadLatest(onSkip: { skipped.append($0) }))
        XCTAssertEqual(skipped.map(\.path), [3, 2, 1].map { path(ofVersion: $0) })
        XCTAssertEqual(skipped.map(\.code), [.truncated, .truncated, .truncated])
    }

    // MARK: - Helpers

    /// Saves versions 1 and 2 into a store keeping five, returning the store and version 2's state.
    private func saveTwoGoodCheckpoints() throws -> (CheckpointStore, CheckpointState) {
        let store = CheckpointStore(directory: directory, keep: 5)
        try store.save(makeState(version: 1, parameterCount: 64))
        let previous = makeState(version: 2, parameterCount: 64)
        try store.save(previous)
        return (store, previous)
    }

    private func assertFallsBack(
        _ store: CheckpointStore,
        to previous: CheckpointState,
        skipping version: UInt64,
        because code: CheckpointError.Code,
        _ damage: String,
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        var skipped: [CheckpointError] = []
        let loaded = try store.loadLatest(onSkip: { skipped.append($0) })
        XCTAssertEqual(loaded?.state, previous, damage, file: file, line: line)
        XCTAssertEqual(loaded?.file.path, path(ofVersion: previous.version), damage, file: file, line: line)
        XCTAssertEqual(skipped.map(\.path), [path(ofVersion: version)], damage, file: file, line: line)
        XCTAssertEqual(skipped.first?.code, code, "\(damage): \(skipped)", file: file, line: line)
    }
}
