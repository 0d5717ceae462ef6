extension WeightsStamp {
    var proto: Shoal_V1_WeightsStamp {
        var proto = Shoal_V1_WeightsStamp()
        proto.learnerIncarnation = learnerIncarnation
        proto.version = version
        return proto
    }

    init(proto: Shoal_V1_WeightsStamp) {
        self.init(learnerIncarnation: proto.learnerIncarnation, version: proto.version)
    }
}
