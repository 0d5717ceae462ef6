import Foundation
import ShoalRuntime
import XCTest

/// Environments served by real Python environment servers over real sockets: training, servers that crash, hang,
/// fail inside the environment or answer badly, and servers whose environments do not fit the run.
final class RemoteEnvironmentTests: XCTestCase {
    private var python: String { PythonEnvironmentServers.python }
    private var cartPole: [String] {
        ["--set", "env=gymnasium:CartPole-v1", "--set", "pythonExecutable=\(python)", "--set", "actors=1"]
    }
    private let longRun = ["--set", "targetReturn=none", "--max-seconds", "120", "--max-env-steps", "1000000000"]

    override func setUpWithError() throws {
        try PythonEnvironmentServers.requireShoalEnv()
    }

    /// `shoal train --set env=gymnasium:CartPole-v1` alone: the supervisor starts two servers for the actor, shows
    /// them in status, and the run learns and finishes with its accounting whole.
    func testTrainsAGymnasiumEnvironmentThroughPythonServers() throws {
        let live = try LiveRun("remote-train", cartPole + ["--target-return", "100", "--max-seconds", "150"],
                               processes: 4)
        let servers = try live.status.processes.filter { $0.role == "env-server" }.map(\.name).sorted()
        XCTAssertEqual(servers, ["env-0-0", "env-0-1"])
        XCTAssertEqual(live.train.wait(timeout: 170), 0, live.train.output.suffix(3_000).description)
        XCTAssertTrue(try live.log(of: "learner").contains("StopReason.targetReached"), "the target was reached")
        XCTAssertAccountingAddsUp(try live.status.accounting)
        XCTAssertTrue(try live.log(of: "actor-0").contains("autoreset=next-step"),
                      "gymnasium's CartPoleVectorEnv is served as it is, resetting on the next step")
    }

    /// A recurrent policy through servers that autoreset on the next step: its state is carried, zeroed after
    /// episode ends and reset steps, sent in each rollout (the learner refuses rollouts whose state does not fit), and
    /// the run learns.
    func testARecurrentPolicyTrainsOnServedEnvironments() throws {
        let live = try LiveRun("remote-lstm", cartPole + ["--set", "core=lstm", "--set", "lstmSize=32",
                                                          "--set", "envsPerServer=32", "--target-return", "100",
                                                          "--max-seconds", "150"], processes: 4)
        XCTAssertEqual(live.train.wait(timeout: 170), 0, live.train.output.suffix(3_000).description)
        XCTAssertTrue(try live.log(of: "learner").contains("StopReason.targetReached"), "the target was reached")
        XCTAssertAccountingAddsUp(try live.status.accounting)
        XCTAssertEqual(try live.learnerStat("dropped/malformed"), 0, "every rollout's state fitted the network")
    }

    /// The C example (c/examples/cartpole.c on c/include/shoal_env.h) trains like any environment: `env: exec:PROGRAM`.
    func testTrainsTheCExampleEnvironment() throws {
        let program = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("c/build/shoal-env-cartpole")
        guard FileManager.default.isExecutableFile(atPath: program.path) else {
            throw LiveRunError(description: "\(program.path) is missing: run scripts/setup.sh (or make -C c)")
        }
        let live = try LiveRun("remote-c", ["--set", "env=exec:\(program.path)", "--set", "actors=1",
                                            "--target-return", "100", "--max-seconds", "150"], processes: 4)
        XCTAssertEqual(live.train.wait(timeout: 170), 0, live.train.output.suffix(3_000).description)
        XCTAssertTrue(try live.log(of: "learner").contains("StopReason.targetReached"), "the target was reached")
        XCTAssertTrue(try live.log(of: "actor-0").contains("env=CartPoleC-v1"))
        XCTAssertAccountingAddsUp(try live.status.accounting)
    }

