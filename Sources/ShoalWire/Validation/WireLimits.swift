import ShoalCore

/// What a receiver accepts: its run, its network, and upper bounds that keep a hostile or buggy sender from making
/// it allocate or compute without limit.
public struct WireLimits: Sendable, Equatable {
    /// Messages from any other run are refused.
    public var runID: String
    /// When set, rollouts must fit this architecture and weights must be made for it.
    public var network: NetworkSpec?
    /// Largest frame, in bytes (set ZMQ_MAXMSGSIZE to the same so oversized frames never reach the decoder).
    public var maxMessageBytes: Int = 128 << 20
    /// Largest rollout unroll length T.
    public var maxUnrollLength: Int = 1024
    /// Largest rollout batch size B.
    public var maxBatchSize: Int = 4096
    /// Largest number of floats in one observation.
    public var maxObservationSize: Int = 1 << 18
    /// Largest number of floats in one action (continuous action dimensions).
    public var maxActionSize: Int = 256
    /// Largest number of distribution parameters per sample (logits of a categorical head).
    public var maxDistributionParameters: Int = 1 << 14
    /// Largest number of hidden layers in a network description.
    public var maxHiddenLayers: Int = 64
    /// Widest hidden layer in a network description.
    public var maxLayerWidth: Int = 1 << 16
    /// Largest number of parameters in weights.
    public var maxParameters: Int = 1 << 25
    /// Most selective acknowledgements in one ack.
    public var maxAckSeqs: Int = 4096
    /// Most named stats in one heartbeat.
    public var maxStats: Int = 256
    /// Longest free-text field (host, stat name, control reason), in UTF-8 bytes.
    public var maxTextBytes: Int = 1024

    /// Limits with generous defaults for everything but the run and network.
    public init(runID: String, network: NetworkSpec? = nil) {
        self.runID = runID
        self.network = network
    }
}
