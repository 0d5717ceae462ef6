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

    /// `shoal_env.load_policy` rebuilds every architecture from an exported file alone, with numpy: its outputs and
    /// values (in return units) are Shoal's network's within 1e-5 (relative to values above 1), over two steps of a
    /// recurrent policy's state; observation scaling, normalisation and PopArt included.
    func testLoadPolicyReproducesEveryArchitectureInNumpy() throws {
        func image(_ kind: ConvolutionalTorsoKind, _ h: Int, _ w: Int, _ c: Int) -> ConvolutionalTorsoSpec {
            ConvolutionalTorsoSpec(kind: kind, height: h, width: w, channels: c)
        }
        let specs = [
            NetworkSpec(observationSize: 4, hiddenSizes: [16, 8], activation: .tanh, head: .categorical(actions: 3),
                        normalizeObservations: true, returnNormalization: .popart),
            NetworkSpec(observationSize: 3, hiddenSizes: [8], activation: .relu, head: .gaussian(dimensions: 2),
                        returnNormalization: .scale),
            NetworkSpec(observationSize: 2, hiddenSizes: [8], activation: .tanh, head: .categorical(actions: 2),
                        lstmSize: 6),
            NetworkSpec(observationSize: 400, hiddenSizes: [], activation: .relu, head: .categorical(actions: 4),
                        convolutionalTorso: image(.minatar, 10, 10, 4), observationDType: .bool),
            NetworkSpec(observationSize: 36 * 40 * 2, hiddenSizes: [], activation: .relu,
                        head: .categorical(actions: 6), convolutionalTorso: image(.nature, 36, 40, 2),
                        observationDType: .uint8),
            NetworkSpec(observationSize: 12 * 11 * 3, hiddenSizes: [], activation: .relu,
                        head: .categorical(actions: 5), convolutionalTorso: image(.impalaResnet, 12, 11, 3),
                        lstmSize: 8, observationDType: .uint8),
        ]
        let directory = try temporaryDirectory("load-policy")
        for (index, spec) in specs.enumerated() {
            var generator = SeededGenerator(seed: UInt64(20 + index))
            let network = ActorCriticNetwork(spec: spec, generator: &generator)
            let layout = network.layout
            if let offset = layout.observationStatisticsOffset {
                for i in 0..<spec.observationSize {
                    network.parameters[offset + i] = generator.nextGaussian()
                    network.parameters[offset + spec.observationSize + i] = 0.5 + generator.nextUnitFloat()
                }
            }
            if let offset = layout.returnStatisticsOffset {
                (network.parameters[offset], network.parameters[offset + 1]) = (2, 10)
            }
            let policy = directory.appendingPathComponent("policy-\(index).safetensors").path
            _ = try PolicyExport.write(spec: spec, parameters: network.parameters, version: 1, runID: "r", to: policy)
            let batch = 3
            let transform = ReturnStatistics.transform(network.parameters, spec: spec, layout: layout)
            var steps: [[String: Any]] = []
            var state: [Float] = []
            for _ in 0..<2 {
                let count = batch * spec.observationSize
                let values: [Float] = switch spec.observationDType {
                case .float32: (0..<count).map { _ in generator.nextGaussian() }
                case .uint8: (0..<count).map { _ in Float(generator.next() % 256) }
                case .bool: (0..<count).map { _ in Float(generator.next() % 2) }
                }
                if spec.observationDType.isBytes {
                    let bytes = values.map { UInt8($0) }
                    bytes.withUnsafeBufferPointer {
                        network.forward(.bytes($0), timeSteps: 1, batch: batch, initialState: state)
                    }
                } else {
                    values.withUnsafeBufferPointer {
                        network.forward($0, timeSteps: 1, batch: batch, initialState: state)
                    }
                }
                state = network.finalState
                let shape = [batch] + (spec.convolutionalTorso.map { [$0.height, $0.width, $0.channels] }
                    ?? [spec.observationSize])
                steps.append(["observations": values, "shape": shape, "outputs": network.policyOutputs,
                              "values": network.values.map { transform.scale * $0 + transform.shift }])
            }
            let casePath = directory.appendingPathComponent("case-\(index).json")
            try JSONSerialization.data(withJSONObject: ["policy": policy, "bytes": spec.observationDType.isBytes,
                                                        "steps": steps]).write(to: casePath)
            let printed = try runFixtureScript("export/check_policy.py", [casePath.path], package: "shoal-env")
            let error = try XCTUnwrap(
                (try JSONSerialization.jsonObject(with: printed) as? [String: Double])?["error"])
            XCTAssertLessThan(error, 1e-5, "\(spec)")
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
