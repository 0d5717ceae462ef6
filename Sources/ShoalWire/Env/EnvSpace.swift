/// Element types an environment server may use for observations and actions (env.proto's DType).
public enum TensorDType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case bool, uint8, int8, int16, int32, int64, float16, float32, float64

    /// Bytes one element occupies on the wire.
    public var byteWidth: Int {
        switch self {
        case .bool, .uint8, .int8: return 1
        case .int16, .float16: return 2
        case .int32, .float32: return 4
        case .int64, .float64: return 8
        }
    }

    /// Floating-point types can hold NaN, which a receiver refuses.
    public var isFloatingPoint: Bool { self == .float16 || self == .float32 || self == .float64 }

    public var description: String { rawValue }
}

/// dtype and shape of one tensor row, such as one environment's observation on the wire.
public struct TensorLayout: Sendable, Hashable, CustomStringConvertible {
    public var dtype: TensorDType
    public var shape: [Int]

    public init(dtype: TensorDType, shape: [Int]) {
        self.dtype = dtype
        self.shape = shape
    }

    /// Elements in one row.
    public var count: Int { shape.reduce(1, *) }
    /// Bytes of one row on the wire.
    public var byteCount: Int { count * dtype.byteWidth }

    public var description: String { "\(dtype)\(shape)" }
}

/// A space as an environment declares it (gymnasium's Box, Discrete, MultiDiscrete and Dict).
public indirect enum EnvSpace: Sendable, Hashable, CustomStringConvertible {
    /// Values of one dtype and shape within elementwise bounds; `low`/`high` hold one bound per element, or one for
    /// all of them.
    case box(dtype: TensorDType, shape: [Int], low: [Double], high: [Double])
    /// One of `n` integers from `start`.
    case discrete(n: Int, start: Int)
    /// Independent choices, choice i among `nvec[i]` values.
    case multiDiscrete(nvec: [Int])
    /// Named subspaces in the order their observations are concatenated.
    case dict([DictEntry])

    /// One named subspace of a `dict`.
    public struct DictEntry: Sendable, Hashable {
        public var key: String
        public var space: EnvSpace

        public init(key: String, space: EnvSpace) {
            self.key = key
            self.space = space
        }
    }

    public var description: String {
        switch self {
        case .box(let dtype, let shape, _, _): return "Box(\(dtype), \(shape))"
        case .discrete(let n, let start): return start == 0 ? "Discrete(\(n))" : "Discrete(\(n), start=\(start))"
        case .multiDiscrete(let nvec): return "MultiDiscrete(\(nvec))"
        case .dict(let entries):
            return "Dict(" + entries.map { "\($0.key): \($0.space)" }.joined(separator: ", ") + ")"
        }
    }
}

/// How a server reports episode boundaries (env.proto): the first observation of the next episode on the step that
/// ended one (same step), or on a reset step after it (next step, gymnasium's default for vector environments).
public enum AutoresetMode: String, Sendable, Hashable {
    case sameStep = "same-step"
    case nextStep = "next-step"
}

/// What an environment server hosts, as it says in reply to a hello.
public struct EnvServerSpec: Sendable, Hashable {
    /// The environment's name (a gymnasium id, or the server's own name).
    public var envName: String
    /// M, the environments stepped together.
    public var numEnvs: Int
    public var observationSpace: EnvSpace
    public var actionSpace: EnvSpace
    /// One observation on the wire.
    public var observation: TensorLayout
    /// The time limit that truncates an episode; nil when there is none or it is unknown.
    public var maxEpisodeSteps: Int?
    /// The implementation, for logs.
    public var server: String
    public var autoresetMode: AutoresetMode

    public init(envName: String, numEnvs: Int, observationSpace: EnvSpace, actionSpace: EnvSpace,
                observation: TensorLayout, maxEpisodeSteps: Int?, server: String,
                autoresetMode: AutoresetMode = .sameStep) {
        self.envName = envName
        self.numEnvs = numEnvs
        self.observationSpace = observationSpace
        self.actionSpace = actionSpace
        self.observation = observation
        self.maxEpisodeSteps = maxEpisodeSteps
        self.server = server
        self.autoresetMode = autoresetMode
    }
}
