import Foundation
import ShoalRuntime
import XCTest
import ZeroMQ

/// A real learner with one real, well-behaved actor over ipc, and a ZeroMQ context for the test's hostile peers.
final class BadInputLearnerRun {
    /// Config overrides for both processes: no return target, a time budget as a safety net, quick resends.
    static let overrides = ["targetReturn=none", "maxSeconds=60", "resendSeconds=0.5", "envsPerActor=4"]

    let directory: URL
    let rollouts: String
    let weights: String
    let metricsPath: String
    let learner: ShoalProcess
    let actor: ShoalProcess
    let context: ZMQContext

    init(name: String) throws {
        directory = try temporaryDirectory(name)
        rollouts = "ipc://\(directory.path)/rollouts"
        weights = "ipc://\(directory.path)/weights"
        metricsPath = directory.appendingPathComponent("metrics.jsonl").path
        let common = ["--run-id", GoodMessages.runID] + Self.overrides.flatMap { ["--set", $0] }
        learner = try ShoalProcess(
            ["learner"] + common + ["--rollouts", rollouts, "--weights", weights, "--metrics", metricsPath,
                                    "--checkpoints", directory.appendingPathComponent("checkpoints").path],
            log: directory.appendingPathComponent("learner.log"))
        actor = try ShoalProcess(
            ["actor", "--id", "0"] + common + ["--learner", rollouts, "--weights", weights],
            log: directory.appendingPathComponent("actor.log"))
        context = try ZMQContext()
    }

    /// A DEALER connected to the learner's ROUTER, as an actor's would be.
    func dealer() throws -> ZMQSocket {
        let socket = try ZMQSocket(.dealer, context: context, options: SocketOptions(linger: .seconds(1)))
        try socket.connect(rollouts)
        return socket
    }

    /// The metrics the learner wrote last.
    func latestMetrics() -> MetricsRecord? {
        (try? MetricsFile.records(at: metricsPath))?.last
    }

    /// Polls the metrics file until its latest record satisfies `condition`; nil after `timeout` seconds.
    func waitForMetrics(timeout: Double, _ condition: (MetricsRecord) -> Bool) -> MetricsRecord? {
        poll(timeout: timeout) { latestMetrics().flatMap { condition($0) ? $0 : nil } }
    }

    /// Waits until the learner has applied a few updates from the good actor.
    func waitUntilLearning(file: StaticString = #filePath, line: UInt = #line) throws -> MetricsRecord {
        try XCTUnwrap(waitForMetrics(timeout: 20) { ($0.values["charts/version"] ?? 0) >= 3 },
                      "the learner is not learning: \(learner.output)\n\(actor.output)", file: file, line: line)
    }

    /// Asserts the learner goes on consuming the good actor's rollouts after `record`: a later record with a
    /// higher version and more rollouts consumed.
    func assertStillLearning(after record: MetricsRecord, file: StaticString = #filePath, line: UInt = #line) {
        let version = record.values["charts/version"] ?? 0
        let consumed = record.values["queue/consumed"] ?? 0
        let later = waitForMetrics(timeout: 5) {
            ($0.values["charts/version"] ?? 0) >= version + 3 && ($0.values["queue/consumed"] ?? 0) > consumed
        }
        XCTAssertNotNil(later, "no progress after v\(version): \(learner.output)", file: file, line: line)
    }

    /// Every `queue/rejected_<label>` count in `record`, by label.
    static func rejections(in record: MetricsRecord) -> [String: Double] {
        let prefix = "queue/rejected_"
        return Dictionary(uniqueKeysWithValues: record.values.compactMap { name, value in
            name.hasPrefix(prefix) ? (String(name.dropFirst(prefix.count)), value) : nil
        })
    }

    /// Stops both processes with SIGTERM and asserts they exit cleanly: no crash, no hang.
    func assertCleanShutdown(file: StaticString = #filePath, line: UInt = #line) {
        for process in [actor, learner] {
            process.signal(SIGTERM)
            XCTAssertEqual(process.wait(timeout: 10), 0, process.output, file: file, line: line)
        }
    }

    /// Kills what is left and closes the context (test cleanup; sockets must be closed first).
    func cleanUp() {
        actor.kill()
        learner.kill()
        context.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
