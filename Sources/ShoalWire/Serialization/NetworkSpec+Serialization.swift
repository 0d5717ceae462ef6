import ShoalCore

extension NetworkSpec {
    var proto: Shoal_V1_NetworkSpec {
        var proto = Shoal_V1_NetworkSpec()
        // Clamping keeps encoding total; a negative or huge size then fails the receiver's range checks.
        proto.observationSize = UInt32(clamping: observationSize)
        proto.hiddenSizes = hiddenSizes.map { UInt32(clamping: $0) }
        switch activation {
        case .tanh: proto.activation = .tanh
        case .relu: proto.activation = .relu
        }
        switch head {
        case .categorical(let actions): proto.categorical.actions = UInt32(clamping: actions)
        case .gaussian(let dimensions): proto.gaussian.dimensions = UInt32(clamping: dimensions)
        }
        proto.normalizeObservations = normalizeObservations
        switch returnNormalization {
        case .none: proto.returnNormalization = .none
        case .scale: proto.returnNormalization = .scale
        case .popart: proto.returnNormalization = .popart
        }
        if let torso = convolutionalTorso {
            switch torso.kind {
            case .minatar: proto.convolutionalTorso.kind = .minatar
            case .nature: proto.convolutionalTorso.kind = .nature
            case .impalaResnet: proto.convolutionalTorso.kind = .impalaResnet
            }
            proto.convolutionalTorso.height = UInt32(clamping: torso.height)
            proto.convolutionalTorso.width = UInt32(clamping: torso.width)
            proto.convolutionalTorso.channels = UInt32(clamping: torso.channels)
        }
        proto.lstmSize = UInt32(clamping: lstmSize ?? 0)
        switch observationDType {
        case .float32: proto.observationDtype = .float32
        case .uint8: proto.observationDtype = .uint8
        case .bool: proto.observationDtype = .bool
        }
        return proto
    }

    init(proto: Shoal_V1_NetworkSpec, field: String) throws(WireError) {
        let activation: Activation
        switch proto.activation {
        case .tanh: activation = .tanh
        case .relu: activation = .relu
        case .unspecified: throw WireError(.missingField("\(field).activation"), "\(field) names no activation")
        case .UNRECOGNIZED(let value):
            throw WireError(.outOfRange("\(field).activation"), "\(field) has unknown activation \(value)")
        }
        let head: PolicyHead
        switch proto.head {
        case .categorical(let categorical): head = .categorical(actions: Int(categorical.actions))
        case .gaussian(let gaussian): head = .gaussian(dimensions: Int(gaussian.dimensions))
        case nil: throw WireError(.missingField("\(field).head"), "\(field) names no policy head")
        }
        let returnNormalization: ReturnNormalization
        switch proto.returnNormalization {
        case .none: returnNormalization = .none
        case .scale: returnNormalization = .scale
        case .popart: returnNormalization = .popart
        case .UNRECOGNIZED(let value):
            throw WireError(.outOfRange("\(field).return_normalization"),
                            "\(field) has unknown return normalisation \(value)")
        }
        let observationDType: ObservationDType
        switch proto.observationDtype {
        case .unspecified, .float32: observationDType = .float32
        case .uint8: observationDType = .uint8
        case .bool: observationDType = .bool
        default:
            throw WireError(.outOfRange("\(field).observation_dtype"),
                            "\(field) reads \(proto.observationDtype) observations; Shoal's are float32, uint8 or bool")
        }
        self.init(
            observationSize: Int(proto.observationSize), hiddenSizes: proto.hiddenSizes.map { Int($0) },
            activation: activation, head: head, normalizeObservations: proto.normalizeObservations,
            returnNormalization: returnNormalization,
            convolutionalTorso: proto.hasConvolutionalTorso
                ? try ConvolutionalTorsoSpec(proto: proto.convolutionalTorso, field: "\(field).convolutional_torso",
                                             observationSize: Int(proto.observationSize))
                : nil,
            lstmSize: proto.lstmSize == 0 ? nil : Int(proto.lstmSize), observationDType: observationDType)
    }
}

extension ConvolutionalTorsoSpec {
    /// Refuses an unknown kind or a shape the torso cannot read, so a decoded spec always builds a network.
    init(proto: Shoal_V1_ConvolutionalTorso, field: String, observationSize: Int) throws(WireError) {
        let kind: ConvolutionalTorsoKind
        switch proto.kind {
        case .minatar: kind = .minatar
        case .nature: kind = .nature
        case .impalaResnet: kind = .impalaResnet
        case .unspecified: throw WireError(.missingField("\(field).kind"), "\(field) names no torso")
        case .UNRECOGNIZED(let value):
            throw WireError(.outOfRange("\(field).kind"), "\(field) has unknown kind \(value)")
        }
        self.init(kind: kind, height: Int(proto.height), width: Int(proto.width), channels: Int(proto.channels))
        if let problem = problem(observationSize: observationSize) {
            throw WireError(.outOfRange(field), "\(field): \(problem)")
        }
    }
}
