extension Control: WireCodable {
    public var wireMessage: WireMessage { .control(self) }

    public init?(unwrapping message: WireMessage) {
        guard case .control(let control) = message else { return nil }
        self = control
    }
}

extension Control {
    var proto: Shoal_V1_Control {
        var proto = Shoal_V1_Control()
        proto.runID = runID
        switch command {
        case .shutdown: proto.command = .shutdown
        case .pause: proto.command = .pause
        case .resume: proto.command = .resume
        case .leaving: proto.command = .leaving
        }
        proto.reason = reason
        return proto
    }

    init(proto: Shoal_V1_Control) throws(WireError) {
        let command: ControlCommand
        switch proto.command {
        case .shutdown: command = .shutdown
        case .pause: command = .pause
        case .resume: command = .resume
        case .leaving: command = .leaving
        case .unspecified: throw WireError(.missingField("command"), "control names no command")
        case .UNRECOGNIZED(let value):
            throw WireError(.outOfRange("command"), "control has unknown command \(value)")
        }
        self.init(runID: proto.runID, command: command, reason: proto.reason)
    }
}
