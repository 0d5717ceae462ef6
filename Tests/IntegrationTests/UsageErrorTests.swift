import Foundation
import XCTest

/// Bad configs and arguments: a message naming the problem, exit code 2, and nothing started.
final class UsageErrorTests: XCTestCase {
    func testBadConfigsAndArgumentsExitWithTwoAndStartNothing() throws {
        let runs = try temporaryDirectory("usage")
        let badFile = runs.appendingPathComponent("bad.yaml")
        try "learningRate: fast\n".write(to: badFile, atomically: true, encoding: .utf8)
        let goodFile = runs.appendingPathComponent("good.yaml")
        try "seed: 2\n".write(to: goodFile, atomically: true, encoding: .utf8)
        let unknownFile = runs.appendingPathComponent("unknown.yaml")
        try "learningrate: 0.1\n".write(to: unknownFile, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["train", "--set", "learningRate=-1"], "learningRate"),
            (["train", "--set", "envsPerActor=zero"], "envsPerActor"),
            (["train", "--set", "env=Pong-v5"], "Pong-v5"),
            (["train", "--set", "noSuchField=1"], "noSuchField"),
            (["train", "--set", "env=gymnasium:"], "env"),
            (["train", "--set", "env=remote"], "envServers"),
            (["train", "--set", "env=gymnasium:CartPole-v1", "--set", "envArgs=[1]"], "envArgs"),
            (["train", "--set", "env=gymnasium:CartPole-v1", "--set", "envsPerServer=0"], "envsPerServer"),
            (["train", "--in-process", "--set", "env=gymnasium:CartPole-v1"], "--in-process"),
            (["train", badFile.path], "learningRate"),
            (["train", unknownFile.path], "learningrate"),
            (["train", runs.appendingPathComponent("missing.yaml").path], "missing.yaml"),
            (["train", "--actors", "0"], "actors"),
            (["train", "--max-seconds", "soon"], "max-seconds"),
            (["train", "--resume", runs.appendingPathComponent("no-such-run").path], "no-such-run"),
            (["chaos", runs.path, "kill"], "process name"),
            (["learner", "--run-id", "r"], "--rollouts"),
            (["plan", "--run-id", "r", "--config", badFile.path, "--dir", runs.path, "--learner-host", "h"],
             "learningRate"),
            (["plan", "--run-id", "r", "--dir", runs.path, "--config", goodFile.path, "--learner-host", "h",
              "--learner-ports", "5555,x"], "--learner-ports"),
            (["env-server", "ipc:///tmp/never.sock", "--set", "env=CartPole-v1"], "is not served"),
            (["actor", "--run-id", "r", "--id", "0", "--learner", "tcp://h:1", "--weights", "tcp://h:2",
              "--curve-env-server-key", "k.pub"], "--curve-env-server-key needs"),
        ]
        for (index, (arguments, named)) in cases.enumerated() {
            // A train command that got past its checks would create its run under `runs`.
            let runsDirectory = arguments[0] == "train" ? ["--runs-dir", runs.path] : []
            let process = try ShoalProcess(arguments + runsDirectory,
                                           log: runs.appendingPathComponent("case-\(index).log"))
            XCTAssertEqual(process.wait(timeout: 30), 2, "\(arguments): \(process.output)")
            XCTAssertTrue(process.output.contains(named), "\(arguments) does not name '\(named)': \(process.output)")
        }
        let created = try FileManager.default.contentsOfDirectory(atPath: runs.path)
            .filter { !$0.hasSuffix(".log") && !$0.hasSuffix(".yaml") }
        XCTAssertEqual(created, [], "a refused command started a run")
    }
}
