import Foundation
import XCTest

@testable import ShoalRuntime

final class MetricsWriterTests: XCTestCase {
    private var path = ""

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "shoal-metrics-\(UUID().uuidString).jsonl"
        addTeardownBlock { [path] in try? FileManager.default.removeItem(atPath: path) }
    }

    func testRecordsReadBackInOrderAndAtOnce() throws {
        let writer = try MetricsWriter(path: path)
        defer { writer.close() }
        try writer.record(["charts/SPS": 4012.5, "losses/policy_loss": -0.125], step: 128, time: 1_700_000_000.25)
        // No close or flush: a record is in the file as soon as `record` returns.
        XCTAssertEqual(try MetricsFile.records(at: path), [
            MetricsRecord(time: 1_700_000_000.25, step: 128,
                          values: ["charts/SPS": 4012.5, "losses/policy_loss": -0.125]),
        ])
        try writer.record(["charts/episodic_return": 21, "queue/depth": 3], step: 256, time: 1_700_000_001)
        let records = try MetricsFile.records(at: path)
        XCTAssertEqual(records.map(\.step), [128, 256])
        XCTAssertEqual(records[1].values, ["charts/episodic_return": 21, "queue/depth": 3])
    }

    func testEachRecordIsOneJSONObjectPerLine() throws {
        let writer = try MetricsWriter(path: path)
        try writer.record(["lag/policy": 1.5], step: 1, time: 2)
        try writer.record([:], step: 3, time: 4)
        writer.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertNotNil(object?["time"], String(line))
            XCTAssertNotNil(object?["step"], String(line))
        }
    }

    func testNonFiniteValuesAreWrittenAsNullAndReadAsNaN() throws {
        let writer = try MetricsWriter(path: path)
        try writer.record(["losses/policy_loss": .nan, "losses/value_loss": .infinity, "losses/entropy": 0.5],
                          step: 1, time: 1)
        writer.close()
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("null"))
        let values = try XCTUnwrap(MetricsFile.records(at: path).first).values
        XCTAssertTrue(values["losses/policy_loss"]?.isNaN == true)
        XCTAssertTrue(values["losses/value_loss"]?.isNaN == true)
        XCTAssertEqual(values["losses/entropy"], 0.5)
    }

    func testResumedRunAppendsToTheSameFile() throws {
        let first = try MetricsWriter(path: path)
        try first.record(["charts/SPS": 1], step: 10, time: 1)
        try first.record(["charts/SPS": 2], step: 20, time: 2)
        first.close()
        let resumed = try MetricsWriter(path: path)
        try resumed.record(["charts/SPS": 3], step: 30, time: 3)
        resumed.close()
        XCTAssertEqual(try MetricsFile.records(at: path).map(\.step), [10, 20, 30])
    }

    func testTornLastLineIsSkippedAndResumeStartsAFreshLine() throws {
        let first = try MetricsWriter(path: path)
        try first.record(["charts/SPS": 1], step: 10, time: 1)
        first.close()
        // What a crash in the middle of a write leaves.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"time\": 2, \"st".utf8))
        handle.closeFile()
        XCTAssertEqual(try MetricsFile.records(at: path).map(\.step), [10])

        let resumed = try MetricsWriter(path: path)
        try resumed.record(["charts/SPS": 3], step: 30, time: 3)
        resumed.close()
        XCTAssertEqual(try MetricsFile.records(at: path).map(\.step), [10, 30])
    }

    func testConcurrentWritersKeepLinesWhole() throws {
        let writers = [try MetricsWriter(path: path), try MetricsWriter(path: path)]
        defer { writers.forEach { $0.close() } }
        let perTask = 200
        DispatchQueue.concurrentPerform(iterations: 4) { task in
            for index in 0..<perTask {
                try? writers[task % 2].record(["task": Double(task), "index": Double(index)], step: index)
            }
        }
        let records = try MetricsFile.records(at: path)
        XCTAssertEqual(records.count, 4 * perTask)
        for task in 0..<4 {
            let indices = records.filter { $0.values["task"] == Double(task) }.compactMap { $0.values["index"] }
            XCTAssertEqual(indices, (0..<perTask).map(Double.init), "task \(task) lost or reordered records")
        }
    }

    func testReadingAMissingFileSaysNotFound() {
        XCTAssertThrowsError(try MetricsFile.records(at: path)) { error in
            XCTAssertEqual((error as? ShoalRuntimeError)?.code, .notFound)
        }
    }
}
