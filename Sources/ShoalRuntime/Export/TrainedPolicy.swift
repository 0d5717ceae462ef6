import Foundation
import ShoalCore

/// A run's trained policy as one of its checkpoints holds it: the network the learner recorded and its parameters.
/// What `shoal export` writes out and `shoal eval` runs.
public struct TrainedPolicy: Sendable {
    /// The checkpoint file it was read from.
    public var checkpoint: String
    public var spec: NetworkSpec
    public var parameters: [Float]
    public var version: UInt64
    public var runID: String

    /// The policy of `source`: a run directory (its newest complete checkpoint, so a live run's too), its
    /// checkpoints directory, or one checkpoint file.
    public static func load(_ source: String) throws -> TrainedPolicy {
        let (file, state) = try checkpoint(at: source)
        guard let json = state.metadata[PolicyExport.networkSpecKey],
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
        return TrainedPolicy(checkpoint: file, spec: spec, parameters: state.parameters, version: state.version,
                             runID: state.metadata["run_id"] ?? "")
    }

    /// The run directory the checkpoint is in (`<run>/checkpoints/ckpt-…`), if it is in one: where its config is.
    public var runDirectory: String? {
        let run = URL(fileURLWithPath: checkpoint).deletingLastPathComponent().deletingLastPathComponent().path
        return FileManager.default.fileExists(atPath: "\(run)/config.yaml") ? run : nil
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
