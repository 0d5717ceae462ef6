import ShoalCore

/// A random sequence of faults for a chaos run: every `interval` seconds one running process is hit, an actor
/// mostly (killed, or stopped for a while), the learner with probability `learnerProbability` (killed).
public struct ChaosSchedule {
    /// One planned fault: what to do to whom, and for stops how long before the resume.
    public struct Step: Sendable, Equatable, CustomStringConvertible {
        public var fault: ChaosDriver.Fault
        public var target: String
        public var stopSeconds: Double?

        public var description: String {
            stopSeconds.map { "\(fault.rawValue) \(target) for \(fixed($0, 1)) s" } ?? "\(fault.rawValue) \(target)"
        }
    }

    public var learnerProbability: Double
    /// Longest stop of an actor; also longer than a heartbeat timeout sometimes, so some stopped actors are replaced.
    public var maxStopSeconds: Double
    private var generator: SeededGenerator

    public init(seed: UInt64, learnerProbability: Double = 0.1, maxStopSeconds: Double = 4) {
        self.learnerProbability = learnerProbability
        self.maxStopSeconds = maxStopSeconds
        generator = SeededGenerator(seed: seed)
    }

    /// The next fault among the processes now running; nil when none is.
    public mutating func next(running: [String]) -> Step? {
        let actors = running.filter { $0.hasPrefix("actor-") }
        if running.contains("learner") && (actors.isEmpty || generator.nextUnitDouble() < learnerProbability) {
            return Step(fault: .kill, target: "learner", stopSeconds: nil)
        }
        guard !actors.isEmpty else { return nil }
        let target = actors[Int(generator.next() % UInt64(actors.count))]
        if generator.nextUnitDouble() < 0.5 { return Step(fault: .kill, target: target, stopSeconds: nil) }
        return Step(fault: .stop, target: target, stopSeconds: 0.5 + generator.nextUnitDouble() * maxStopSeconds)
    }
}
