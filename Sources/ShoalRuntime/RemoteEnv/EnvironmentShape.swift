import ShoalCore
import ShoalEnvs
import ShoalWire

/// What the network needs to know of a run's environment: one observation's shape (flattened, it is the network's
/// input) and the action space its policy head samples from.
public struct EnvironmentShape: Sendable, Equatable {
    public var observationShape: [Int]
    public var actionSpace: ActionSpace
    /// float32 (any number type of the environment's), or uint8 frames and bool planes, which stay bytes up to the
    /// network's first layer, already on a fixed scale that observation normalisation leaves alone.
    public var observationDType: ObservationDType

    public init(observationShape: [Int], actionSpace: ActionSpace, observationDType: ObservationDType = .float32) {
        self.observationShape = observationShape
        self.actionSpace = actionSpace
        self.observationDType = observationDType
    }

    /// Elements in one observation.
    public var observationSize: Int { observationShape.reduce(1, *) }

    /// A built-in environment's shape.
    public init(_ factory: EnvironmentFactory) {
        self.init(observationShape: factory.observationSpace.shape, actionSpace: factory.actionSpace)
    }

    /// The shape of a served environment; throws naming the space when Shoal's policy heads cannot act in it.
    public init(_ spec: EnvServerSpec, endpoint: String) throws {
        func refuse(_ reason: String) -> ShoalRuntimeError {
            ShoalRuntimeError(.environmentServer, subject: endpoint,
                              reason: "\(spec.envName) has action space \(spec.actionSpace): \(reason)")
        }
        switch spec.actionSpace {
        case .discrete(let n, _):
            actionSpace = .discrete(n)
        case .box(let dtype, let shape, let low, let high):
            guard dtype.isFloatingPoint, shape.count == 1 else {
                throw refuse("Shoal's Gaussian policy takes one-dimensional float Box actions")
            }
            let count = shape[0]
            func bounds(_ values: [Double]) -> [Float] {
                values.count == 1 ? Array(repeating: Float(values[0]), count: count) : values.map { Float($0) }
            }
            actionSpace = .box(BoxSpace(shape: shape, low: bounds(low), high: bounds(high)))
        case .multiDiscrete, .dict:
            throw refuse("Shoal's policy heads take Discrete and Box actions (MultiDiscrete and Dict not yet)")
        }
        observationShape = spec.observation.shape
        switch spec.observation.dtype {
        case .uint8: observationDType = .uint8
        case .bool: observationDType = .bool
        default: observationDType = .float32
        }
    }

    /// What differs between this shape and `other`, for an error message; nil when they are the same.
    public func difference(from other: EnvironmentShape) -> String? {
        if observationShape != other.observationShape {
            return "observations of shape \(other.observationShape), the run's have \(observationShape)"
        }
        if observationDType != other.observationDType {
            return "\(other.observationDType.rawValue) observations, the run's are \(observationDType.rawValue)"
        }
        if actionSpace != other.actionSpace {
            return "action space \(other.actionSpace), the run's is \(actionSpace)"
        }
        return nil
    }
}
