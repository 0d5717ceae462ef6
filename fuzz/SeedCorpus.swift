import Foundation
import ShoalCore
import ShoalWire

/// Writes the seed corpus: one valid frame of each message kind, plus variants the receivers treat differently,
/// each checked against the receivers the fuzzer plays. Usage: SeedCorpus DIRECTORY
@main
enum SeedCorpus {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 2 else {
            FileHandle.standardError.write(Data("usage: \(arguments[0]) DIRECTORY\n".utf8))
            exit(2)
        }
        let directory = URL(fileURLWithPath: arguments[1], isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for seed in seeds {
            let bytes = seed.message.encode()
            // A seed the receivers do not treat as intended would steer the fuzzer away from what it should reach.
            let learnerAccepts = (try? FuzzReceivers.learner.decode(bytes)) != nil
            let actorAccepts = (try? FuzzReceivers.actor.decode(bytes)) != nil
            guard learnerAccepts == seed.learnerAccepts, actorAccepts else {
                FileHandle.standardError.write(Data("seed \(seed.name) is not judged as intended\n".utf8))
                exit(1)
            }
            try Data(bytes).write(to: directory.appendingPathComponent("seed-\(seed.name)"))
            print("seed-\(seed.name): \(bytes.count) bytes")
        }
    }

    /// Every seed the actor accepts; `learnerAccepts` says whether the learner, which knows the network, does too.
    static let seeds: [(name: String, message: WireMessage, learnerAccepts: Bool)] = [
        ("rollout", .rollout(categoricalRollout), true),
        ("rollout-gaussian", .rollout(gaussianRollout), false),
        ("weights", .weights(weights), true),
        ("weights-request", .weightsRequest(weightsRequest(heldVersion: 5)), true),
        ("weights-request-first", .weightsRequest(weightsRequest(heldVersion: nil)), true),
        ("ack", .ack(ack), true),
        ("heartbeat", .heartbeat(heartbeat), true),
        ("control", .control(Control(runID: FuzzReceivers.runID, command: .pause, reason: "operator asked")), true),
    ]

    /// 3 steps of 2 CartPole environments: one step terminated, one truncated, an episode finished at each.
    static var categoricalRollout: Rollout {
        let samples = 3 * 2
        let terminated = (0..<samples).map { $0 == 2 }
        let truncated = (0..<samples).map { $0 == 4 }
        return Rollout(
            origin: RolloutOrigin(runID: FuzzReceivers.runID, actorID: 3, incarnation: 2, seq: 41),
            policyVersion: 7, unrollLength: 3, batchSize: 2, observationShape: [4], actionSize: 1,
            distributionParameterCount: 2, observations: ramp(4 * 2 * 4), actions: [0, 1, 1, 0, 1, 0],
            rewards: Array(repeating: 1, count: samples), terminated: terminated, truncated: truncated,
            behaviourLogits: ramp(samples * 2), truncatedIndices: [4], truncatedObservations: ramp(4),
            episodes: [EpisodeStats(episodeReturn: 12, length: 12), EpisodeStats(episodeReturn: 30, length: 30)])
    }

    /// 2 steps of 2 environments with 2x3 observations and 2 continuous action dimensions: no network the learner
    /// runs, but within the actor's limits.
    static var gaussianRollout: Rollout {
        Rollout(
            origin: RolloutOrigin(runID: FuzzReceivers.runID, actorID: 1, incarnation: 0, seq: 0),
            policyVersion: 8, unrollLength: 2, batchSize: 2, observationShape: [2, 3], actionSize: 2,
            distributionParameterCount: 4, observations: ramp(3 * 2 * 6), actions: ramp(2 * 2 * 2),
            rewards: ramp(4), terminated: [false, true, false, false], truncated: [false, false, false, false],
            behaviourLogits: ramp(2 * 2 * 4), episodes: [EpisodeStats(episodeReturn: -3.5, length: 2)])
    }

    /// Weights newer than the actor's for the fuzzed network.
    static var weights: Weights {
        Weights(
            runID: FuzzReceivers.runID, stamp: WeightsStamp(learnerIncarnation: 1, version: 9),
            parameters: ramp(ParameterLayout(spec: FuzzReceivers.network).count), network: FuzzReceivers.network)
    }

    /// A request from an actor holding version `heldVersion` of the first learner incarnation, or nothing yet.
    static func weightsRequest(heldVersion: UInt64?) -> WeightsRequest {
        WeightsRequest(
            runID: FuzzReceivers.runID, actorID: 3, incarnation: 2,
            held: heldVersion.map { WeightsStamp(learnerIncarnation: 1, version: $0) })
    }

    static let ack = Ack(
        runID: FuzzReceivers.runID, actorID: 3, incarnation: 2, nextExpectedSeq: 40, seqs: [42, 45], credits: 8,
        newestWeights: WeightsStamp(learnerIncarnation: 1, version: 7))

    /// One stat only: a map's encoding follows the dictionary's order, which differs between runs.
    static let heartbeat = Heartbeat(
        runID: FuzzReceivers.runID, role: .actor, id: 3, pid: 4242, host: "node-1", incarnation: 2,
        timestampNanos: 1_700_000_000_123_456_789, policyVersion: 7, environmentSteps: 123_456, queueDepth: 5,
        stats: ["charts/sps": 1234.5])

    /// `count` distinct, exactly representable floats around zero.
    static func ramp(_ count: Int) -> [Float] {
        (0..<count).map { Float($0) * 0.25 - 2 }
    }
}
