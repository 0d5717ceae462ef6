extension TensorDType {
    init(_ proto: Shoal_V1_DType, field: String) throws(WireError) {
        switch proto {
        case .bool: self = .bool
        case .uint8: self = .uint8
        case .int8: self = .int8
        case .int16: self = .int16
        case .int32: self = .int32
        case .int64: self = .int64
        case .float16: self = .float16
        case .float32: self = .float32
        case .float64: self = .float64
        case .unspecified, .UNRECOGNIZED:
            throw WireError(.outOfRange(field), "\(field) has dtype \(proto), which the protocol does not know")
        }
    }

    var proto: Shoal_V1_DType {
        switch self {
        case .bool: return .bool
        case .uint8: return .uint8
        case .int8: return .int8
        case .int16: return .int16
        case .int32: return .int32
        case .int64: return .int64
        case .float16: return .float16
        case .float32: return .float32
        case .float64: return .float64
        }
    }
}

/// The dimensions of a shape sent by a peer: none negative, at most `maxRank`, product at most `maxCount`.
func checkedShape(_ shape: [Int64], field: String, maxRank: Int = 8, maxCount: Int) throws(WireError) -> [Int] {
    guard shape.count <= maxRank else {
        throw WireError(.tooLarge(field), "\(field) has rank \(shape.count), the limit is \(maxRank)")
    }
    var product = 1
    var dimensions: [Int] = []
    for dimension in shape {
        guard let size = Int(exactly: dimension), size >= 0 else {
            throw WireError(.outOfRange(field), "\(field) has a negative dimension in shape \(shape)")
        }
        let (next, overflow) = product.multipliedReportingOverflow(by: size)
        guard !overflow, next <= maxCount else {
            throw WireError(.tooLarge(field), "\(field) has shape \(shape), more than \(maxCount) elements")
        }
        product = next
        dimensions.append(size)
    }
    return dimensions
}

extension TensorLayout {
    init(_ proto: Shoal_V1_TensorSpec, field: String, maxCount: Int) throws(WireError) {
        self.init(dtype: try TensorDType(proto.dtype, field: field),
                  shape: try checkedShape(proto.shape, field: field, maxCount: maxCount))
    }

    var proto: Shoal_V1_TensorSpec {
        var proto = Shoal_V1_TensorSpec()
        proto.dtype = dtype.proto
        proto.shape = shape.map(Int64.init)
        return proto
    }
}

extension EnvSpace {
    /// Nesting of Dicts allowed, so a hostile spec cannot recurse without bound.
    static let maxDepth = 8

    init(_ proto: Shoal_V1_Space, field: String, maxCount: Int, depth: Int = 0) throws(WireError) {
        guard depth <= Self.maxDepth else {
            throw WireError(.tooLarge(field), "\(field) nests Dicts more than \(Self.maxDepth) deep")
        }
        switch proto.kind {
        case .box(let box):
            let shape = try checkedShape(box.shape, field: "\(field).shape", maxCount: maxCount)
            let count = shape.reduce(1, *)
            for (name, bounds) in [("low", box.low), ("high", box.high)] where bounds.count != 1 && bounds.count != count {
                throw WireError(.shapeMismatch("\(field).\(name)"),
                                "\(field).\(name) has \(bounds.count) bounds for \(count) elements (1 or \(count))")
            }
            if box.low.contains(where: \.isNaN) || box.high.contains(where: \.isNaN) {
                throw WireError(.nonFinite(field), "\(field) has a NaN bound")
            }
            self = .box(dtype: try TensorDType(box.dtype, field: "\(field).dtype"), shape: shape, low: box.low,
                        high: box.high)
        case .discrete(let discrete):
            guard discrete.n > 0, discrete.n <= maxCount, let n = Int(exactly: discrete.n),
                  let start = Int(exactly: discrete.start) else {
                throw WireError(.outOfRange(field), "\(field) is Discrete(\(discrete.n)): n must be 1...\(maxCount)")
            }
            self = .discrete(n: n, start: start)
        case .multiDiscrete(let multi):
            guard !multi.nvec.isEmpty, multi.nvec.count <= maxCount,
                  multi.nvec.allSatisfy({ $0 > 0 && $0 <= maxCount }) else {
                throw WireError(.outOfRange(field), "\(field) is MultiDiscrete(\(multi.nvec.prefix(16))): "
                                + "every choice needs 1...\(maxCount) values")
            }
            self = .multiDiscrete(nvec: multi.nvec.map { Int($0) })
        case .dict(let dict):
            var entries: [DictEntry] = []
            for entry in dict.entries {
                let entryField = "\(field)[\(entry.key.prefix(64))]"
                let space = try required(entry.space, present: entry.hasSpace, field: entryField)
                entries.append(DictEntry(key: entry.key, space: try EnvSpace(
                    space, field: entryField, maxCount: maxCount, depth: depth + 1)))
            }
            self = .dict(entries)
        case nil:
            throw WireError(.missingField(field), "\(field) names no kind of space")
        }
    }

