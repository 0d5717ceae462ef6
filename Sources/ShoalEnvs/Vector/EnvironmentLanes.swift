import ShoalCore

/// The typed half of a `VectorEnvironment`: B environments of one type and their random streams.
///
/// Kept generic so the stepping loop is specialised for the concrete environment; `VectorEnvironment` erases the
/// type with closures made where the type is known.
final class EnvironmentLanes<Env: Environment> {
    private var environments: [Env]
    private var generators: [SeededGenerator]
    private let observationSize: Int
    private let actionSize: Int

    init(_ environments: [Env]) {
        precondition(!environments.isEmpty, "a vector environment needs at least one environment")
        self.environments = environments
        generators = Array(repeating: SeededGenerator(seed: 0), count: environments.count)
        observationSize = environments[0].observationSpace.count
        actionSize = environments[0].actionSpace.actionSize
    }

    /// Gives lane i the stream `SeededGenerator(seed: seed).derived(stream: i)` and starts a new episode in every lane.
    func reset(seed: UInt64, outputs: inout VectorOutputs) {
        let root = SeededGenerator(seed: seed)
        let width = observationSize
        environments.withUnsafeMutableBufferPointer { environments in
            generators.withUnsafeMutableBufferPointer { generators in
                outputs.observations.withUnsafeMutableBufferPointer { observations in
                    for lane in environments.indices {
                        generators[lane] = root.derived(stream: UInt64(lane))
                        environments[lane].reset(using: &generators[lane], into: observations.row(lane, width: width))
                    }
                }
            }
        }
        outputs.clear()
    }

    /// Steps every lane with its row of `actions` ([B, A]); a lane whose episode ends keeps its final observation
    /// apart and starts the next episode at once (same-step autoreset).
    func step(actions: UnsafeBufferPointer<Float>, outputs: inout VectorOutputs) {
        precondition(
            actions.count == environments.count * actionSize, "actions must be [\(environments.count), \(actionSize)]"
        )
        let width = observationSize
        let actionWidth = actionSize
        environments.withUnsafeMutableBufferPointer { environments in
            generators.withUnsafeMutableBufferPointer { generators in
                outputs.observations.withUnsafeMutableBufferPointer { observations in
                    outputs.finalObservations.withUnsafeMutableBufferPointer { finalObservations in
                        for lane in environments.indices {
                            let observation = observations.row(lane, width: width)
                            let action = actions.row(lane, width: actionWidth)
                            let outcome = environments[lane].step(action, into: observation)
                            outputs.rewards[lane] = Float(outcome.reward)
                            outputs.terminated[lane] = outcome.terminated
                            outputs.truncated[lane] = outcome.truncated
                            outputs.episodeReturns[lane] += outcome.reward
                            outputs.episodeLengths[lane] += 1
                            if outcome.terminated || outcome.truncated {
                                _ = finalObservations.row(lane, width: width).update(fromContentsOf: observation)
                                environments[lane].reset(using: &generators[lane], into: observation)
                            }
                        }
                    }
                }
            }
        }
        outputs.closeFinishedEpisodes()
    }
}
