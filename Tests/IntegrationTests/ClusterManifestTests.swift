import Foundation
import XCTest

/// The cluster launchers' own test scripts, run as they are in CI: the ssh launcher end to end on this machine, the
/// Slurm script on fake nodes and on a real Slurm (one node, and two in network namespaces), and the Kubernetes
/// manifests against the API schemas.
final class ClusterManifestTests: XCTestCase {
    /// `cluster/launch.sh` starts a run on two "hosts" through a local ssh shim, reports status, stops it cleanly,
    /// fetches its logs, and runs a second one to completion.
    func testLaunchScriptRunsStopsAndCollectsALocalRun() throws {
        let result = try runScript("launch-local.sh", environment: ["SHOAL": ShoalBinary.url.path], timeout: 240)
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("launch-local: all checks passed"), result.output)
    }

    /// `cluster/slurm/shoal.sbatch` under stand-ins for scontrol and srun: two "nodes" on this machine write their
    /// plans (learner on the first, unique actor ids), train, and both finish when the learner completes the run.
    func testSlurmScriptRunsOnFakeNodes() throws {
        let result = try runScript("slurm-local.sh", environment: ["SHOAL": ShoalBinary.url.path], timeout: 180)
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("slurm-local: all checks passed"), result.output)
    }

    /// `cluster/slurm/shoal.sbatch` on a real one-node Slurm (slurmctld, slurmd and munged started by the script):
    /// a job with CURVE keys trains to its end with the expected run directory, and a second one stops cleanly on
    /// `scancel --signal=TERM`.
    func testSlurmScriptRunsOnARealSlurm() throws {
        let result = try runScript("slurm-real.sh", environment: ["SHOAL": ShoalBinary.url.path], timeout: 240)
        // slurm-real.sh exits 77 only when not root or Slurm/munge are missing (scripts/setup.sh installs them).
        if result.status == 77 { throw XCTSkip("no real Slurm here: \(result.output)") }
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("slurm-real: all checks passed"), result.output)
    }

    /// `cluster/slurm/shoal.sbatch` on a real two-node Slurm (each node a network namespace with its own slurmd):
    /// srun starts a supervisor on each node, the second node's actors train with the first node's learner over
    /// TCP with CURVE, the job completes and the merged ledgers add up.
    func testSlurmScriptRunsOnTwoRealSlurmNodes() throws {
        let result = try runScript("slurm-nodes.sh", environment: ["SHOAL": ShoalBinary.url.path], timeout: 240)
        // slurm-nodes.sh exits 77 only without root, `ip netns` or Slurm/munge (scripts/setup.sh installs them).
        if result.status == 77 { throw XCTSkip("no real multi-node Slurm here: \(result.output)") }
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("slurm-nodes: all checks passed"), result.output)
    }

    /// `cluster/k8s` renders and every object is valid for the pinned Kubernetes version.
    func testKubernetesManifestsAreValid() throws {
        let result = try runScript("validate-k8s.sh", timeout: 120)
        // validate-k8s.sh exits 3 only when python3 with kubernetes-validate is missing (scripts/setup.sh installs it).
        if result.status == 3 {
            throw XCTSkip("kubernetes-validate is not installed (run scripts/setup.sh): \(result.output)")
        }
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("all manifests valid"), result.output)
    }

    private struct ScriptResult {
        var status: Int32
        var output: String
    }

    /// Runs `cluster/test/NAME` with bash, stdout and stderr together; fails the test if it outlasts `timeout`.
    private func runScript(_ name: String, environment extra: [String: String] = [:],
                           timeout: Double) throws -> ScriptResult {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = try temporaryDirectory("cluster-\(name)")
        let log = directory.appendingPathComponent("output.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", root.appendingPathComponent("cluster/test/\(name)").path]
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment["TMPDIR"] = directory.path
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            // The scripts clean up after themselves on SIGTERM (their EXIT traps stop what they started).
            process.terminate()
            process.waitUntilExit()
            XCTFail("\(name) still running after \(timeout) s")
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: directory)
        return ScriptResult(status: process.terminationStatus, output: output)
    }
}
