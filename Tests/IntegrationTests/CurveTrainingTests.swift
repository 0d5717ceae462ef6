import Foundation
import ShoalCore
import XCTest

@testable import ShoalRuntime

/// A learner and actors with CurveZMQ, as real processes over TCP: only the allowed actor trains.
final class CurveTrainingTests: XCTestCase {
    func testOnlyTheAllowedActorTrainsAndASilentConnectionBlocksNobody() throws {
        let directory = try temporaryDirectory("curve")
        let keys = directory.path
        let allowed = directory.appendingPathComponent("allowed").path
        try FileManager.default.createDirectory(atPath: allowed, withIntermediateDirectories: true)
        try CurveKeyFiles.generate(name: "learner", directory: keys)
        try CurveKeyFiles.generate(name: "impostor", directory: keys)
        try CurveKeyFiles.generate(name: "unlisted", directory: keys)
        try CurveKeyFiles.generate(name: "good", directory: allowed)
        try CurveKeyFiles.generate(name: "misled", directory: allowed)

        let ports = (try freeTCPPort(), try freeTCPPort())
        let endpoints = ("tcp://127.0.0.1:\(ports.0)", "tcp://127.0.0.1:\(ports.1)")
        let common = ["--run-id", "curve", "--set", "targetReturn=none", "--set", "maxSeconds=30",
                      "--set", "checkpointSeconds=0.2"]
        let checkpoints = directory.appendingPathComponent("checkpoints").path
        let metrics = directory.appendingPathComponent("metrics.jsonl").path
        let learner = try ShoalProcess(
            ["learner"] + common + ["--rollouts", endpoints.0, "--weights", endpoints.1, "--checkpoints", checkpoints,
                                    "--metrics", metrics, "--curve-secret-key", "\(keys)/learner.key",
                                    "--curve-allow", allowed],
            log: directory.appendingPathComponent("learner.log"))
        defer { learner.kill() }
        // Connects and never says a word, before any actor does: it must not hold up the handshakes of others.
        let silent = try XCTUnwrap(connectRaw(port: ports.0, within: 10), "learner never listened: \(learner.output)")
        defer { close(silent) }

        func actor(_ id: Int, _ security: [String]) throws -> ShoalProcess {
            try ShoalProcess(["actor", "--id", "\(id)"] + common + ["--learner", endpoints.0, "--weights", endpoints.1]
                             + security, log: directory.appendingPathComponent("actor-\(id).log"))
        }
        let good = try actor(0, ["--curve-secret-key", "\(allowed)/good.key",
                                 "--curve-server-key", "\(keys)/learner.pub"])
        defer { good.kill() }
        let shut = [
            "wrong server key": try actor(1, ["--curve-secret-key", "\(allowed)/misled.key",
                                              "--curve-server-key", "\(keys)/impostor.pub"]),
            "no key": try actor(2, []),
            "key not on the list": try actor(3, ["--curve-secret-key", "\(keys)/unlisted.key",
                                                 "--curve-server-key", "\(keys)/learner.pub"]),
        ]
        defer { shut.values.forEach { $0.kill() } }

        // Trains for at least 2 s, time for the refused actors to try (and re-try) many times.
        let store = CheckpointStore(directory: checkpoints)
        var version: UInt64 = 0
        let (started, deadline) = (Date(), Date().addingTimeInterval(25))
        while (version < 30 || Date() < started.addingTimeInterval(2)) && Date() < deadline {
            usleep(100_000)
            version = (try? store.list().last?.version) ?? 0
        }
        XCTAssertGreaterThanOrEqual(version, 30, "the allowed actor did not train: \(learner.output)\n\(good.output)")

        for process in [good, learner] + Array(shut.values) { process.signal(SIGTERM) }
        XCTAssertEqual(learner.wait(timeout: 10), 0, learner.output)
        XCTAssertTrue(good.output.contains("first weights"), good.output)
        for (name, process) in shut {
            process.wait(timeout: 10)
            XCTAssertFalse(process.output.contains("first weights"),
                           "actor with \(name) got weights: \(process.output)")
        }
        let state = try XCTUnwrap(try store.loadLatest()).state
        let settled = try SettledSeqs.decode(state.metadata[SettledSeqs.metadataKey])
        XCTAssertFalse(settled.isEmpty)
        XCTAssertEqual(Set(settled.keys.map(\.actorID)), [0], "the learner took rollouts from a refused actor")
        let refusals = try MetricsFile.records(at: metrics).last?.values["security/refused_connections"]
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(refusals), 1, "the unlisted actor was never refused by ZAP")
    }

    func testKeygenCommandWritesAPrivateKeyFileAndRefusesToOverwrite() throws {
        let directory = try temporaryDirectory("keygen")
        let first = try ShoalProcess(["keygen", "learner", "--dir", directory.path],
                                     log: directory.appendingPathComponent("first.log"))
        XCTAssertEqual(first.wait(timeout: 20), 0, first.output)
        let secret = directory.appendingPathComponent("learner.key").path
        let mode = try FileManager.default.attributesOfItem(atPath: secret)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
        let before = try String(contentsOfFile: secret, encoding: .utf8)
        XCTAssertEqual(try CurveKeyFiles.readKeyPair(secret).publicKey,
                       try CurveKeyFiles.readPublicKey(directory.appendingPathComponent("learner.pub").path))

        let again = try ShoalProcess(["keygen", "learner", "--dir", directory.path],
                                     log: directory.appendingPathComponent("again.log"))
        XCTAssertEqual(again.wait(timeout: 20), 2, again.output)
        XCTAssertTrue(again.output.contains("already exists"), again.output)
        XCTAssertEqual(try String(contentsOfFile: secret, encoding: .utf8), before, "the secret key was overwritten")
    }

    /// A plain TCP connection to 127.0.0.1:`port`, retried until the port listens or `within` seconds pass.
    private func connectRaw(port: UInt16, within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            if connected { return descriptor }
            close(descriptor)
            usleep(50_000)
        }
        return nil
    }
}
