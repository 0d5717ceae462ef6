import ShoalCore

/// StatelessCartPole-v1: CartPole-v1 observed without its velocities, `[x, theta]` only. The dynamics, rewards, ends
/// and time limit are CartPole-v1's; a feed-forward policy cannot tell which way the pole is moving, so solving it
/// takes memory (a recurrent policy).
public struct StatelessCartPole: Environment {
    /// The full environment stepped underneath.
    public var cartPole = CartPole()
    /// Scratch for CartPole's whole observation, which is not passed on.
    private var full = [Float](repeating: 0, count: 4)

    /// Creates a cart pole at rest; call `reset` before stepping.
    public init() {}

    public static let stateLayout = CartPole.stateLayout

    public var observationSpace: BoxSpace {
        let high = cartPole.observationSpace.high
        return BoxSpace(symmetric: [high[0], high[2]])
    }

    public var actionSpace: ActionSpace { cartPole.actionSpace }

    public var stateValues: [Double] { cartPole.stateValues }

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try cartPole.setState(values)
    }

    public mutating func reset(
        using generator: inout SeededGenerator, into observation: UnsafeMutableBufferPointer<Float>
    ) {
        full.withUnsafeMutableBufferPointer { cartPole.reset(using: &generator, into: $0) }
        observe(into: observation)
    }

    public mutating func step(
        _ action: UnsafeBufferPointer<Float>, into observation: UnsafeMutableBufferPointer<Float>
    ) -> StepOutcome {
        let outcome = full.withUnsafeMutableBufferPointer { cartPole.step(action, into: $0) }
        observe(into: observation)
        return outcome
    }

    public func observe(into observation: UnsafeMutableBufferPointer<Float>) {
        observation[0] = Float(cartPole.state.x)
        observation[1] = Float(cartPole.state.theta)
    }
}
