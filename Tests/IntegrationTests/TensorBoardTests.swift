import Foundation
import ShoalRuntime
import XCTest

/// The learner's TensorBoard event files, read back by TensorBoard's own reader (`tensorboard` from pip, installed by
/// scripts/setup.sh) through Tests/Fixtures/tensorboard/read_events.py.
final class TensorBoardTests: XCTestCase {
    /// A run and its resumption: two event files in the run directory, each opening with the file version and the
    /// config as text, holding every value of metrics.jsonl at the same step under the same tag (as float32), with
    /// cleanRL's tag names; the resumed file's steps continue the first's.
    func testARunsEventFilesHoldEveryMetricAndAResumedRunAddsAFile() throws {
        let (runs, run) = try trainToTheEnd("tensorboard", ["--max-env-steps", "40000", "--set", "targetReturn=none"])
        let resumed = try ShoalProcess(["train", "--resume", run.path, "--max-env-steps", "80000"],
                                       log: runs.appendingPathComponent("resumed.log"))
        defer { resumed.kill() }
        XCTAssertEqual(resumed.wait(timeout: 120), 0, resumed.output)

        let files = try FileManager.default.contentsOfDirectory(atPath: run.path)
            .filter { $0.hasPrefix("events.out.tfevents.") }.sorted().map { "\(run.path)/\($0)" }
        XCTAssertEqual(files.count, 2, "one event file per learner start")
        let read = try readEvents(files)
        for records in read {
            XCTAssertEqual(records.first?.fileVersion, "brain.Event:2")
            XCTAssertEqual(records.dropFirst().first?.tag, "config")
            XCTAssertEqual(records.dropFirst().first?.plugin, "text")
            XCTAssertTrue(records.dropFirst().first?.text?.contains("env: CartPole-v1") == true)
        }
        let firstSteps = read[0].compactMap { $0.value == nil ? nil : $0.step }
        let resumedSteps = read[1].compactMap { $0.value == nil ? nil : $0.step }
        XCTAssertGreaterThan(try XCTUnwrap(resumedSteps.first), try XCTUnwrap(firstSteps.last), "steps continue")

        var scalars: [String: Float] = [:]
        for record in read.joined() {
            if let tag = record.tag, let value = record.value { scalars["\(record.step!) \(tag)"] = value }
        }
        var expected = 0
        for record in try MetricsFile.records(at: run.metricsPath) {
            for (tag, value) in record.values where value.isFinite {
                expected += 1
                XCTAssertEqual(scalars["\(record.step) \(tag)"], Float(value), "\(tag) at step \(record.step)")
            }
        }
        XCTAssertEqual(scalars.count, expected, "every value of metrics.jsonl, and nothing else")
        let tags = Set(scalars.keys.map { String($0.split(separator: " ")[1]) })
        for tag in ["charts/episodic_return", "charts/episodic_length", "charts/SPS", "charts/learning_rate",
                    "losses/policy_loss", "losses/value_loss", "losses/entropy", "lag/median", "queue/depth",
                    "actors/connected", "queue/received"] {
            XCTAssertTrue(tags.contains(tag), "no \(tag) among \(tags.sorted())")
        }
    }

    /// A file cut in the middle of a record (a learner killed mid-write) still yields every record before the cut.
    func testAFileCutMidRecordYieldsEveryCompleteRecord() throws {
        let directory = try temporaryDirectory("tensorboard-cut")
        let writer = try TensorBoardWriter(directory: directory.path, config: "env: CartPole-v1\n", step: 0, time: 1)
        for step in 1...5 { try writer.record(["charts/SPS": Double(step) * 100], step: step * 10, time: Double(step)) }
        writer.close()
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: writer.path))
        let size = try handle.seekToEnd()
        try handle.truncate(atOffset: size - 7)
        try handle.close()
        let records = try XCTUnwrap(readEvents([writer.path]).first)
        XCTAssertEqual(records.compactMap(\.value), [100, 200, 300, 400], "the four whole scalar records")
        XCTAssertEqual(records.compactMap(\.step).filter { $0 > 0 }, [10, 20, 30, 40])
    }

    /// One record as read_events.py prints it.
    private struct EventRecord: Decodable {
        var fileVersion: String?
        var step: Int?
        var tag: String?
        var value: Float?
        var plugin: String?
        var text: String?

        enum CodingKeys: String, CodingKey {
            case fileVersion = "file_version", step, tag, value, plugin, text
        }
    }

    /// The records of each file, read by TensorBoard's reader.
    private func readEvents(_ files: [String]) throws -> [[EventRecord]] {
        let printed = try runFixtureScript("tensorboard/read_events.py", files, package: "tensorboard")
        return try String(decoding: printed, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode([EventRecord].self, from: Data($0.utf8))
        }
    }
}
