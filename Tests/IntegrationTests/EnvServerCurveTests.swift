import Foundation
import ShoalCore
import XCTest
import ZeroMQ

@testable import ShoalRuntime

/// Environment servers (Python and C) with CurveZMQ, as real processes over TCP: only allowed clients are answered,
/// and a learner and an actor with the servers' public key train through one.
final class EnvServerCurveTests: XCTestCase {
    private var keys: URL!

    override func setUpWithError() throws {
        try PythonEnvironmentServers.requireShoalEnv()
        keys = try temporaryDirectory("env-curve")
        let allowed = keys.appendingPathComponent("allowed").path
        try FileManager.default.createDirectory(atPath: allowed, withIntermediateDirectories: true)
        try CurveKeyFiles.generate(name: "env-server", directory: keys.path)
        try CurveKeyFiles.generate(name: "stranger", directory: keys.path)
        try CurveKeyFiles.generate(name: "actor", directory: allowed)
        try CurveKeyFiles.generate(name: "learner", directory: allowed)
    }

    private func key(_ name: String) -> String {
        FileManager.default.fileExists(atPath: keys.appendingPathComponent("\(name).key").path)
            ? keys.appendingPathComponent("\(name).key").path : keys.appendingPathComponent("allowed/\(name).key").path
    }

    private var serverOptions: [String] {
        ["--curve-secret-key", key("env-server"), "--curve-allow", keys.appendingPathComponent("allowed").path]
    }

    /// A client with `name`'s key pair (nil: plain text) towards the servers' public key.
    private func curve(_ name: String?) throws -> CurveSecurity? {
        try name.map { .client(keys: try CurveKeyFiles.readKeyPair(key($0)),
                               serverPublicKey: try CurveKeyFiles.readPublicKey(keys.appendingPathComponent("env-server.pub").path)) }
    }

    func testCurveServersAnswerOnlyAllowedClients() throws {
        let program = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("c/build/shoal-env-cartpole")
        let (pythonPort, cPort) = (try freeTCPPort(), try freeTCPPort())
        let python = try PythonEnvironmentServers.start(
            ["-m", "shoal_env", "serve", "tcp://127.0.0.1:\(pythonPort)", "--env", "gymnasium:CartPole-v1"]
                + serverOptions, log: keys.appendingPathComponent("python.log"))
        defer { python.terminate() }
        let c = Process()
        c.executableURL = program
        c.arguments = ["serve", "tcp://127.0.0.1:\(cPort)"] + serverOptions
        try c.run()
        defer { c.terminate() }

        for (name, port) in [("Python", pythonPort), ("C", cPort)] {
            let endpoint = "tcp://127.0.0.1:\(port)"
            let spec = try EnvServerProbe.describe(endpoint: endpoint, wait: .seconds(30), attempt: .seconds(5),
                                                   curve: try curve("actor"))
            XCTAssertEqual(spec.observation.shape, [4], "\(name) server")
            XCTAssertNoThrow(try EnvServerProbe.describe(endpoint: endpoint, wait: .seconds(10), attempt: .seconds(5),
                                                         curve: try curve("learner")), "\(name) server")
            for (client, security) in [("a key not on the allow-list", try curve("stranger")), ("plain text", nil)] {
                XCTAssertThrowsError(try EnvServerProbe.describe(endpoint: endpoint, wait: .seconds(2),
                                                                 attempt: .seconds(1), curve: security),
                                     "the \(name) server answered \(client)")
            }
        }
        let log = try String(contentsOf: keys.appendingPathComponent("python.log"), encoding: .utf8)
        XCTAssertTrue(log.contains("refused a CURVE client with key"), log)
    }

    /// env: remote with a CURVE server: the learner asks it what it hosts and the actor steps it, both with the
    /// servers' public key and their own key pairs; the learner consumes the actor's rollouts.
    func testALearnerAndActorTrainThroughACurveServer() throws {
        let (serverPort, rollouts, weights) = (try freeTCPPort(), try freeTCPPort(), try freeTCPPort())
        let server = try PythonEnvironmentServers.start(
            ["-m", "shoal_env", "serve", "tcp://127.0.0.1:\(serverPort)", "--env", "gymnasium:CartPole-v1",
             "--num-envs", "16"] + serverOptions, log: keys.appendingPathComponent("server.log"))
        defer { server.terminate() }
        let allowed = keys.appendingPathComponent("allowed").path
        let common = ["--run-id", "env-curve", "--set", "env=remote", "--set", "envServers=[\"tcp://127.0.0.1:\(serverPort)\"]",
                      "--set", "envServersPerActor=1", "--set", "envsPerServer=16", "--set", "targetReturn=none",
                      "--set", "maxSeconds=60", "--set", "checkpointSeconds=0.2",
                      "--curve-env-server-key", keys.appendingPathComponent("env-server.pub").path]
        let checkpoints = keys.appendingPathComponent("checkpoints").path
        let learner = try ShoalProcess(
            ["learner"] + common + ["--rollouts", "tcp://127.0.0.1:\(rollouts)", "--weights", "tcp://127.0.0.1:\(weights)",
                                    "--checkpoints", checkpoints, "--curve-secret-key", key("learner"),
                                    "--curve-allow", "\(allowed)/actor.pub"],
            log: keys.appendingPathComponent("learner.log"))
        defer { learner.kill() }
        let actor = try ShoalProcess(
            ["actor", "--id", "0"] + common + ["--learner", "tcp://127.0.0.1:\(rollouts)",
                                               "--weights", "tcp://127.0.0.1:\(weights)",
                                               "--curve-secret-key", key("actor"), "--curve-server-key", "\(allowed)/learner.pub"],
            log: keys.appendingPathComponent("actor.log"))
        defer { actor.kill() }

        let store = CheckpointStore(directory: checkpoints)
        let deadline = Date().addingTimeInterval(60)
        var version: UInt64 = 0
        while version < 10 && Date() < deadline {
            usleep(100_000)
            version = (try? store.list().last?.version) ?? 0
        }
        XCTAssertGreaterThanOrEqual(version, 10, "no training through the CURVE server:\n\(learner.output)\n\(actor.output)")
        XCTAssertTrue(actor.output.contains("environment server ready"), actor.output)
        for process in [actor, learner] { process.signal(SIGTERM) }
        XCTAssertEqual(learner.wait(timeout: 10), 0, learner.output)
    }
}
