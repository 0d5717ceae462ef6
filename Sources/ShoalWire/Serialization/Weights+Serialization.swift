import ShoalCore

extension Weights: WireCodable {
    public var wireMessage: WireMessage { .weights(self) }

    public init?(unwrapping message: WireMessage) {
        guard case .weights(let weights) = message else { return nil }
        self = weights
    }
}

extension Weights {
    var proto: Shoal_V1_Weights {
        var proto = Shoal_V1_Weights()
        proto.runID = runID
        proto.stamp = stamp.proto
        proto.parameters = Shoal_V1_Tensor(parameters, shape: [parameters.count])
        proto.checksum = checksum
        proto.network = network.proto
        return proto
    }

    init(proto: Shoal_V1_Weights) throws(WireError) {
        let stamp = try required(proto.stamp, present: proto.hasStamp, field: "stamp")
        let tensor = try required(proto.parameters, present: proto.hasParameters, field: "parameters")
        let (parameters, shape) = try tensor.values(Float.self, field: "parameters")
        _ = try dimensions(of: shape, after: [], rank: 1, field: "parameters")
        let network = try required(proto.network, present: proto.hasNetwork, field: "network")
        self.init(
            runID: proto.runID, stamp: WeightsStamp(proto: stamp), parameters: parameters, checksum: proto.checksum,
            network: try NetworkSpec(proto: network, field: "network"))
    }
}
