import Foundation
import XCTest

@testable import ShoalWire

/// The environment protocol's codec and reply checks (env.proto).
final class EnvProtocolTests: XCTestCase {
    private let spec = EnvServerSpec(
        envName: "Test-v0", numEnvs: 3,
        observationSpace: .box(dtype: .float32, shape: [2], low: [-1], high: [1]),
        actionSpace: .discrete(n: 2, start: 0), observation: TensorLayout(dtype: .float32, shape: [2]),
        maxEpisodeSteps: 500, server: "test")

    func testRequestsRoundTrip() throws {
        for request: EnvRequest in [.hello(client: "actor 1"), .hello(client: "learner", describeOnly: true),
                                    .reset(seeds: [1, 2, 3]), .step(.indices([0, 1, 1])),
                                    .step(.values([0.5, -2, 1, 0, 3, 4], shape: [3, 2]))] {
            let (id, decoded) = try EnvCodec.decodeRequest(EnvCodec.encode(request, id: 42))
            XCTAssertEqual(id, 42)
            XCTAssertEqual(decoded, request)
        }
    }

    func testRepliesRoundTrip() throws {
        let nested = EnvServerSpec(
            envName: "Nested", numEnvs: 2,
            observationSpace: .dict([.init(key: "a", space: .discrete(n: 4, start: 1)),
                                     .init(key: "b", space: .multiDiscrete(nvec: [2, 3]))]),
            actionSpace: .box(dtype: .float32, shape: [2], low: [-2, -1], high: [2, 1]),
            observation: TensorLayout(dtype: .uint8, shape: [9]), maxEpisodeSteps: nil, server: "s",
            autoresetMode: .nextStep)
        for reply: EnvReply in [.spec(spec), .spec(nested), .observations(batch(rows: 3)), .transitions(transitions()),
                                .error(message: "boom", details: "Traceback ...")] {
            let (id, decoded) = try EnvCodec.decodeReply(EnvCodec.encode(reply, id: 7), limits: EnvLimits())
            XCTAssertEqual(id, 7)
            XCTAssertEqual(decoded, reply)
        }
    }

    func testAcceptsAWellFormedStep() throws {
        XCTAssertNoThrow(try EnvReplyValidator(spec: spec).validate(transitions()))
    }

    func testRefusesBadRepliesWithNamedReasons() {
        var wrongShape = transitions()
        wrongShape.observations = ObservationBatch(layout: TensorLayout(dtype: .float32, shape: [3]), count: 3,
                                                   data: Data(count: 36))
        var nan = transitions()
        nan.observations = batch(rows: 3, values: [0, 1, 2, .nan, 4, 5])
        var infiniteReward = transitions()
        infiniteReward.rewards[0] = .infinity
        var inconsistent = transitions()
        inconsistent.ended = [0]
        var missingFinal = transitions()
        missingFinal.finalObservations = batch(rows: 0)
        var fewFlags = transitions()
        fewFlags.terminated = [false]
        let cases: [(EnvTransitions, String)] = [
            (wrongShape, "shape_mismatch(observations)"), (nan, "non_finite(observations)"),
            (infiniteReward, "non_finite(rewards)"), (inconsistent, "inconsistent(ended)"),
            (missingFinal, "shape_mismatch(final_observations)"), (fewFlags, "shape_mismatch(terminated)"),
        ]
        for (bad, reason) in cases {
            XCTAssertThrowsError(try EnvReplyValidator(spec: spec).validate(bad), reason) { error in
                XCTAssertEqual((error as? WireError)?.reason.description, reason)
            }
        }
    }

    func testRefusesMalformedBytesAndOtherVersions() {
        XCTAssertThrowsError(try EnvCodec.decodeReply([0xFF, 0xFF, 0x01], limits: EnvLimits())) { error in
            XCTAssertEqual((error as? WireError)?.reason, .malformed)
        }
        var proto = Shoal_V1_EnvReply()
        proto.protocolVersion = 2
        proto.error = Shoal_V1_EnvError()
        XCTAssertThrowsError(try EnvCodec.decodeReply(try proto.serializedBytes(), limits: EnvLimits())) { error in
            XCTAssertEqual((error as? WireError)?.reason, .unknownProtocolVersion)
        }
        var tiny = EnvLimits()
        tiny.maxMessageBytes = 8
        XCTAssertThrowsError(try EnvCodec.decodeReply(EnvCodec.encode(.spec(spec), id: 1), limits: tiny)) { error in
            XCTAssertEqual((error as? WireError)?.reason, .tooLarge("reply"))
        }
    }

    func testRefusesDataThatDoesNotFillItsShape() throws {
        var proto = Shoal_V1_EnvReply()
        proto.protocolVersion = 1
        var observations = Shoal_V1_EnvObservations()
        observations.observations = batch(rows: 3).proto
        observations.observations.data.removeLast()
        proto.observations = observations
        XCTAssertThrowsError(try EnvCodec.decodeReply(try proto.serializedBytes(), limits: EnvLimits())) { error in
            XCTAssertEqual((error as? WireError)?.reason, .malformed)
        }
    }

    func testEveryDtypeBecomesFloats() {
        func bytes<T>(_ values: [T]) -> Data { values.withUnsafeBytes { Data($0) } }
        let cases: [(TensorDType, Data)] = [
            (.bool, bytes([UInt8(0), 1])), (.uint8, bytes([UInt8(0), 255])), (.int8, bytes([Int8(-128), 127])),
            (.int16, bytes([Int16(-300), 300])), (.int32, bytes([Int32(-70000), 70000])),
            (.int64, bytes([Int64(-5), 1 << 40])), (.float16, bytes([Float16(-1.5).bitPattern, Float16(2).bitPattern])),
            (.float32, bytes([Float(-1.25), 3])), (.float64, bytes([Double(-0.5), 1e10])),
        ]
        let expected: [TensorDType: [Float]] = [
            .bool: [0, 1], .uint8: [0, 255], .int8: [-128, 127], .int16: [-300, 300], .int32: [-70000, 70000],
            .int64: [-5, Float(1 << 40)], .float16: [-1.5, 2], .float32: [-1.25, 3], .float64: [-0.5, 1e10],
        ]
        for (dtype, data) in cases {
            let batch = ObservationBatch(layout: TensorLayout(dtype: dtype, shape: [2]), count: 1, data: data)
            XCTAssertEqual(batch.floats(), expected[dtype], "\(dtype)")
        }
    }

    private func batch(rows: Int, values: [Float]? = nil) -> ObservationBatch {
        let values = values ?? (0..<(rows * 2)).map(Float.init)
        return ObservationBatch(layout: TensorLayout(dtype: .float32, shape: [2]), count: rows,
                                data: values.withUnsafeBytes { Data($0) })
    }

    /// Environment 1 terminated and 2 was truncated on this step.
    private func transitions() -> EnvTransitions {
        EnvTransitions(
            observations: batch(rows: 3), rewards: [1, 0.5, -1], terminated: [false, true, false],
            truncated: [false, false, true], ended: [1, 2], finalObservations: batch(rows: 2),
            episodes: [EpisodeEnd(episodeReturn: 10, length: 10), EpisodeEnd(episodeReturn: 500, length: 500)])
    }
}
