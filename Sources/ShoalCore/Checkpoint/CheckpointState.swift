/// Everything a learner needs to resume exactly where it stopped: weights, optimizer state, counters and RNG state.
public struct CheckpointState: Sendable, Equatable {
    /// Policy/weights version; a resumed learner continues the version sequence from here.
    public var version: UInt64
    /// Flat network parameters, in the network's own order.
    public var parameters: [Float]
    /// Optimizer tensors by name (e.g. "adam.m", "adam.v"), each usually as long as `parameters`.
    public var optimizerTensors: [String: [Float]]
    /// Optimizer scalars by name (e.g. "adam.step", "schedule.learningRate").
    public var optimizerScalars: [String: Double]
    /// Progress counters by name (e.g. env steps, updates, rollouts consumed and dropped).
    public var counters: [String: Int64]
    /// Random generator state, e.g. `SeededGenerator.stateWords`.
    public var randomState: [UInt64]
    /// Small free-form facts about the run (e.g. the NetworkSpec as JSON, the run id, the config hash).
    public var metadata: [String: String]

    /// Creates a checkpoint state; only `version` and `parameters` are required.
    public init(
        version: UInt64,
        parameters: [Float],
        optimizerTensors: [String: [Float]] = [:],
        optimizerScalars: [String: Double] = [:],
        counters: [String: Int64] = [:],
        randomState: [UInt64] = [],
        metadata: [String: String] = [:]
    ) {
        self.version = version
        self.parameters = parameters
        self.optimizerTensors = optimizerTensors
        self.optimizerScalars = optimizerScalars
        self.counters = counters
        self.randomState = randomState
        self.metadata = metadata
    }
}
