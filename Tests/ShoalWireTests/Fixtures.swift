import ShoalCore
import ShoalWire
import XCTest

/// Valid messages of every kind, filled from a seeded generator so each test sees the same values.
enum Fixtures {
    static let runID = "CartPole-v1__wire__1__0"
    static let cartPole = NetworkSpec(
        observationSize: 4, hiddenSizes: [64, 64], activation: .tanh, head: .categorical(actions: 2))
    static let pendulum = NetworkSpec(
        observationSize: 3, hiddenSizes: [32], activation: .relu, head: .gaussian(dimensions: 2),
        normalizeObservations: true, returnNormalization: .popart)
    static let pixels = NetworkSpec(
        observationSize: 12, hiddenSizes: [8], activation: .relu, head: .categorical(actions: 3),
        observationDType: .uint8)
    static let recurrent = NetworkSpec(
        observationSize: 2, hiddenSizes: [16], activation: .tanh, head: .categorical(actions: 2), lstmSize: 8)

    /// A consistent rollout for `network`: every truncated step listed, one finished episode per ending, a recurrent
    /// state when the network has a core.
    static func rollout(
        network: NetworkSpec = cartPole, observationShape: [Int]? = nil, steps: Int = 5, batch: Int = 3,
        policyVersion: UInt64 = 7, seed: UInt64 = 1
    ) -> Rollout {
        var random = SeededGenerator(seed: seed)
        let shape = observationShape ?? [network.observationSize]
        let observationSize = shape.reduce(1, *)
        func observations(_ count: Int) -> ObservationData {
            switch network.observationDType {
            case .float32: return .float32(gaussians(count, &random))
            case .uint8: return .uint8((0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            case .bool: return .uint8((0..<count).map { _ in UInt8(random.next() & 1) })
            }
        }
        let samples = steps * batch
        var actions: [Float] = []
        switch network.head {
        case .categorical(let count):
            actions = (0..<samples).map { _ in Float(Int.random(in: 0..<count, using: &random)) }
        case .gaussian(let dimensions):
            actions = (0..<samples * dimensions).map { _ in random.nextGaussian() }
        }
        // Every third step ends an episode, alternating termination and truncation, so both kinds occur.
        let endings = (0..<samples).map { $0 % 3 == 2 }
        let terminated = endings.enumerated().map { $1 && $0 % 2 == 0 }
        let truncated = endings.enumerated().map { $1 && $0 % 2 == 1 }
        let truncatedIndices = truncated.indices.filter { truncated[$0] }.map { Int32($0) }
        return Rollout(
            origin: RolloutOrigin(runID: runID, actorID: 3, incarnation: 2, seq: 41),
            policyVersion: policyVersion, unrollLength: steps, batchSize: batch, observationShape: shape,
            actionSize: network.head.actionSize, distributionParameterCount: network.head.distributionParameterCount,
            observations: observations((steps + 1) * batch * observationSize), actions: actions,
            rewards: gaussians(samples, &random), terminated: terminated, truncated: truncated,
            behaviourLogits: gaussians(samples * network.head.distributionParameterCount, &random),
            truncatedIndices: truncatedIndices,
            truncatedObservations: observations(truncatedIndices.count * observationSize),
            episodes: endings.filter { $0 }.enumerated().map {
                EpisodeStats(episodeReturn: Float($0.offset) * 1.5 + 0.25, length: Int32($0.offset + 1))
            },
            recurrentState: gaussians(2 * batch * (network.lstmSize ?? 0), &random))
    }

    static func weights(
        network: NetworkSpec = cartPole, stamp: WeightsStamp = WeightsStamp(learnerIncarnation: 1, version: 8),
        count: Int? = nil, seed: UInt64 = 2
    ) -> Weights {
        var random = SeededGenerator(seed: seed)
        let count = count ?? ParameterLayout(spec: network).count
        return Weights(runID: runID, stamp: stamp, parameters: gaussians(count, &random), network: network)
    }

    static let weightsRequest = WeightsRequest(
        runID: runID, actorID: 3, incarnation: 2, held: WeightsStamp(learnerIncarnation: 1, version: 5))

    static let ack = Ack(
        runID: runID, actorID: 3, incarnation: 2, nextExpectedSeq: 40, seqs: [42, 45], credits: 8,
        newestWeights: WeightsStamp(learnerIncarnation: 1, version: 7))

    static let heartbeat = Heartbeat(
        runID: runID, role: .actor, id: 3, pid: 4242, host: "node-1", incarnation: 2,
        timestampNanos: 1_700_000_000_123_456_789, policyVersion: 7, environmentSteps: 123_456, queueDepth: 5,
        stats: ["charts/sps": 1234.5, "actor/unacked": 5])

    static let control = Control(runID: runID, command: .pause, reason: "operator asked")

    /// One valid message of every kind.
    static var everyKind: [WireMessage] {
        [
            .rollout(rollout()), .weights(weights()), .weightsRequest(weightsRequest), .ack(ack),
            .heartbeat(heartbeat), .control(control),
        ]
    }

    static func gaussians(_ count: Int, _ random: inout SeededGenerator) -> [Float] {
        (0..<count).map { _ in random.nextGaussian() }
    }
}

/// The WireError `body` throws, or nil when it returns; any other error fails the test, since ShoalWire throws
/// only WireError.
func wireError<T>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) -> WireError? {
    do {
        _ = try body()
        return nil
    } catch let error as WireError {
        return error
    } catch {
        XCTFail("threw \(error), not a WireError", file: file, line: line)
        return nil
    }
}

extension ObservationData {
    /// Edits the elements of float observations.
    mutating func editFloats(_ edit: (inout [Float]) -> Void) {
        var values = floats!
        edit(&values)
        self = .float32(values)
    }
}
