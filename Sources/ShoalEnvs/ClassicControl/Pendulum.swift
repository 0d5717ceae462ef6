import ShoalCore

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Pendulum-v1: swing a pendulum up and hold it with a torque in [-2, 2] (gymnasium 1.4.0, g = 10).
///
/// The observation is [cos θ, sin θ, θ̇]; the reward is -(θ² + 0.1 θ̇² + 0.001 u²) with θ normalised to
/// [-π, π); it never terminates. Registered with a 200-step time limit.
public struct Pendulum: Environment {
    /// Angle (0 is upright) and angular velocity, in gymnasium's order.
    public struct State: Sendable, Equatable {
        public var theta: Double
        public var thetaDot: Double

        /// Creates a state.
        public init(theta: Double, thetaDot: Double) {
            self.theta = theta
            self.thetaDot = thetaDot
        }
    }

    private static let maxSpeed = 8.0
    private static let maxTorque: Float = 2.0
    private static let dt = 0.05
    private static let gravity = 10.0
    private static let mass = 1.0
    private static let length = 1.0

    /// The current state; set it directly to start from a chosen state.
    public var state = State(theta: 0, thetaDot: 0)

    /// Creates an upright pendulum at rest; call `reset` before stepping.
    public init() {}

    public static let stateLayout = ["theta", "theta_dot"]

    public var observationSpace: BoxSpace { BoxSpace(symmetric: [1, 1, Float(Self.maxSpeed)]) }

    public var actionSpace: ActionSpace {
        .box(BoxSpace(shape: [1], low: [-Self.maxTorque], high: [Self.maxTorque]))
    }

    public var stateValues: [Double] { [state.theta, state.thetaDot] }

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try requireStateCount(values)
        state = State(theta: values[0], thetaDot: values[1])
    }

    public mutating func reset(
        using generator: inout SeededGenerator, into observation: UnsafeMutableBufferPointer<Float>
    ) {
        state = State(
            theta: NumpyScalarMath.uniform(-Double.pi, Double.pi, using: &generator),
            thetaDot: NumpyScalarMath.uniform(-1, 1, using: &generator)
        )
        observe(into: observation)
    }

    public mutating func step(
        _ action: UnsafeBufferPointer<Float>, into observation: UnsafeMutableBufferPointer<Float>
    ) -> StepOutcome {
        let theta = state.theta
        let thetaDot = state.thetaDot
        // gymnasium's action is float32, and numpy keeps `python float * float32` in float32 (NEP 50), so the torque
        // terms are float32 products that join the float64 sums only afterwards.
        let torque = min(max(action[0], -Self.maxTorque), Self.maxTorque)
        let torqueCost = Double(Float(0.001) * NumpyScalarMath.square(torque))
        let costs = NumpyScalarMath.square(Self.normalizedAngle(theta))
            + 0.1 * NumpyScalarMath.square(thetaDot) + torqueCost
        let torqueAcceleration = Double(Float(3.0 / (Self.mass * Self.length * Self.length)) * torque)
        var newThetaDot = thetaDot
            + (3 * Self.gravity / (2 * Self.length) * sin(theta) + torqueAcceleration) * Self.dt
        newThetaDot = min(max(newThetaDot, -Self.maxSpeed), Self.maxSpeed)
        state = State(theta: theta + newThetaDot * Self.dt, thetaDot: newThetaDot)
        observe(into: observation)
        return StepOutcome(reward: -costs, terminated: false, truncated: false)
    }

    public func observe(into observation: UnsafeMutableBufferPointer<Float>) {
        observation[0] = Float(cos(state.theta))
        observation[1] = Float(sin(state.theta))
        observation[2] = Float(state.thetaDot)
    }

    /// The angle moved into [-π, π), as gymnasium's `angle_normalize`.
    private static func normalizedAngle(_ x: Double) -> Double {
        NumpyScalarMath.remainder(x + Double.pi, 2 * Double.pi) - Double.pi
    }
}
