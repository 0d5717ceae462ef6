import ShoalCore

/// Truncates episodes after `maxEpisodeSteps` steps, like gymnasium's `TimeLimit` wrapper (`max_episode_steps`).
///
/// As in gymnasium, a step can be both terminated and truncated when the last allowed step is also terminal.
public struct TimeLimit<Base: Environment>: Environment {
    /// The wrapped environment.
    public var base: Base
    /// Steps after which an episode is truncated.
    public let maxEpisodeSteps: Int
    /// Steps taken since the last reset.
    public private(set) var elapsedSteps = 0

    /// Wraps `base` so its episodes last at most `maxEpisodeSteps` steps.
    public init(_ base: Base, maxEpisodeSteps: Int) {
        precondition(maxEpisodeSteps > 0, "maxEpisodeSteps must be positive")
        self.base = base
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    public static var stateLayout: [String] { Base.stateLayout }
    public var observationSpace: BoxSpace { base.observationSpace }
    public var actionSpace: ActionSpace { base.actionSpace }
    public var stateValues: [Double] { base.stateValues }

    public mutating func setState(_ values: [Double]) throws(EnvironmentError) {
        try base.setState(values)
    }

    public mutating func reset(
        using generator: inout SeededGenerator, into observation: UnsafeMutableBufferPointer<Float>
    ) {
        elapsedSteps = 0
        base.reset(using: &generator, into: observation)
    }

    public mutating func step(
        _ action: UnsafeBufferPointer<Float>, into observation: UnsafeMutableBufferPointer<Float>
    ) -> StepOutcome {
        var outcome = base.step(action, into: observation)
        elapsedSteps += 1
        if elapsedSteps >= maxEpisodeSteps { outcome.truncated = true }
        return outcome
    }

    public func observe(into observation: UnsafeMutableBufferPointer<Float>) {
        base.observe(into: observation)
    }
}
