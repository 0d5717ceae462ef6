import ShoalCore

/// A complete set of policy parameters, broadcast by the learner and sent to actors as a snapshot on request.
public struct Weights: Sendable, Equatable {
    /// The run these weights belong to.
    public var runID: String
    /// Which weights these are; receivers ignore stamps at or below the one they hold.
    public var stamp: WeightsStamp
    /// Every parameter of the network, flattened in the order the network defines.
    public var parameters: [Float]
    /// CRC32C of the little-endian bytes of `parameters`, as computed by the sender.
    public var checksum: UInt32
    /// The architecture the parameters belong to; a receiver with another one refuses them.
    public var network: NetworkSpec

    /// Weights as the sender makes them, with the checksum of `parameters`.
    public init(runID: String, stamp: WeightsStamp, parameters: [Float], network: NetworkSpec) {
        self.init(
            runID: runID, stamp: stamp, parameters: parameters, checksum: crc32c(parameters),
            network: network)
    }

    /// Weights as received, with the checksum the sender claimed.
    public init(runID: String, stamp: WeightsStamp, parameters: [Float], checksum: UInt32, network: NetworkSpec) {
        self.runID = runID
        self.stamp = stamp
        self.parameters = parameters
        self.checksum = checksum
        self.network = network
    }

    /// The version within the learner incarnation.
    public var version: UInt64 { stamp.version }

    /// Whether `checksum` matches `parameters`.
    public var hasValidChecksum: Bool { crc32c(parameters) == checksum }
}
