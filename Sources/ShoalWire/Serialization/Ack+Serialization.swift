extension Ack: WireCodable {
    public var wireMessage: WireMessage { .ack(self) }

    public init?(unwrapping message: WireMessage) {
        guard case .ack(let ack) = message else { return nil }
        self = ack
    }
}

extension Ack {
    var proto: Shoal_V1_Ack {
        var proto = Shoal_V1_Ack()
        proto.runID = runID
        proto.actorID = actorID
        proto.incarnation = incarnation
        proto.nextExpectedSeq = nextExpectedSeq
        proto.seqs = seqs
        proto.credits = credits
        proto.newestWeights = newestWeights.proto
        return proto
    }

    init(proto: Shoal_V1_Ack) throws(WireError) {
        let newest = try required(proto.newestWeights, present: proto.hasNewestWeights, field: "newestWeights")
        self.init(
            runID: proto.runID, actorID: proto.actorID, incarnation: proto.incarnation,
            nextExpectedSeq: proto.nextExpectedSeq, seqs: proto.seqs, credits: proto.credits,
            newestWeights: WeightsStamp(proto: newest))
    }
}
