import ShoalCore
import ShoalRuntime
import ShoalWire
import XCTest

/// Frames a broken or hostile peer might send, each bad in one known way.
enum BadFrames {
    /// `count` frames of seeded random bytes, 1 to 300 bytes long.
    static func random(count: Int, seed: UInt64) -> [[UInt8]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            (0..<Int.random(in: 1...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
    }

    /// `frame` cut short in the middle and just before its end: inside the message body, so the body's declared
    /// length runs past the end of the bytes.
    static func truncations(of frame: [UInt8]) -> [[UInt8]] {
        [Array(frame.prefix(frame.count / 2)), Array(frame.dropLast())]
    }

    /// A frame one byte over `limit`.
    static func oversized(limit: Int) -> [UInt8] {
        [UInt8](repeating: 0x5A, count: limit + 1)
    }

    /// The rejections a receiver should count for `frames`, by reason label: what decoding each one fails with.
    /// Asserts the premise that none of them decodes (random bytes could, in principle, be a valid frame; they are
    /// mostly malformed, though a few parse as a frame of only unknown fields, which has protocol version 0).
    static func expectedRejections(
        _ frames: [[UInt8]], file: StaticString = #filePath, line: UInt = #line
    ) -> [String: Double] {
        var labels: [String: Double] = [:]
        for (index, frame) in frames.enumerated() {
            do {
                _ = try WireMessage.decode(frame)
                XCTFail("garbage frame \(index) decodes", file: file, line: line)
            } catch {
                labels[error.reason.label, default: 0] += 1
            }
        }
        return labels
    }
}

/// Protobuf surgery on encoded frames. A field appended to a protobuf message replaces an earlier scalar of the same
/// number and merges into an earlier submessage, so appending bytes changes one field of a valid frame: a hostile
/// peer's way of sending what no Shoal encoder would.
enum ProtobufPatch {
    /// Field numbers of `shoal.v1.Frame` and `shoal.v1.Rollout` (proto/shoal/v1/frame.proto, rollout.proto).
    static let frameProtocolVersion = 1
    static let frameRollout = 2
    static let rolloutBatchSize = 7
    static let rolloutEpisodes = 16
    static let episodeReturn = 1
    static let episodeLength = 2

    /// A varint field.
    static func field(_ number: Int, varint value: UInt64) -> [UInt8] {
        varint(UInt64(number << 3)) + varint(value)
    }

    /// A length-delimited field (bytes, string or submessage).
    static func field(_ number: Int, bytes: [UInt8]) -> [UInt8] {
        varint(UInt64(number << 3 | 2)) + varint(UInt64(bytes.count)) + bytes
    }

    /// A 32-bit fixed-width field (float).
    static func field(_ number: Int, float value: Float) -> [UInt8] {
        let bits = value.bitPattern
        return varint(UInt64(number << 3 | 5)) + (0..<4).map { UInt8(truncatingIfNeeded: bits >> ($0 * 8)) }
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        return bytes + [UInt8(value)]
    }
}

/// Valid messages for the learner's default network, for tests to spoil one field at a time.
enum GoodMessages {
    static let runID = "badinput"

    /// The network of a learner or actor started with `overrides`.
    static func network(_ overrides: [String] = []) throws -> NetworkSpec {
        try TrainingConfig().applying(overrides: overrides).networkSpec()
    }

    /// A rollout that a CartPole learner with unroll length `steps` (by default the default's) accepts: seeded
    /// observations, valid action indices, no episode endings.
    static func rollout(
        network: NetworkSpec, seq: UInt64, actorID: UInt32 = 77, steps: Int = TrainingConfig().unrollLength,
        batch: Int = 4,
        policyVersion: UInt64 = 0
    ) -> Rollout {
        var generator = SeededGenerator(seed: seq + 1)
        let observationSize = network.observationSize
        let parameters = network.head.distributionParameterCount
        func gaussians(_ count: Int) -> [Float] { (0..<count).map { _ in generator.nextGaussian() } }
        let actions: [Float] = (0..<steps * batch).map { _ in
            Float(Int.random(in: 0..<network.head.distributionParameterCount, using: &generator))
        }
        return Rollout(
            origin: RolloutOrigin(runID: runID, actorID: actorID, incarnation: 1, seq: seq),
            policyVersion: policyVersion, unrollLength: steps, batchSize: batch, observationShape: [observationSize],
            actionSize: 1, distributionParameterCount: parameters,
            observations: .float32(gaussians((steps + 1) * batch * observationSize)), actions: actions,
            rewards: gaussians(steps * batch), terminated: Array(repeating: false, count: steps * batch),
            truncated: Array(repeating: false, count: steps * batch),
            behaviourLogits: gaussians(steps * batch * parameters))
    }

    /// Seeded weights for `network`, stamped `version` of learner incarnation 1.
    static func weights(network: NetworkSpec, version: UInt64, runID: String = runID) -> Weights {
        var generator = SeededGenerator(seed: version)
        let count = ParameterLayout(spec: network).count
        return Weights(
            runID: runID, stamp: WeightsStamp(learnerIncarnation: 1, version: version),
            parameters: (0..<count).map { _ in 0.1 * generator.nextGaussian() }, network: network)
    }
}
