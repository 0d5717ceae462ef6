import ShoalCore

/// What one step of an environment produced besides the observation.
public struct StepOutcome: Sendable, Equatable {
    /// The reward for the step, in float64 as gymnasium computes it.
    public var reward: Double
    /// The episode reached a terminal state: its return must not be bootstrapped.
    public var terminated: Bool
    /// The episode was cut short (a time limit): its return is bootstrapped from the final observation.
    public var truncated: Bool

    /// Creates an outcome.
    public init(reward: Double, terminated: Bool, truncated: Bool) {
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }
}

/// One environment that steps an episode at a time, gymnasium-style.
///
/// The hot path writes observations into caller-provided buffers so a vector of environments steps without
/// allocating. An action is a buffer of `actionSpace.actionSize` Floats: a discrete action is its index (exact in
/// Float), a continuous one its values. Float is gymnasium's action dtype for boxes and the layout of
/// `Rollout.actions`, so an actor passes rows of its action buffer straight through. Internal state is float64.
public protocol Environment: Sendable {
    /// Names of the internal state variables, in the order `stateValues` uses (gymnasium's names).
    static var stateLayout: [String] { get }
    /// The observations this environment produces (float32).
    var observationSpace: BoxSpace { get }
    /// The actions this environment accepts.
    var actionSpace: ActionSpace { get }
    /// The internal state as numbers in `stateLayout` order.
    var stateValues: [Double] { get }

    /// Replaces the internal state with numbers in `stateLayout` order; throws if there are not as many.
    mutating func setState(_ values: [Double]) throws(EnvironmentError)
    /// Starts a new episode with a state drawn from `generator` and writes its first observation.
    mutating func reset(using generator: inout SeededGenerator, into observation: UnsafeMutableBufferPointer<Float>)
    /// Advances one step with `action` and writes the resulting observation.
    mutating func step(
        _ action: UnsafeBufferPointer<Float>, into observation: UnsafeMutableBufferPointer<Float>
    ) -> StepOutcome
    /// Writes the observation of the current state.
    func observe(into observation: UnsafeMutableBufferPointer<Float>)
}

/// The result of one step as plain values, for code off the hot path.
public struct Transition: Sendable, Equatable {
    /// The observation after the step.
    public var observation: [Float]
    /// Reward and episode-end flags of the step.
    public var outcome: StepOutcome
}

extension Environment {
    /// Checks that `values` has one number per name in `stateLayout`.
    func requireStateCount(_ values: [Double]) throws(EnvironmentError) {
        let layout = Self.stateLayout
        guard values.count == layout.count else {
            throw EnvironmentError(
                .invalidState, context: "\(values.count)",
                message: "\(Self.self) state needs \(layout.count) values (\(layout.joined(separator: ", "))), "
                    + "got \(values.count)"
            )
        }
    }

    /// The observation of the current state.
    public func observation() -> [Float] {
        [Float](unsafeUninitializedCapacity: observationSpace.count) { buffer, initialized in
            observe(into: buffer)
            initialized = buffer.count
        }
    }

    /// Starts a new episode from a fresh random stream seeded with `seed` and returns its first observation.
    public mutating func reset(seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return reset(using: &generator)
    }

    /// Starts a new episode with a state drawn from `generator` and returns its first observation.
    public mutating func reset(using generator: inout SeededGenerator) -> [Float] {
        [Float](unsafeUninitializedCapacity: observationSpace.count) { buffer, initialized in
            reset(using: &generator, into: buffer)
            initialized = buffer.count
        }
    }

    /// Advances one step with an action given as `actionSpace.actionSize` Floats.
    public mutating func step(_ action: [Float]) -> Transition {
        precondition(action.count == actionSpace.actionSize, "action needs \(actionSpace.actionSize) values")
        var outcome = StepOutcome(reward: 0, terminated: false, truncated: false)
        let observation = [Float](unsafeUninitializedCapacity: observationSpace.count) { buffer, initialized in
            outcome = action.withUnsafeBufferPointer { step($0, into: buffer) }
            initialized = buffer.count
        }
        return Transition(observation: observation, outcome: outcome)
    }

    /// Advances one step of a discrete environment with the action index `action`.
    public mutating func step(_ action: Int) -> Transition {
        guard case .discrete = actionSpace else { preconditionFailure("\(Self.self) does not take discrete actions") }
        return step([Float(action)])
    }
}
