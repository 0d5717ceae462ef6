import ShoalCore

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// MountainCar-v0: drive an underpowered car up the right hill by rocking it (gymnasium 1.4.0).
///
/// Actions push left (0), not at all (1) or right (2). Reward -1 per step; terminated at position ≥ 0.5 with
/// non-negative velocity. Registered with a 200-step time limit.
public struct MountainCar: Environment {
    /// Position and velocity, in gymnasium's order.
    public struct State: Sendable, Equatable {
        public var position: Double
        public var velocity: Double

        /// Creates a state.
        public init(position: Double, velocity: Double) {
            self.position = position
            self.velocity = velocity
        }
    }

    private static let minPosition = -1.2
    private static let maxPosition = 0.6
    private static let maxSpeed = 0.07
    private static let goalPosition = 0.5
    private static let goalVelocity = 0.0
    private static let force = 0.001
    private static let gravity = 0.0025

    /// The current state; set it directly to start from a chosen state.
    public var state = State(position: -0.5, velocity: 0)

    /// Creates a car in the valley; call `reset` before stepping.
    public init() {}

    public static let stateLayout = ["position", "velocity"]

    public var observationSpace: BoxSpace {
        BoxSpace(
            shape: [2], low: [Float(Self.minPosition), Float(-Self.maxSpeed)],
            high: [Float(Self.maxPosition), Float(Self.maxSpeed)]
        )
    }

    public var actionSpace: ActionSpace { .discrete(3) }

    public var stateValues: [Double] { [state.position, state.velocity] }

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try requireStateCount(values)
        state = State(position: values[0], velocity: values[1])
    }

    public mutating func reset(
        using generator: inout SeededGenerator, into observation: UnsafeMutableBufferPointer<Float>
    ) {
        state = State(position: NumpyScalarMath.uniform(-0.6, -0.4, using: &generator), velocity: 0)
        observe(into: observation)
    }

    public mutating func step(
        _ action: UnsafeBufferPointer<Float>, into observation: UnsafeMutableBufferPointer<Float>
    ) -> StepOutcome {
        let push = Int(action[0])
        precondition((0...2).contains(push), "MountainCar action must be 0, 1 or 2, got \(action[0])")
        // Order matters and follows gymnasium: clip the velocity, move, clip the position, then stop at the left wall.
        var velocity = state.velocity
            + (Double(push - 1) * Self.force + cos(3 * state.position) * -Self.gravity)
        velocity = min(max(velocity, -Self.maxSpeed), Self.maxSpeed)
        var position = state.position + velocity
        position = min(max(position, Self.minPosition), Self.maxPosition)
        if position == Self.minPosition && velocity < 0 { velocity = 0 }
        state = State(position: position, velocity: velocity)

        let terminated = position >= Self.goalPosition && velocity >= Self.goalVelocity
        observe(into: observation)
        return StepOutcome(reward: -1.0, terminated: terminated, truncated: false)
    }

    public func observe(into observation: UnsafeMutableBufferPointer<Float>) {
        observation[0] = Float(state.position)
        observation[1] = Float(state.velocity)
    }
}