    /// Frames end to end: a served environment of uint8 images trains a convolutional policy, its observations kept
    /// as bytes from the server to the network's first layer (which scales them to [0, 1]); `shoal eval` runs it.
    func testTrainsOnFramesKeptAsBytes() throws {
        let live = try LiveRun(
            "remote-pixels", ["--set", "env=python:shoal_pixel_envs:BrightSide", "--set", "torso=minatar",
                              "--set", "envsPerServer=16", "--set", "pythonExecutable=\(python)", "--set", "actors=1",
                              "--target-return", "9", "--max-seconds", "150"],
            processes: 4, environment: PythonEnvironmentServers.environment)
        XCTAssertEqual(live.train.wait(timeout: 170), 0, live.train.output.suffix(3_000).description)
        XCTAssertTrue(try live.log(of: "learner").contains("StopReason.targetReached"), "the target was reached")
        XCTAssertTrue(try live.log(of: "actor-0").contains("observations=uint8[8, 8, 1]"))
        XCTAssertAccountingAddsUp(try live.status.accounting)

        // `shoal eval` runs the same convolutional policy on frames from a server it starts: it reads the pixels.
        let eval = try ShoalProcess(["eval", live.run.path, "--episodes", "16", "--greedy", "--json"],
                                    log: live.runs.appendingPathComponent("eval.log"),
                                    environment: PythonEnvironmentServers.environment)
        XCTAssertEqual(eval.wait(timeout: 120), 0, eval.output)
        let line = try XCTUnwrap(eval.output.split(separator: "\n").last { $0.hasPrefix("{") })
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(result["episodes"] as? Int, 16)
        XCTAssertGreaterThanOrEqual(result["return_mean"] as? Double ?? 0, 9, "a random policy scores about 5")
    }

    /// A server SIGKILLed and another SIGSTOPped: each one's unfinished unroll is dropped under its own reason, the
    /// supervisor restarts them (the stopped one for its silence), the actor reconnects, and training never stops.
    func testKilledAndHungServersAreRestartedWhileTheOthersTrainOn() throws {
        let live = try LiveRun("remote-faults", cartPole + longRun + ["--set", "envTimeoutSeconds=1"], processes: 4)
        try live.waitUntil("training under way", timeout: 60) { _ in try live.learnerStat("env_steps") > 5_000 }

        try live.chaos.inject(.kill, into: "env-0-0")
        try live.waitUntil("env-0-0 restarted", timeout: 20) { status in
            status.processes.contains { $0.name == "env-0-0" && $0.restarts >= 1 && $0.state == .running }
        }
        let stepsBeforeStall = try live.learnerStat("env_steps")
        try live.chaos.inject(.stop, into: "env-0-1")
        try live.waitUntil("a timed-out unroll counted", timeout: 20) { status in
            (status.processes.first { $0.name == "actor-0" }?.stats["abandoned/env_server_timeout"] ?? 0) >= 1
        }
        // While env-0-1 hangs, env-0-0's environments keep training.
        try live.waitUntil("training on during the stall", timeout: 20) { _ in
            try live.learnerStat("env_steps") > stepsBeforeStall + 2_000
        }
        try live.waitUntil("env-0-1 restarted for its silence", timeout: 30) { status in
            status.processes.contains { $0.name == "env-0-1" && $0.restarts >= 1 && $0.state == .running }
        }
        try live.waitUntil("both servers stepping again", timeout: 30) { status in
            (status.processes.first { $0.name == "actor-0" }?.stats["env_servers_up"] ?? 0) == 2
        }
        let actorLog = try live.log(of: "actor-0")
        XCTAssertTrue(actorLog.contains("environment server fault"), actorLog.suffix(2_000).description)
        let (code, status) = try live.interrupt()
        XCTAssertEqual(code, 130)
        XCTAssertAccountingAddsUp(status.accounting)
    }

    /// An environment that raises: the server answers with the Python traceback, which reaches the actor's log; the
    /// unroll is dropped as env_server_error and the actor carries on with a fresh session.
    func testAnEnvironmentErrorIsReportedWithItsTracebackAndTrainingGoesOn() throws {
        let live = try LiveRun(
            "remote-error", ["--set", "env=python:shoal_fault_envs:FailingCartPole", "--set", "envArgs={\"every\": 300}",
                             "--set", "envsPerServer=16",
                             "--set", "pythonExecutable=\(python)", "--set", "actors=1"] + longRun,
            processes: 4, environment: PythonEnvironmentServers.environment)
        try live.waitUntil("three environment errors", timeout: 60) { status in
            (status.processes.first { $0.name == "actor-0" }?.stats["abandoned/env_server_error"] ?? 0) >= 3
        }
        let stepsAfterErrors = try live.learnerStat("env_steps")
        try live.waitUntil("training on", timeout: 20) { _ in try live.learnerStat("env_steps") > stepsAfterErrors + 2_000 }
        let actorLog = try live.log(of: "actor-0")
        XCTAssertTrue(actorLog.contains("simulated failure at call"), actorLog.suffix(2_000).description)
        XCTAssertTrue(actorLog.contains("Traceback"), "the server's traceback reaches the actor's log")
        let (code, status) = try live.interrupt()
        XCTAssertEqual(code, 130)
        XCTAssertEqual(status.processes.filter { $0.role == "env-server" }.map(\.restarts), [0, 0],
                       "an environment error is not a server crash")
        XCTAssertAccountingAddsUp(status.accounting)
    }

