extension Heartbeat: WireCodable {
    public var wireMessage: WireMessage { .heartbeat(self) }

    public init?(unwrapping message: WireMessage) {
        guard case .heartbeat(let heartbeat) = message else { return nil }
        self = heartbeat
    }
}

extension Heartbeat {
    var proto: Shoal_V1_Heartbeat {
        var proto = Shoal_V1_Heartbeat()
        proto.runID = runID
        switch role {
        case .supervisor: proto.role = .supervisor
        case .learner: proto.role = .learner
        case .actor: proto.role = .actor
        case .envServer: proto.role = .envServer
        }
        proto.id = id
        proto.pid = pid
        proto.host = host
        proto.incarnation = incarnation
        proto.timestampNanos = timestampNanos
        proto.policyVersion = policyVersion
        proto.environmentSteps = environmentSteps
        proto.queueDepth = queueDepth
        proto.stats = stats
        return proto
    }

    init(proto: Shoal_V1_Heartbeat) throws(WireError) {
        let role: ProcessRole
        switch proto.role {
        case .supervisor: role = .supervisor
        case .learner: role = .learner
        case .actor: role = .actor
        case .envServer: role = .envServer
        case .unspecified: throw WireError(.missingField("role"), "heartbeat names no role")
        case .UNRECOGNIZED(let value): throw WireError(.outOfRange("role"), "heartbeat has unknown role \(value)")
        }
        self.init(
            runID: proto.runID, role: role, id: proto.id, pid: proto.pid, host: proto.host,
            incarnation: proto.incarnation, timestampNanos: proto.timestampNanos, policyVersion: proto.policyVersion,
            environmentSteps: proto.environmentSteps, queueDepth: proto.queueDepth, stats: proto.stats)
    }
}
