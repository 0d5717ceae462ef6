import Foundation
import ShoalRuntime
import XCTest

/// `shoal train --prometheus` on a live run: every process's endpoint, scraped over HTTP and checked by Prometheus's
/// own `promtool check metrics` (Debian's prometheus package, installed by scripts/setup.sh).
final class PrometheusTests: XCTestCase {
    /// The supervisor, the learner and each actor serve on consecutive ports an exposition promtool accepts, labelled
    /// with the run id, role and actor id; counters grow while the run goes on; status.json and `shoal status` name
    /// every endpoint.
    func testALiveRunsEndpointsPassPromtoolAndGrow() throws {
        let port = Int(try freeTCPPort())
        let live = try LiveRun("prometheus", ["--prometheus", "127.0.0.1:\(port)", "--actors", "2",
                                              "--set", "targetReturn=none", "--max-seconds", "120"], processes: 3)
        defer { live.train.kill() }
        let runID = live.run.runID
        _ = try live.waitUntil("the learner to count rollouts", timeout: 60) {
            ($0.processes.first { $0.name == "learner" }?.stats["consumed"] ?? 0) > 0
        }
        let roles = [("supervisor", nil), ("learner", nil), ("actor", "0"), ("actor", "1")]
        var firstSteps: [Double] = []
        for (offset, (role, actor)) in roles.enumerated() {
            let text = try scrape(port: port + offset)
            try promtoolCheck(text, from: role)
            var labels = #"{run="\#(runID)",role="\#(role)""#
            if let actor { labels += #",actor="\#(actor)""# }
            let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            XCTAssertFalse(samples.isEmpty)
            for line in samples { XCTAssertTrue(line.contains(labels), "\(line) lacks \(labels)") }
            XCTAssertNotNil(value(in: text, "process_resident_memory_bytes"), role)
            if role != "supervisor" { firstSteps.append(try XCTUnwrap(value(in: text, "shoal_env_steps_total"))) }
        }
        let learner = try scrape(port: port + 1)
        XCTAssertNotNil(value(in: learner, #"shoal_rollouts_total{run="\#(runID)",role="learner",outcome="consumed"}"#))
        let running = #"shoal_children{run="\#(runID)",role="supervisor",state="running"}"#
        XCTAssertEqual(value(in: try scrape(port: port), running),
                       3, "learner and two actors running")

        Thread.sleep(forTimeInterval: 1.5)
        for (index, offset) in [1, 2, 3].enumerated() {
            let steps = try XCTUnwrap(value(in: try scrape(port: port + offset), "shoal_env_steps_total"))
            XCTAssertGreaterThan(steps, firstSteps[index], "steps counted at port \(port + offset)")
        }

        let status = try live.status
        XCTAssertEqual(status.prometheus, "127.0.0.1:\(port)")
        XCTAssertEqual(status.processes.map(\.prometheus),
                       ["127.0.0.1:\(port + 1)", "127.0.0.1:\(port + 2)", "127.0.0.1:\(port + 3)"])
        let targetsFile = URL(fileURLWithPath: "\(live.run.path)/prometheus-targets.json")
        let targets = try JSONSerialization.jsonObject(with: Data(contentsOf: targetsFile))
            as? [[String: [String]]]
        XCTAssertEqual(targets?.first?["targets"], (0..<4).map { "127.0.0.1:\(port + $0)" },
                       "every endpoint for Prometheus's file-based discovery")
        let report = try ShoalProcess(["status", live.run.path], log: live.runs.appendingPathComponent("status.log"))
        XCTAssertEqual(report.wait(timeout: 30), 0)
        XCTAssertTrue(report.output.contains("http://127.0.0.1:\(port + 3)/metrics"), report.output)
        live.train.signal(SIGINT)
        XCTAssertEqual(live.train.wait(timeout: 60), 130)
        XCTAssertTrue(live.train.output.contains("prometheus: http://127.0.0.1:\(port)/metrics"), live.train.output)
    }

    /// A run on a gymnasium environment: shoal-env's two servers serve metrics on the ports after the actor's, which
    /// promtool accepts, counting the steps the actor asks of them.
    func testEnvironmentServersServeTheirMetricsOnTheNextPorts() throws {
        let port = Int(try freeTCPPort())
        let live = try servedRun("prometheus-served", prometheus: "127.0.0.1:\(port)")
        defer { live.train.kill() }
        let runID = live.run.runID
        XCTAssertEqual(try live.status.processes.map(\.prometheus),
                       (1...4).map { "127.0.0.1:\(port + $0)" }, "learner, actor, then the two servers")
        for (server, offset) in [(0, 3), (1, 4)] {
            let steps = #"shoal_env_steps_total{role="env-server",run="\#(runID)",server="\#(server)"}"#
            _ = try live.waitUntil("server \(server) to count steps", timeout: 60) { _ in
                (try? self.value(in: self.scrape(port: port + offset), steps)).flatMap { $0 } ?? 0 > 0
            }
            try promtoolCheck(try scrape(port: port + offset), from: "env server \(server)")
        }
    }

    /// `--prometheus HOST:0`: every process, shoal-env's servers too, serves on a free port of its own, which it
    /// reports in its heartbeats; status.json and the discovery file list each once reported.
    func testAnyFreePortIsReportedByEachProcess() throws {
        let live = try servedRun("prometheus-any-port", prometheus: "127.0.0.1:0")
        defer { live.train.kill() }
        func port(_ address: String?) -> Int {
            address.flatMap { try? MetricsAddress(parsing: $0) }.map { Int($0.port) } ?? 0
        }
        let status = try live.waitUntil("every process to report its port", timeout: 60) {
            port($0.prometheus) > 0 && $0.processes.allSatisfy { port($0.prometheus) > 0 }
        }
        let ports = [port(status.prometheus)] + status.processes.map { port($0.prometheus) }
        XCTAssertEqual(Set(ports).count, 5, "five processes, five ports: \(ports)")
        for (port, role) in zip(ports, ["supervisor", "learner", "actor", "env-server", "env-server"]) {
            XCTAssertTrue(try scrape(port: port).contains(#"role="\#(role)""#), "\(role) at \(port)")
        }
        let targetsFile = URL(fileURLWithPath: "\(live.run.path)/prometheus-targets.json")
        let targets = try JSONSerialization.jsonObject(with: Data(contentsOf: targetsFile)) as? [[String: [String]]]
        XCTAssertEqual(targets?.first?["targets"], ports.map { "127.0.0.1:\($0)" })
        live.train.signal(SIGINT)
        XCTAssertEqual(live.train.wait(timeout: 60), 130)
        XCTAssertTrue(live.train.output.contains("prometheus: every process on a free port of 127.0.0.1"),
                      live.train.output)
    }

    /// A bad address, or a port a child would need that is taken, is refused before anything starts, naming it.
    func testAnAddressInUseOrBadIsRefusedNamingIt() throws {
        let runs = try temporaryDirectory("prometheus-bad")
        let bad = try ShoalProcess(["train", "--runs-dir", runs.path, "--prometheus", "localhost:99999"],
                                   log: runs.appendingPathComponent("bad.log"))
        XCTAssertEqual(bad.wait(timeout: 30), 2)
        XCTAssertTrue(bad.output.contains("prometheus endpoint 'localhost:99999'"), bad.output)

        let taken = try MetricsHTTPServer(address: MetricsAddress(host: "127.0.0.1", port: 0)) { [] }
        defer { taken.stop() }
        let base = "127.0.0.1:\(taken.address.port - 2)"
        let busy = try ShoalProcess(["train", "--runs-dir", runs.path, "--prometheus", base],
                                    log: runs.appendingPathComponent("busy.log"))
        XCTAssertEqual(busy.wait(timeout: 30), 2, "actor 0's port is taken")
        XCTAssertTrue(busy.output.contains("prometheus endpoint '127.0.0.1:\(taken.address.port)': bind"), busy.output)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { !$0.hasSuffix(".log") },
                       [], "nothing started, no run directory left")
    }

    /// A live run of gymnasium's CartPole with one actor and its two shoal-env servers, serving metrics at `address`.
    private func servedRun(_ name: String, prometheus address: String) throws -> LiveRun {
        try PythonEnvironmentServers.requireShoalEnv()
        return try LiveRun(name, [
            "--prometheus", address, "--set", "env=gymnasium:CartPole-v1", "--set", "actors=1",
            "--set", "pythonExecutable=\(PythonEnvironmentServers.python)", "--set", "targetReturn=none",
            "--max-seconds", "120",
        ], processes: 4)
    }

    private func scrape(port: Int) throws -> String {
        String(decoding: try runFixtureScript("prometheus/scrape.py", ["http://127.0.0.1:\(port)/metrics"],
                                              package: "python3"), as: UTF8.self)
    }

    /// The value of the sample whose name and labels begin with `series`.
    private func value(in text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series) }
            .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
    }

    private func promtoolCheck(_ exposition: String, from role: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool", "check", "metrics"]
        let (input, output) = (Pipe(), Pipe())
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(exposition.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0,
                       "promtool (Debian's prometheus, scripts/setup.sh) on the \(role)'s metrics: \(said)")
        XCTAssertEqual(said.trimmingCharacters(in: .whitespacesAndNewlines), "", "promtool has no complaint")
    }
}
