import ShoalCore

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Acrobot-v1: swing a two-link pendulum's tip above a line by torquing the middle joint (gymnasium 1.4.0).
///
/// Sutton & Barto's "book" dynamics integrated with one RK4 step of 0.2 s; angles wrapped to [-π, π], velocities
/// bounded. Reward -1 per step, 0 on the terminal step. Registered with a 500-step time limit.
public struct Acrobot: Environment {
    /// Joint angles and angular velocities, in gymnasium's order.
    public struct State: Sendable, Equatable {
        public var theta1: Double
        public var theta2: Double
        public var dtheta1: Double
        public var dtheta2: Double

        /// Creates a state.
        public init(theta1: Double, theta2: Double, dtheta1: Double, dtheta2: Double) {
            self.theta1 = theta1
            self.theta2 = theta2
            self.dtheta1 = dtheta1
            self.dtheta2 = dtheta2
        }
    }

    private static let dt = 0.2
    private static let linkLength1 = 1.0
    private static let linkMass1 = 1.0
    private static let linkMass2 = 1.0
    private static let linkCenterOfMass1 = 0.5
    private static let linkCenterOfMass2 = 0.5
    private static let linkMomentOfInertia = 1.0
    private static let gravity = 9.8
    private static let maxVelocity1 = 4 * Double.pi
    private static let maxVelocity2 = 9 * Double.pi
    private static let torques: (Double, Double, Double) = (-1.0, 0.0, 1.0)

    /// The current state; set it directly to start from a chosen state.
    public var state = State(theta1: 0, theta2: 0, dtheta1: 0, dtheta2: 0)

    /// Creates an acrobot hanging still; call `reset` before stepping.
    public init() {}

    public static let stateLayout = ["theta1", "theta2", "dtheta1", "dtheta2"]

    public var observationSpace: BoxSpace {
        BoxSpace(symmetric: [1, 1, 1, 1, Float(Self.maxVelocity1), Float(Self.maxVelocity2)])
    }

    public var actionSpace: ActionSpace { .discrete(3) }

