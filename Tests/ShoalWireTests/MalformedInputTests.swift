import ShoalCore
import XCTest

@testable import ShoalWire

final class MalformedInputTests: XCTestCase {
    func testRandomBytesAreRefused() {
        var random = SeededGenerator(seed: 11)
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<300, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            XCTAssertNotNil(wireError { try WireMessage.decode(bytes) }, "random bytes \(bytes) decoded")
        }
    }

    func testEveryTruncationOfAFrameIsRefused() {
        for message in Fixtures.everyKind {
            let bytes = message.encode()
            for length in 0..<bytes.count {
                let prefix = Array(bytes[..<length])
                XCTAssertNotNil(wireError { try WireMessage.decode(prefix) }, "\(message.kind) cut at \(length)")
            }
        }
    }

    func testCorruptedFramesNeverCrashTheReceiver() {
        let validator = MessageValidator(limits: WireLimits(runID: Fixtures.runID, network: Fixtures.cartPole))
        let original = Fixtures.rollout().encode()
        var random = SeededGenerator(seed: 12)
        var refused = 0
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if wireError({ try validator.decode(bytes) }) != nil { refused += 1 }
        }
        // Most flips land in float data and stay valid; a fair share must hit structure and be refused.
        XCTAssertGreaterThan(refused, 0)
    }

    func testUnknownProtocolVersionIsRefused() {
        for version in [0, WireProtocol.version + 1] {
            let error = decodeError(version: version) { $0.control = Fixtures.control.proto }
            XCTAssertEqual(error?.reason, .unknownProtocolVersion, "version \(version)")
        }
    }

    func testFrameWithoutBodyIsRefused() {
        XCTAssertEqual(decodeError { _ in }?.reason, .missingField("body"))
    }

    func testEveryMissingRolloutTensorIsNamed() {
        let clears: [(String, (inout Shoal_V1_Rollout) -> Void)] = [
            ("observations", { $0.clearObservations() }), ("actions", { $0.clearActions() }),
            ("rewards", { $0.clearRewards() }), ("terminated", { $0.clearTerminated() }),
            ("truncated", { $0.clearTruncated() }), ("behaviourLogits", { $0.clearBehaviourLogits() }),
            ("truncatedIndices", { $0.clearTruncatedIndices() }),
            ("truncatedObservations", { $0.clearTruncatedObservations() }),
        ]
        for (field, clear) in clears {
            var proto = Fixtures.rollout().proto
            clear(&proto)
            XCTAssertEqual(decodeError(rollout: proto)?.reason, .missingField(field))
        }
    }

    func testMissingWeightsPartsAreNamed() {
        var proto = Fixtures.weights().proto
        proto.clearNetwork()
        XCTAssertEqual(decodeError(weights: proto)?.reason, .missingField("network"))
        proto = Fixtures.weights().proto
        proto.clearStamp()
        XCTAssertEqual(decodeError(weights: proto)?.reason, .missingField("stamp"))
        proto = Fixtures.weights().proto
        proto.network.head = nil
        XCTAssertEqual(decodeError(weights: proto)?.reason, .missingField("network.head"))
    }

    func testTensorWhoseBytesDisagreeWithItsShapeIsMalformed() {
        var proto = Fixtures.rollout().proto
        proto.rewards.data.removeLast()
        XCTAssertEqual(decodeError(rollout: proto)?.reason, .malformed)
    }

    func testNegativeOrOverflowingDimensionsAreMalformed() {
        for shape: [Int64] in [[-1, 3], [Int64.max, Int64.max], [1 << 40, 1 << 40]] {
            var proto = Fixtures.rollout().proto
            proto.rewards.shape = shape
            XCTAssertEqual(decodeError(rollout: proto)?.reason, .malformed, "shape \(shape)")
        }
    }

    func testTensorShapeDisagreeingWithTheSizesIsAShapeMismatch() {
        var proto = Fixtures.rollout().proto
        // Same element count, transposed: only the shape check can tell.
        proto.rewards.shape = [proto.rewards.shape[1], proto.rewards.shape[0]]
        XCTAssertEqual(decodeError(rollout: proto)?.reason, .shapeMismatch("rewards"))

        proto = Fixtures.rollout().proto
        proto.batchSize += 1
        XCTAssertEqual(decodeError(rollout: proto)?.reason, .shapeMismatch("observations"))

        proto = Fixtures.rollout().proto
        proto.behaviourLogits.shape = [proto.behaviourLogits.shape.reduce(1, *)]
        XCTAssertEqual(decodeError(rollout: proto)?.reason, .shapeMismatch("behaviourLogits"))
    }

    func testWrongDTypeIsAShapeMismatch() {
        var proto = Fixtures.rollout().proto
        proto.rewards.dtype = .int32
        XCTAssertEqual(decodeError(rollout: proto)?.reason, .shapeMismatch("rewards"))
        proto = Fixtures.rollout().proto
        proto.terminated.dtype = .float32
        XCTAssertEqual(decodeError(rollout: proto)?.reason, .shapeMismatch("terminated"))
    }

    func testFlagsOtherThanZeroOrOneAreRefused() {
        var proto = Fixtures.rollout().proto
        proto.truncated.data[0] = 2
        XCTAssertEqual(decodeError(rollout: proto)?.reason, .outOfRange("truncated"))
    }

    func testUnknownEnumValuesAreRefused() {
        var heartbeat = Fixtures.heartbeat.proto
        heartbeat.role = .UNRECOGNIZED(99)
        XCTAssertEqual(decodeError { $0.heartbeat = heartbeat }?.reason, .outOfRange("role"))
    }

    private func decodeError(rollout proto: Shoal_V1_Rollout) -> WireError? {
        decodeError { $0.rollout = proto }
    }

    private func decodeError(weights proto: Shoal_V1_Weights) -> WireError? {
        decodeError { $0.weights = proto }
    }

    /// The error decoding a frame of the current protocol version filled in by `fill`.
    private func decodeError(
        version: UInt32 = WireProtocol.version, _ fill: (inout Shoal_V1_Frame) -> Void
    ) -> WireError? {
        var frame = Shoal_V1_Frame()
        frame.protocolVersion = version
        fill(&frame)
        let bytes: [UInt8] = try! frame.serializedBytes()
        return wireError { try WireMessage.decode(bytes) }
    }
}
