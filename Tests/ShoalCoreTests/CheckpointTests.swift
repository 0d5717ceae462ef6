import Foundation
import XCTest

@testable import ShoalCore

/// Checkpoint store, format and CRC-32C tests; the corruption and format cases live in the `+` files.
final class CheckpointTests: XCTestCase {
    var directory: String = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("shoal-checkpoint-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testEmptyDirectoryLoadsNothing() throws {
        let store = CheckpointStore(directory: directory)
        XCTAssertEqual(try store.list(), [])
        XCTAssertNil(try store.loadLatest(onSkip: { XCTFail("nothing to skip, got \($0)") }))
    }

    func testMissingDirectoryReadsAsEmptyAndSaveCreatesIt() throws {
        let nested = directory + "/run/checkpoints/"
        let store = CheckpointStore(directory: nested, keep: 2)
        XCTAssertEqual(store.directory, directory + "/run/checkpoints")
        XCTAssertEqual(try store.list(), [])
        XCTAssertNil(try store.loadLatest())

        let state = makeState(version: 5, parameterCount: 10)
        let file = try store.save(state)
        XCTAssertEqual(file.path, directory + "/run/checkpoints/ckpt-000000000005.shoal")
        XCTAssertEqual(try store.loadLatest(), LoadedCheckpoint(file: file, state: state))
    }

    func testSaveIntoAPathThatIsAFileThrowsAnIOError() throws {
        let path = directory + "/not-a-directory"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])))
        let store = CheckpointStore(directory: path)
        XCTAssertThrowsError(try store.save(makeState(version: 1, parameterCount: 4))) { error in
            let error = error as? CheckpointError
            XCTAssertEqual(error?.code, .io)
            XCTAssertEqual(error?.path, path)
            XCTAssertEqual(error?.errno, ENOTDIR)
        }
    }

    func testFileNamesSortLexicallyInVersionOrder() throws {
        let store = CheckpointStore(directory: directory, keep: 10)
        for version: UInt64 in [1000, 7, 42, 123_456_789] {
            try store.save(makeState(version: version, parameterCount: 3))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertEqual(names.first, "ckpt-000000000007.shoal")
        XCTAssertEqual(names.compactMap(CheckpointFile.version(fromName:)), [7, 42, 1000, 123_456_789])
        XCTAssertEqual(try store.list().map(\.version), [7, 42, 1000, 123_456_789])
    }

    func testSaveKeepsOnlyTheNewestK() throws {
        let store = CheckpointStore(directory: directory, keep: 3)
        var states: [CheckpointState] = []
        for version: UInt64 in 1...6 {
            states.append(makeState(version: version, parameterCount: 8))
            try store.save(states.last!)
        }
        XCTAssertEqual(try store.list().map(\.version), [4, 5, 6])
        XCTAssertEqual(try store.loadLatest()?.state, states.last)
    }

    func testSaveAlwaysKeepsTheCheckpointItJustWrote() throws {
        // A run restarted from an older checkpoint writes versions below one already present.
        let store = CheckpointStore(directory: directory, keep: 2)
        for version: UInt64 in [5, 9, 3] {
            try store.save(makeState(version: version, parameterCount: 8))
        }
        XCTAssertEqual(try store.list().map(\.version), [3, 9])

        let single = CheckpointStore(directory: directory, keep: 1)
        try single.save(makeState(version: 4, parameterCount: 8))
        XCTAssertEqual(try single.list().map(\.version), [4])
    }

    func testSavingTheSameVersionReplacesIt() throws {
        let store = CheckpointStore(directory: directory)
        try store.save(makeState(version: 3, parameterCount: 8, seed: 1))
        let replacement = makeState(version: 3, parameterCount: 8, seed: 2)
        try store.save(replacement)
        XCTAssertEqual(try store.list().map(\.version), [3])
        XCTAssertEqual(try store.loadLatest()?.state, replacement)
    }

    func testLargeStateRoundTripsBitForBit() throws {
        let count = 1_000_000
        var state = makeState(version: 77, parameterCount: count)
        var generator = SeededGenerator(seed: 99)
        state.optimizerTensors = [
            "adam.m": (0..<count).map { _ in generator.nextGaussian() * 1e-3 },
            "adam.v": (0..<count).map { _ in generator.nextUnitFloat() * 1e-6 },
        ]
        // Values that equality alone would not distinguish or could mangle: signed zero, infinities, subnormals.
        state.parameters[0] = -0.0
        state.parameters[1] = .infinity
        state.parameters[2] = .leastNonzeroMagnitude
        state.parameters[3] = -.greatestFiniteMagnitude

        let store = CheckpointStore(directory: directory)
        try store.save(state)
        let loaded = try XCTUnwrap(try store.loadLatest()).state
        XCTAssertEqual(loaded, state)
        XCTAssertEqual(loaded.parameters.map(\.bitPattern), state.parameters.map(\.bitPattern))
        for name in ["adam.m", "adam.v"] {
            let expected = state.optimizerTensors[name]?.map(\.bitPattern)
            XCTAssertEqual(loaded.optimizerTensors[name]?.map(\.bitPattern), expected, name)
        }
    }

    func testUnrelatedFilesAreNeitherListedNorDeleted() throws {
        let strangers = ["notes.txt", "ckpt-42.shoal", "ckpt-000000000042.shoal.bak", "ckpt-00000000004x.shoal"]
        for name in strangers {
            XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/" + name, contents: Data([0])))
        }
        let store = CheckpointStore(directory: directory, keep: 1)
        try store.save(makeState(version: 1, parameterCount: 4))
        try store.save(makeState(version: 2, parameterCount: 4))
        XCTAssertEqual(try store.list().map(\.version), [2])
        let remaining = Set(try FileManager.default.contentsOfDirectory(atPath: directory))
        XCTAssertEqual(remaining, Set(strangers + ["ckpt-000000000002.shoal"]))
    }

    // MARK: - Helpers

    /// A state with every field filled, its values drawn from `seed` so different seeds give different states.
    func makeState(version: UInt64, parameterCount: Int, seed: UInt64 = 0) -> CheckpointState {
        var generator = SeededGenerator(seed: seed &+ version)
        return CheckpointState(
            version: version,
            parameters: (0..<parameterCount).map { _ in generator.nextGaussian() },
            optimizerTensors: ["rmsprop.meanSquare": (0..<parameterCount).map { _ in generator.nextUnitFloat() }],
            optimizerScalars: ["step": Double(version), "learningRate": generator.nextUnitDouble()],
            counters: ["updates": Int64(truncatingIfNeeded: version), "rolloutsDropped": -1],
            randomState: generator.stateWords,
            metadata: ["runId": "cartpole__test__\(seed)", "note": "größe ✓"]
        )
    }

    func path(ofVersion version: UInt64) -> String {
        directory + "/" + CheckpointFile.name(version: version)
    }
}
