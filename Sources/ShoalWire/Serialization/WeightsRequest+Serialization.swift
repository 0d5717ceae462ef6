extension WeightsRequest: WireCodable {
    public var wireMessage: WireMessage { .weightsRequest(self) }

    public init?(unwrapping message: WireMessage) {
        guard case .weightsRequest(let request) = message else { return nil }
        self = request
    }
}

extension WeightsRequest {
    var proto: Shoal_V1_WeightsRequest {
        var proto = Shoal_V1_WeightsRequest()
        proto.runID = runID
        proto.actorID = actorID
        proto.incarnation = incarnation
        if let held { proto.held = held.proto }
        return proto
    }

    init(proto: Shoal_V1_WeightsRequest) {
        self.init(
            runID: proto.runID, actorID: proto.actorID, incarnation: proto.incarnation,
            held: proto.hasHeld ? WeightsStamp(proto: proto.held) : nil)
    }
}
