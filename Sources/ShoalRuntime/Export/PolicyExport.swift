import Foundation
import ShoalCore

/// `shoal export`: a run's trained policy as a safetensors file, each parameter tensor under its name
/// (`ParameterLayout.namedTensors`) and the architecture (`NetworkSpec` as JSON) in the metadata, so that the policy
/// can be rebuilt without Shoal (`shoal_env.load_policy`).
public enum PolicyExport {
    /// What an export wrote.
    public struct Summary: Sendable, Equatable {
        public var checkpoint: String
        public var version: UInt64
        public var tensors: Int
        public var bytes: Int
    }

    /// Metadata keys of the file.
    public enum Key {
        public static let format = "format"
        public static let network = "shoal.network"
        public static let version = "shoal.policy_version"
        public static let runID = "shoal.run_id"
    }

    /// Writes the policy of `source` (a run directory: its newest complete checkpoint; or one checkpoint file) to
    /// `output`, atomically.
    public static func export(_ source: String, to output: String) throws -> Summary {
        let policy = try TrainedPolicy.load(source)
        let (tensors, bytes) = try write(spec: policy.spec, parameters: policy.parameters, version: policy.version,
                                         runID: policy.runID, to: output)
        return Summary(checkpoint: policy.checkpoint, version: policy.version, tensors: tensors, bytes: bytes)
    }

    /// Writes the policy of `spec` with `parameters` to `output`, atomically; returns the tensors and bytes written.
    public static func write(spec: NetworkSpec, parameters: [Float], version: UInt64, runID: String,
                             to output: String) throws -> (tensors: Int, bytes: Int) {
        let tensors = ParameterLayout(spec: spec).namedTensors(spec: spec).map {
            ($0.name, $0.shape, parameters[$0.range])
        }
        let bytes = try Safetensors.encode(tensors, metadata: [
            Key.format: "shoal-policy/1", Key.network: json(spec), Key.version: "\(version)", Key.runID: runID,
        ])
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw ShoalRuntimeError(.cannotCreate, subject: output, reason: "\(error.localizedDescription)")
        }
        return (tensors.count, bytes.count)
    }

    /// The checkpoint metadata key under which the learner records its network as JSON.
    public static let networkSpecKey = "network_spec"

    /// `spec` as the JSON a checkpoint and an exported file hold.
    static func json(_ spec: NetworkSpec) -> String {
        (try? JSONEncoder().encode(spec)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
