import ShoalCore

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// CartPole-v1: balance a pole on a cart pushed left or right (gymnasium 1.4.0, Euler integration).
///
/// Reward 1 per step (0 for steps after termination); terminated when the cart leaves ±2.4 or the pole tilts
/// beyond 12°. Registered with a 500-step time limit.
public struct CartPole: Environment {
    /// The physical state, in gymnasium's order.
    public struct State: Sendable, Equatable {
        public var x: Double
        public var xDot: Double
        public var theta: Double
        public var thetaDot: Double

        /// Creates a state.
        public init(x: Double, xDot: Double, theta: Double, thetaDot: Double) {
            self.x = x
            self.xDot = xDot
            self.theta = theta
            self.thetaDot = thetaDot
        }
    }

    private static let gravity = 9.8
    private static let massCart = 1.0
    private static let massPole = 0.1
    private static let totalMass = massPole + massCart
    /// Half the pole's length.
    private static let length = 0.5
    private static let poleMassLength = massPole * length
    private static let forceMagnitude = 10.0
    private static let tau = 0.02
    private static let thetaThreshold = 12 * 2 * Double.pi / 360
    private static let xThreshold = 2.4

    /// The current physical state; set it directly to start from a chosen state.
    public var state = State(x: 0, xDot: 0, theta: 0, thetaDot: 0)
    /// Whether the episode already terminated: gymnasium pays 0 for later steps that are still terminal.
    private var hasTerminated = false

    /// Creates a cart pole at rest; call `reset` before stepping.
    public init() {}

    public static let stateLayout = ["x", "x_dot", "theta", "theta_dot"]

    public var observationSpace: BoxSpace {
        BoxSpace(symmetric: [
            Float(Self.xThreshold * 2), .infinity, Float(Self.thetaThreshold * 2), .infinity,
        ])
    }

    public var actionSpace: ActionSpace { .discrete(2) }

    public var stateValues: [Double] { [state.x, state.xDot, state.theta, state.thetaDot] }

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try requireStateCount(values)
        state = State(x: values[0], xDot: values[1], theta: values[2], thetaDot: values[3])
    }

    public mutating func reset(
        using generator: inout SeededGenerator, into observation: UnsafeMutableBufferPointer<Float>
    ) {
        func draw() -> Double { NumpyScalarMath.uniform(-0.05, 0.05, using: &generator) }
        state = State(x: draw(), xDot: draw(), theta: draw(), thetaDot: draw())
        hasTerminated = false
        observe(into: observation)
    }

    public mutating func step(
        _ action: UnsafeBufferPointer<Float>, into observation: UnsafeMutableBufferPointer<Float>
    ) -> StepOutcome {
        let push = Int(action[0])
        precondition(push == 0 || push == 1, "CartPole action must be 0 or 1, got \(action[0])")
        let force = push == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let cosTheta = cos(state.theta)
        let sinTheta = sin(state.theta)
        let temp = (force + Self.poleMassLength * (state.thetaDot * state.thetaDot) * sinTheta) / Self.totalMass
        let thetaAcc = (Self.gravity * sinTheta - cosTheta * temp)
            / (Self.length * (4.0 / 3.0 - Self.massPole * (cosTheta * cosTheta) / Self.totalMass))
        let xAcc = temp - Self.poleMassLength * thetaAcc * cosTheta / Self.totalMass

        state.x = state.x + Self.tau * state.xDot
        state.xDot = state.xDot + Self.tau * xAcc
        state.theta = state.theta + Self.tau * state.thetaDot
        state.thetaDot = state.thetaDot + Self.tau * thetaAcc

        let terminated = state.x < -Self.xThreshold || state.x > Self.xThreshold
            || state.theta < -Self.thetaThreshold || state.theta > Self.thetaThreshold
        let reward = terminated && hasTerminated ? 0.0 : 1.0
        if terminated { hasTerminated = true }
        observe(into: observation)
        return StepOutcome(reward: reward, terminated: terminated, truncated: false)
    }

    public func observe(into observation: UnsafeMutableBufferPointer<Float>) {
        observation[0] = Float(state.x)
        observation[1] = Float(state.xDot)
        observation[2] = Float(state.theta)
        observation[3] = Float(state.thetaDot)
    }
}