    /// Servers started apart (env: remote): one good, three that answer steps with garbage, a NaN observation and the
    /// wrong shape. Each bad reply is refused under its own name and counted; the good server's environments train.
    func testBadRepliesAreRefusedByNameWhileAGoodServerTrains() throws {
        let directory = try temporaryDirectory("remote-bad")
        let endpoints = (0..<4).map { "ipc://\(directory.path)/server-\($0).sock" }
        var servers = [try PythonEnvironmentServers.start(
            ["-m", "shoal_env", "serve", endpoints[0], "--env", "gymnasium:CartPole-v1", "--num-envs", "4"],
            log: directory.appendingPathComponent("good.log"))]
        for (endpoint, mode) in zip(endpoints.dropFirst(), ["garbage", "nan", "shape"]) {
            servers.append(try PythonEnvironmentServers.start(
                [PythonEnvironmentServers.fixtures.appendingPathComponent("bad_env_server.py").path, endpoint, mode],
                log: directory.appendingPathComponent("\(mode).log")))
        }
        defer { for server in servers { server.terminate() } }
        let envServers = "[" + endpoints.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let live = try LiveRun("remote-bad", ["--set", "env=remote", "--set", "envServers=\(envServers)",
                                              "--set", "envServersPerActor=4", "--set", "envsPerServer=4",
                                              "--set", "actors=1"] + longRun,
                               processes: 2)
        try live.waitUntil("every bad reply refused", timeout: 60) { status in
            let stats = status.processes.first { $0.name == "actor-0" }?.stats ?? [:]
            return ["malformed", "non_finite", "shape_mismatch"].allSatisfy { (stats["env_rejected/\($0)"] ?? 0) >= 1 }
                && (stats["abandoned/env_server_invalid_reply"] ?? 0) >= 3
        }
        let steps = try live.learnerStat("env_steps")
        try live.waitUntil("the good server's environments to train", timeout: 30) { _ in
            try live.learnerStat("env_steps") > steps + 2_000
        }
        let (code, status) = try live.interrupt()
        XCTAssertEqual(code, 130)
        XCTAssertAccountingAddsUp(status.accounting)
    }

    /// A server whose environments differ from the run's (the first server's) is refused, naming what differs.
    func testAServerThatDoesNotFitTheRunIsRefusedNamingTheDifference() throws {
        let directory = try temporaryDirectory("remote-unfit")
        let endpoints = (0..<2).map { "ipc://\(directory.path)/server-\($0).sock" }
        let servers = try zip(endpoints, ["gymnasium:CartPole-v1", "gymnasium:Acrobot-v1"]).map { endpoint, env in
            try PythonEnvironmentServers.start(["-m", "shoal_env", "serve", endpoint, "--env", env, "--num-envs", "8"],
                                               log: directory.appendingPathComponent("\(env.suffix(10)).log"))
        }
        defer { for server in servers { server.terminate() } }
        let envServers = "[" + endpoints.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let live = try LiveRun("remote-unfit", ["--set", "env=remote", "--set", "envServers=\(envServers)",
                                                "--set", "envsPerServer=8", "--set", "actors=1"] + longRun,
                               processes: 2)
        try live.waitUntil("the unfit server refused", timeout: 60) { status in
            (status.processes.first { $0.name == "actor-0" }?.stats["env_faults/env_server_unfit"] ?? 0) >= 1
        }
        let actorLog = try live.log(of: "actor-0")
        XCTAssertTrue(actorLog.contains("does not fit the run: it has observations of shape [6]"),
                      actorLog.suffix(2_000).description)
        try live.waitUntil("CartPole training on", timeout: 30) { _ in try live.learnerStat("env_steps") > 2_000 }
        _ = try live.interrupt()
    }
}
