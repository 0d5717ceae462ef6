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
        let (file, state) = try checkpoint(at: source)
        guard let json = state.metadata[networkSpecKey],
              let spec = try? JSONDecoder().decode(NetworkSpec.self, from: Data(json.utf8)) else {
            throw ShoalRuntimeError(.garbled, subject: file, reason: "the checkpoint does not describe its network "
                                        + "(written before `shoal export` existed): resume the run for a moment to "
                                        + "checkpoint it again")
        }
        let expected = ParameterLayout(spec: spec).count
        guard expected == state.parameters.count else {
            throw ShoalRuntimeError(.garbled, subject: file, reason: "holds \(state.parameters.count) parameters, its "
                                        + "network has \(expected)")
        }
        let (tensors, bytes) = try write(spec: spec, parameters: state.parameters, version: state.version,
                                         runID: state.metadata["run_id"] ?? "", to: output)
        return Summary(checkpoint: file, version: state.version, tensors: tensors, bytes: bytes)
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

    private static func checkpoint(at source: String) throws -> (path: String, state: CheckpointState) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw ShoalRuntimeError(.notFound, subject: source, reason: "no such run directory or checkpoint")
        }
        if isDirectory.boolValue {
            let directory = FileManager.default.fileExists(atPath: "\(source)/checkpoints") ? "\(source)/checkpoints"
                : source
            guard let loaded = try CheckpointStore(directory: directory).loadLatest() else {
                throw ShoalRuntimeError(.notFound, subject: directory, reason: "holds no complete checkpoint")
            }
            return (loaded.file.path, loaded.state)
        }
        let directory = URL(fileURLWithPath: source).deletingLastPathComponent().path
        let store = CheckpointStore(directory: directory)
        let name = URL(fileURLWithPath: source).lastPathComponent
        guard let file = try store.list().first(where: { $0.path.hasSuffix("/" + name) }) else {
            throw ShoalRuntimeError(.notFound, subject: source, reason: "is not a checkpoint (ckpt-<version>.shoal)")
        }
        return (file.path, try store.load(file))
    }
}
