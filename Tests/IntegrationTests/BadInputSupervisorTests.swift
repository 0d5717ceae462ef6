import Foundation
import ShoalRuntime
import ShoalWire
import XCTest
import ZeroMQ

/// `shoal supervise` with two `shoal probe` children, and the test's own PUSH sockets sending bad frames to its
/// heartbeat PULL: the supervisor counts and logs them by reason, goes on tracking its children and never crashes.
final class BadInputSupervisorTests: XCTestCase {
    private var run: SupervisedRun!
    private var context: ZMQContext!

    override func setUpWithError() throws {
        run = try SupervisedRun(children: [
            "{name: learner, role: learner, command: [shoal, probe, --role, learner]}",
            "{name: actor-0, role: actor, id: 0, command: [shoal, probe, --id, '0']}",
        ])
        context = try ZMQContext()
    }

    override func tearDown() {
        context?.close()
        run?.cleanUp()
    }

    func testGarbageOnTheHeartbeatSocketIsCountedAndTheChildrenAreStillTracked() throws {
        let before = try XCTUnwrap(run.waitUntilAllRunning(), run.supervisorLog)

        let random = BadFrames.random(count: 20, seed: 6)
        let truncated = BadFrames.truncations(of: heartbeat().encode())
        var expected = BadFrames.expectedRejections(random + truncated)
        var otherRun = heartbeat()
        otherRun.runID = "another-run"
        var notFinite = heartbeat()
        notFinite.stats["probe/elapsed"] = .infinity
        var manyStats = heartbeat()
        manyStats.stats = Dictionary(uniqueKeysWithValues: (0..<1_000).map { ("stat/\($0)", 1.0) })
        let wrong: [(Heartbeat, String)] = [(otherRun, "wrong_run_id"), (notFinite, "non_finite"),
                                            (manyStats, "too_large")]
        for (_, label) in wrong { expected[label, default: 0] += 1 }
        expected["bad_multipart"] = 1

        let hostile = try push()
        defer { hostile.close() }
        for frame in random + truncated + wrong.map({ $0.0.encode() }) {
            XCTAssertEqual(try hostile.send(frame, timeout: .seconds(2)), .sent)
        }
        XCTAssertEqual(try hostile.send(parts: [heartbeat().encode(), random[0]], timeout: .seconds(2)), .sent)
        // libzmq refuses this one at its size header (the limit is 64 KiB) and drops the connection.
        let oversized = try push()
        defer { oversized.close() }
        XCTAssertEqual(try oversized.send(BadFrames.oversized(limit: 64 << 10), timeout: .seconds(2)), .sent)

        let logged = poll(timeout: 5) { () -> [String: Int]? in
            let counts = Self.loggedCounts(run.supervisorLog)
            return counts == expected.mapValues { Self.largestPowerOfTwo(atMost: Int($0)) } ? counts : nil
        }
        XCTAssertNotNil(logged, "logged \(Self.loggedCounts(run.supervisorLog)) for \(expected): \(run.supervisorLog)")
        assertChildrenStillTracked(since: before)
        XCTAssertTrue(run.process.isRunning)
        kill(run.process.processIdentifier, SIGTERM)
        XCTAssertEqual(run.waitForExit(timeout: 10), 130, "interrupted, not crashed: \(run.supervisorLog)")
    }

