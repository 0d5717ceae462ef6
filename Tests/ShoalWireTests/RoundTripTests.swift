import ShoalCore
import XCTest

@testable import ShoalWire

final class RoundTripTests: XCTestCase {
    func testEveryMessageKindRoundTripsThroughAFrame() throws {
        for message in Fixtures.everyKind {
            let decoded = try WireMessage.decode(message.encode())
            XCTAssertEqual(decoded, message, "\(message.kind)")
            XCTAssertEqual(decoded.kind, message.kind)
        }
    }

    func testDecodingInPlaceGivesTheSameMessage() throws {
        for message in Fixtures.everyKind {
            let bytes = message.encode()
            let decoded = try bytes.withUnsafeBytes { buffer throws(WireError) in try WireMessage.decode(buffer) }
            XCTAssertEqual(decoded, message, "\(message.kind)")
        }
    }

    func testEachTypeDecodesItsOwnFrames() throws {
        let rollout = Fixtures.rollout()
        XCTAssertEqual(try Rollout.decode(rollout.encode()), rollout)
        let weights = Fixtures.weights()
        XCTAssertEqual(try Weights.decode(weights.encode()), weights)
        XCTAssertEqual(try WeightsRequest.decode(Fixtures.weightsRequest.encode()), Fixtures.weightsRequest)
        XCTAssertEqual(try Ack.decode(Fixtures.ack.encode()), Fixtures.ack)
        XCTAssertEqual(try Heartbeat.decode(Fixtures.heartbeat.encode()), Fixtures.heartbeat)
        XCTAssertEqual(try Control.decode(Fixtures.control.encode()), Fixtures.control)
    }

    func testATypeRefusesFramesOfAnotherKind() {
        let ackBytes = Fixtures.ack.encode()
        XCTAssertEqual(wireError { try Rollout.decode(ackBytes) }?.reason, .unexpectedMessage)
        XCTAssertEqual(wireError { try Weights.decode(Fixtures.control.encode()) }?.reason, .unexpectedMessage)
    }

    func testActionsTravelAsFloat32WithTheirActionSize() throws {
        let discrete = Fixtures.rollout(network: Fixtures.cartPole)
        XCTAssertEqual(discrete.proto.actions.dtype, .float32)
        XCTAssertEqual(discrete.proto.actions.shape, [Int64(discrete.unrollLength), Int64(discrete.batchSize), 1])
        XCTAssertEqual(try Rollout.decode(discrete.encode()), discrete)

        let continuous = Fixtures.rollout(network: Fixtures.pendulum)
        XCTAssertEqual(continuous.proto.actions.shape, [5, 3, 2])
        XCTAssertEqual(try Rollout.decode(continuous.encode()), continuous)
    }

    func testMultiDimensionalObservationsKeepTheirShape() throws {
        let rollout = Fixtures.rollout(observationShape: [2, 3, 2], steps: 2, batch: 2)
        let decoded = try Rollout.decode(rollout.encode())
        XCTAssertEqual(decoded.observationShape, [2, 3, 2])
        XCTAssertEqual(decoded, rollout)
    }

    func testRolloutWithoutTruncationsOrEpisodesRoundTrips() throws {
        var rollout = Fixtures.rollout()
        rollout.terminated = rollout.terminated.map { _ in false }
        rollout.truncated = rollout.truncated.map { _ in false }
        rollout.truncatedIndices = []
        rollout.truncatedObservations = []
        rollout.episodes = []
        XCTAssertEqual(try Rollout.decode(rollout.encode()), rollout)
    }

    /// Reset steps of a NEXT_STEP environment travel, and one that ends an episode is refused.
    func testRolloutResetStepsRoundTripAndMustEndNothing() throws {
        var rollout = Fixtures.rollout()
        rollout.resetSteps = [Bool](repeating: false, count: rollout.unrollLength * rollout.batchSize)
        let free = try XCTUnwrap(rollout.resetSteps.indices.first { !rollout.terminated[$0] && !rollout.truncated[$0] })
        rollout.resetSteps[free] = true
        XCTAssertEqual(try Rollout.decode(rollout.encode()), rollout)
        let validator = MessageValidator(limits: WireLimits(runID: Fixtures.runID, network: Fixtures.cartPole))
        XCTAssertNoThrow(try validator.validate(rollout))
        let ended = try XCTUnwrap(rollout.resetSteps.indices.first { rollout.terminated[$0] || rollout.truncated[$0] })
        rollout.resetSteps[ended] = true
        XCTAssertThrowsError(try validator.validate(rollout)) { error in
            XCTAssertEqual((error as? WireError)?.reason, .inconsistent("resetSteps"))
        }
    }