    var proto: Shoal_V1_Space {
        var proto = Shoal_V1_Space()
        switch self {
        case .box(let dtype, let shape, let low, let high):
            var box = Shoal_V1_BoxSpace()
            (box.dtype, box.shape, box.low, box.high) = (dtype.proto, shape.map(Int64.init), low, high)
            proto.box = box
        case .discrete(let n, let start):
            var discrete = Shoal_V1_DiscreteSpace()
            (discrete.n, discrete.start) = (Int64(n), Int64(start))
            proto.discrete = discrete
        case .multiDiscrete(let nvec):
            var multi = Shoal_V1_MultiDiscreteSpace()
            multi.nvec = nvec.map(Int64.init)
            proto.multiDiscrete = multi
        case .dict(let entries):
            var dict = Shoal_V1_DictSpace()
            dict.entries = entries.map { entry in
                var proto = Shoal_V1_DictEntry()
                (proto.key, proto.space) = (entry.key, entry.space.proto)
                return proto
            }
            proto.dict = dict
        }
        return proto
    }
}

extension EnvServerSpec {
    init(_ proto: Shoal_V1_EnvSpec, limits: EnvLimits) throws(WireError) {
        guard proto.numEnvs > 0, proto.numEnvs <= limits.maxEnvs else {
            throw WireError(.outOfRange("num_envs"), "num_envs is \(proto.numEnvs), must be 1...\(limits.maxEnvs)")
        }
        let maxCount = limits.maxObservationElements
        self.init(
            envName: String(proto.envName.prefix(limits.maxTextBytes)), numEnvs: Int(proto.numEnvs),
            observationSpace: try EnvSpace(
                required(proto.observationSpace, present: proto.hasObservationSpace, field: "observation_space"),
                field: "observation_space", maxCount: maxCount),
            actionSpace: try EnvSpace(
                required(proto.actionSpace, present: proto.hasActionSpace, field: "action_space"),
                field: "action_space", maxCount: maxCount),
            observation: try TensorLayout(
                required(proto.observation, present: proto.hasObservation, field: "observation"),
                field: "observation", maxCount: maxCount),
            maxEpisodeSteps: proto.maxEpisodeSteps == 0 ? nil : Int(proto.maxEpisodeSteps),
            server: String(proto.server.prefix(limits.maxTextBytes)),
            autoresetMode: try AutoresetMode(proto.autoresetMode))
    }

    var proto: Shoal_V1_EnvSpec {
        var proto = Shoal_V1_EnvSpec()
        proto.envName = envName
        proto.numEnvs = UInt32(numEnvs)
        proto.observationSpace = observationSpace.proto
        proto.actionSpace = actionSpace.proto
        proto.observation = observation.proto
        proto.maxEpisodeSteps = UInt32(maxEpisodeSteps ?? 0)
        proto.server = server
        proto.autoresetMode = autoresetMode == .sameStep ? .sameStep : .nextStep
        return proto
    }
}

extension AutoresetMode {
    init(_ proto: Shoal_V1_AutoresetMode) throws(WireError) {
        switch proto {
        case .sameStep: self = .sameStep
        case .nextStep: self = .nextStep
        case .UNRECOGNIZED(let value):
            throw WireError(.outOfRange("autoreset_mode"), "autoreset_mode \(value) is not one the protocol knows")
        }
    }
}