    /// A peer flooding the heartbeat socket with frames that take far longer to decode than to send does not keep
    /// the supervisor from its other work, nor from its children's heartbeats: it goes on rewriting status.json
    /// (every 0.1 s) with their latest heartbeats (every 0.1 s), and kills none as silent.
    func testFloodOfCostlyFramesDoesNotStarveTheSupervisor() throws {
        let before = try XCTUnwrap(run.waitUntilAllRunning(), run.supervisorLog)
        // Each is decoded in full (two thousand stats, some 50 KB), then refused as too large.
        var manyStats = heartbeat()
        manyStats.stats = Dictionary(uniqueKeysWithValues: (0..<2_000).map { ("stat/\($0)", 1.0) })
        let flood = Flood(.push, context: context, endpoint: heartbeatEndpoint, frame: manyStats.encode())
        defer { flood.stop() }

        let statusPath = "\(run.directory)/run/status.json"
        func writtenAt() -> Date? {
            try? FileManager.default.attributesOfItem(atPath: statusPath)[.modificationDate] as? Date
        }
        func oldestBeat() -> Double? { run.status()?.processes.compactMap(\.lastHeartbeat).min() }
        var statusWrites = LongestUnchanged(writtenAt())
        var heartbeats = LongestUnchanged(oldestBeat())
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(2) {
            Thread.sleep(forTimeInterval: 0.01)
            statusWrites.observe(writtenAt())
            heartbeats.observe(oldestBeat())
        }
        let sent = flood.stop()

        XCTAssertGreaterThan(sent, 1_000, "a flood")
        XCTAssertLessThan(statusWrites.longest, .milliseconds(500), "status.json stalled during \(sent) frames")
        XCTAssertLessThan(heartbeats.longest, .milliseconds(500), "heartbeats held back during \(sent) frames")
        assertChildrenStillTracked(since: before)
        XCTAssertTrue(run.supervisorLog.contains("reason=too_large"), run.supervisorLog)
    }

    // MARK: - Helpers

    /// A PUSH socket connected to the supervisor's heartbeat PULL, as a child's would be.
    private func push() throws -> ZMQSocket {
        let socket = try ZMQSocket(.push, context: context, options: SocketOptions(linger: .seconds(1)))
        try socket.connect(heartbeatEndpoint)
        return socket
    }

    private var heartbeatEndpoint: String { "ipc://\(run.directory)/run/supervisor.ipc" }

    /// A heartbeat the supervisor would take from actor-0.
    private func heartbeat() -> Heartbeat {
        Heartbeat(runID: "integration", role: .actor, id: 0, pid: 1, host: "hostile", incarnation: 1,
                  timestampNanos: 0, stats: ["probe/elapsed": 1])
    }

    /// Both children still running in their first incarnation, with heartbeats newer than in `before`.
    private func assertChildrenStillTracked(since before: RunStatus, file: StaticString = #filePath,
                                            line: UInt = #line) {
        let beats = Dictionary(uniqueKeysWithValues: before.processes.map { ($0.name, $0.lastHeartbeat ?? 0) })
        let after = run.waitForStatus(timeout: 3) { status in
            status.processes.allSatisfy { ($0.lastHeartbeat ?? 0) > (beats[$0.name] ?? 0) + 0.5 }
        }
        guard let after else {
            return XCTFail("heartbeats no longer tracked: \(run.supervisorLog)", file: file, line: line)
        }
        for process in after.processes {
            XCTAssertEqual(process.state, .running, process.name, file: file, line: line)
            XCTAssertEqual(process.restarts, 0, process.name, file: file, line: line)
            XCTAssertEqual(process.incarnation, 1, process.name, file: file, line: line)
        }
    }

    /// The highest count the supervisor logged for each reason of ignored heartbeat frames.
    private static func loggedCounts(_ log: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in log.split(separator: "\n") where line.contains("ignored heartbeat frames") {
            let words = line.split(separator: " ")
            guard let reason = words.first(where: { $0.hasPrefix("reason=") })?.dropFirst("reason=".count),
                  let count = words.first(where: { $0.hasPrefix("count=") }).flatMap({ Int($0.dropFirst(6)) })
            else { continue }
            counts[String(reason)] = max(counts[String(reason)] ?? 0, count)
        }
        return counts
    }

    /// The supervisor logs the 1st, 2nd, 4th... frame of each reason: the last one logged for `count` frames.
    private static func largestPowerOfTwo(atMost count: Int) -> Int {
        1 << (Int.bitWidth - 1 - count.leadingZeroBitCount)
    }
}

/// The longest time a polled value stayed the same.
private struct LongestUnchanged<Value: Equatable> {
    private var value: Value
    private var since = ContinuousClock.now
    private var longestEnded = Duration.zero

    init(_ value: Value) {
        self.value = value
    }

    /// The longest stretch so far, the current one included.
    var longest: Duration { max(longestEnded, ContinuousClock.now - since) }

    mutating func observe(_ newValue: Value) {
        guard newValue != value else { return }
        longestEnded = max(longestEnded, ContinuousClock.now - since)
        (value, since) = (newValue, ContinuousClock.now)
    }
}
