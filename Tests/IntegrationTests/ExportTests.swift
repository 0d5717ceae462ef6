import Foundation
import ShoalCore
import ShoalRuntime
import XCTest

/// `shoal export`, read back by Hugging Face's safetensors package (installed by scripts/setup.sh) through
/// Tests/Fixtures/export/read_safetensors.py.
final class ExportTests: XCTestCase {
    /// A finished run's policy: every named tensor of its newest checkpoint, float32 with its shape and exactly its
    /// values, and the architecture in the metadata.
    func testARunsPolicyIsReadBackBySafetensors() throws {
        let (runs, run) = try trainToTheEnd("export", ["--max-env-steps", "20000", "--set", "targetReturn=none"])
        let output = runs.appendingPathComponent("policy.safetensors").path
        let export = try ShoalProcess(["export", run.path, "--out", output], log: runs.appendingPathComponent("x.log"))
        XCTAssertEqual(export.wait(timeout: 30), 0, export.output)

        let checkpoint = try XCTUnwrap(try CheckpointStore(directory: run.checkpointsPath).loadLatest())
        let spec = try JSONDecoder().decode(
            NetworkSpec.self, from: Data(try XCTUnwrap(checkpoint.state.metadata["network_spec"]).utf8))
        let read = try readSafetensors(output)
        XCTAssertEqual(read.metadata["format"], "shoal-policy/1")
        XCTAssertEqual(read.metadata["shoal.policy_version"], "\(checkpoint.state.version)")
        XCTAssertEqual(try JSONDecoder().decode(NetworkSpec.self, from: Data(read.metadata["shoal.network"]!.utf8)),
                       spec)
        let expected = ParameterLayout(spec: spec).namedTensors(spec: spec)
        XCTAssertEqual(Set(read.tensors.keys), Set(expected.map(\.name)))
        for tensor in expected {
            let found = try XCTUnwrap(read.tensors[tensor.name], tensor.name)
            XCTAssertEqual(found.shape, tensor.shape, tensor.name)
            XCTAssertEqual(found.dtype, "float32", tensor.name)
            XCTAssertEqual(found.values, Array(checkpoint.state.parameters[tensor.range]), tensor.name)
        }
    }

    /// Nothing to export is an error that says why, and writes nothing.
    func testAPathWithoutACheckpointIsRefused() throws {
        let directory = try temporaryDirectory("export-empty")
        let output = directory.appendingPathComponent("policy.safetensors").path
        let export = try ShoalProcess(["export", directory.path, "--out", output],
                                      log: directory.appendingPathComponent("x.log"))
        XCTAssertEqual(export.wait(timeout: 30), 2)
        XCTAssertTrue(export.output.contains("holds no complete checkpoint"), export.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }

    private struct Tensor: Decodable {
        var shape: [Int]
        var dtype: String
        var values: [Float]
    }

    private struct File: Decodable {
        var metadata: [String: String]
        var tensors: [String: Tensor]
    }

    private func readSafetensors(_ path: String) throws -> File {
        try JSONDecoder().decode(File.self, from: runFixtureScript("export/read_safetensors.py", [path],
                                                                    package: "safetensors"))
    }
}