    func testWeightsRequestWithoutHeldWeightsRoundTrips() throws {
        var request = Fixtures.weightsRequest
        request.held = nil
        XCTAssertNil(try WeightsRequest.decode(request.encode()).held)
    }

    func testEveryControlCommandAndRoleRoundTrips() throws {
        for command in ControlCommand.allCases {
            let control = Control(runID: Fixtures.runID, command: command)
            XCTAssertEqual(try Control.decode(control.encode()).command, command)
        }
        for role in ProcessRole.allCases {
            var heartbeat = Fixtures.heartbeat
            heartbeat.role = role
            XCTAssertEqual(try Heartbeat.decode(heartbeat.encode()).role, role)
        }
    }

    func testWeightsKeepTheirChecksumAndNetwork() throws {
        let weights = Fixtures.weights(network: Fixtures.pendulum)
        let decoded = try Weights.decode(weights.encode())
        XCTAssertEqual(decoded.checksum, crc32c(weights.parameters))
        XCTAssertEqual(decoded.network, Fixtures.pendulum)
        XCTAssertTrue(decoded.hasValidChecksum)
    }

    /// A convolutional torso travels with the network; one that could not read the observations (a shape that does
    /// not hold them, or is too small for its kernels) is refused on decoding, so no process builds it.
    func testConvolutionalTorsosTravelAndUnfitOnesAreRefused() throws {
        let minatar = NetworkSpec(observationSize: 400, hiddenSizes: [], activation: .relu,
                                  head: .categorical(actions: 6),
                                  convolutionalTorso: ConvolutionalTorsoSpec(kind: .minatar, height: 10, width: 10,
                                                                             channels: 4))
        let weights = Fixtures.weights(network: minatar)
        XCTAssertEqual(try Weights.decode(weights.encode()).network, minatar)
        for (height, width, channels) in [(10, 10, 3), (2, 50, 4), (0, 10, 40)] {
            var unfit = minatar
            unfit.convolutionalTorso = ConvolutionalTorsoSpec(kind: .minatar, height: height, width: width,
                                                              channels: channels)
            XCTAssertThrowsError(try Weights.decode(Fixtures.weights(network: unfit, count: 10).encode())) { error in
                XCTAssertEqual((error as? WireError)?.reason, .outOfRange("network.convolutional_torso"), "\(error)")
            }
        }
    }

    /// An LSTM core travels with the network, and the actor's recurrent state with the rollout.
    func testRecurrentNetworksAndTheirStatesTravel() throws {
        let weights = Fixtures.weights(network: Fixtures.recurrent)
        XCTAssertEqual(try Weights.decode(weights.encode()).network, Fixtures.recurrent)
        let rollout = Fixtures.rollout(network: Fixtures.recurrent)
        XCTAssertEqual(rollout.recurrentState.count, 2 * 3 * 8)
        XCTAssertEqual(try Rollout.decode(rollout.encode()), rollout)
    }

    /// uint8 and bool observations travel as bytes, a quarter of their float32 size, and come back as bytes; the
    /// network says which they are.
    func testFramesTravelAsBytes() throws {
        let frames = Fixtures.rollout(network: Fixtures.pixels)
        let decoded = try Rollout.decode(frames.encode())
        XCTAssertEqual(decoded, frames)
        XCTAssertTrue(decoded.observations.isBytes && decoded.truncatedObservations.isBytes)
        var asFloats = frames
        asFloats.observations = .float32(frames.observations.bytes!.map { Float($0) })
        asFloats.truncatedObservations = .float32([Float](repeating: 0, count: frames.truncatedObservations.count))
        let saved = asFloats.encode().count - frames.encode().count
        XCTAssertEqual(saved, 3 * (frames.observations.count + frames.truncatedObservations.count))
        for dtype in ObservationDType.allCases {
            var network = Fixtures.pixels
            network.observationDType = dtype
            XCTAssertEqual(try Weights.decode(Fixtures.weights(network: network).encode()).network, network)
        }
    }
}