    public var stateValues: [Double] { [state.theta1, state.theta2, state.dtheta1, state.dtheta2] }

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try requireStateCount(values)
        state = State(theta1: values[0], theta2: values[1], dtheta1: values[2], dtheta2: values[3])
    }

    public mutating func reset(
        using generator: inout SeededGenerator, into observation: UnsafeMutableBufferPointer<Float>
    ) {
        // gymnasium stores the drawn state as float32, so the episode starts from float32-representable values.
        func draw() -> Double { Double(Float(NumpyScalarMath.uniform(-0.1, 0.1, using: &generator))) }
        state = State(theta1: draw(), theta2: draw(), dtheta1: draw(), dtheta2: draw())
        observe(into: observation)
    }

    public mutating func step(
        _ action: UnsafeBufferPointer<Float>, into observation: UnsafeMutableBufferPointer<Float>
    ) -> StepOutcome {
        let torque: Double
        switch Int(action[0]) {
        case 0: torque = Self.torques.0
        case 1: torque = Self.torques.1
        case 2: torque = Self.torques.2
        default: preconditionFailure("Acrobot action must be 0, 1 or 2, got \(action[0])")
        }
        let next = Self.rungeKuttaStep(from: state, torque: torque)
        state = State(
            theta1: Self.wrap(next.theta1, -Double.pi, Double.pi),
            theta2: Self.wrap(next.theta2, -Double.pi, Double.pi),
            dtheta1: Self.bound(next.dtheta1, -Self.maxVelocity1, Self.maxVelocity1),
            dtheta2: Self.bound(next.dtheta2, -Self.maxVelocity2, Self.maxVelocity2)
        )
        let terminated = -cos(state.theta1) - cos(state.theta2 + state.theta1) > 1.0
        observe(into: observation)
        return StepOutcome(reward: terminated ? 0.0 : -1.0, terminated: terminated, truncated: false)
    }

    public func observe(into observation: UnsafeMutableBufferPointer<Float>) {
        observation[0] = Float(cos(state.theta1))
        observation[1] = Float(sin(state.theta1))
        observation[2] = Float(cos(state.theta2))
        observation[3] = Float(sin(state.theta2))
        observation[4] = Float(state.dtheta1)
        observation[5] = Float(state.dtheta2)
    }

    /// One classical Runge-Kutta step of length `dt`, with gymnasium's order of operations.
    private static func rungeKuttaStep(from y: State, torque: Double) -> State {
        let halfStep = dt / 2.0
        let k1 = derivatives(y, torque: torque)
        let k2 = derivatives(y.adding(k1, scaledBy: halfStep), torque: torque)
        let k3 = derivatives(y.adding(k2, scaledBy: halfStep), torque: torque)
        let k4 = derivatives(y.adding(k3, scaledBy: dt), torque: torque)
        let weight = dt / 6.0
        func combine(_ y: Double, _ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Double {
            y + weight * (a + 2 * b + 2 * c + d)
        }
        return State(
            theta1: combine(y.theta1, k1.theta1, k2.theta1, k3.theta1, k4.theta1),
            theta2: combine(y.theta2, k1.theta2, k2.theta2, k3.theta2, k4.theta2),
            dtheta1: combine(y.dtheta1, k1.dtheta1, k2.dtheta1, k3.dtheta1, k4.dtheta1),
            dtheta2: combine(y.dtheta2, k1.dtheta2, k2.dtheta2, k3.dtheta2, k4.dtheta2)
        )
    }

    /// Time derivative of the state under `torque` ("book" dynamics); the torque itself stays constant.
    private static func derivatives(_ s: State, torque a: Double) -> State {
        let m1 = linkMass1, m2 = linkMass2, l1 = linkLength1
        let lc1 = linkCenterOfMass1, lc2 = linkCenterOfMass2
        let i1 = linkMomentOfInertia, i2 = linkMomentOfInertia
        let g = gravity
        // Squares of state-dependent values go through numpy's `**` (libm pow); squares of the constants are exact.
        let square = NumpyScalarMath.square(_:) as (Double) -> Double
        let sinTheta2 = sin(s.theta2)
        let cosTheta2 = cos(s.theta2)
        let d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cosTheta2) + i1 + i2
        let d2 = m2 * (lc2 * lc2 + l1 * lc2 * cosTheta2) + i2
        let phi2 = m2 * lc2 * g * cos(s.theta1 + s.theta2 - Double.pi / 2.0)
        let phi1 = -m2 * l1 * lc2 * square(s.dtheta2) * sinTheta2
            - 2 * m2 * l1 * lc2 * s.dtheta2 * s.dtheta1 * sinTheta2
            + (m1 * lc1 + m2 * l1) * g * cos(s.theta1 - Double.pi / 2)
            + phi2
        let ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * square(s.dtheta1) * sinTheta2 - phi2)
            / (m2 * (lc2 * lc2) + i2 - square(d2) / d1)
        let ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
        return State(theta1: s.dtheta1, theta2: s.dtheta2, dtheta1: ddtheta1, dtheta2: ddtheta2)
    }

    /// Wraps `x` into [low, high] by whole turns, as gymnasium's `wrap`.
    private static func wrap(_ x: Double, _ low: Double, _ high: Double) -> Double {
        let span = high - low
        var x = x
        while x > high { x -= span }
        while x < low { x += span }
        return x
    }

    /// Clamps `x` into [low, high], as gymnasium's `bound`.
    private static func bound(_ x: Double, _ low: Double, _ high: Double) -> Double {
        min(max(x, low), high)
    }
}

extension Acrobot.State {
    /// `self + scale * rate`, elementwise.
    fileprivate func adding(_ rate: Acrobot.State, scaledBy scale: Double) -> Acrobot.State {
        Acrobot.State(
            theta1: theta1 + scale * rate.theta1,
            theta2: theta2 + scale * rate.theta2,
            dtheta1: dtheta1 + scale * rate.dtheta1,
            dtheta2: dtheta2 + scale * rate.dtheta2
        )
    }
}
