import ShoalCore
import ShoalWire
import XCTest

final class MessageValidatorTests: XCTestCase {
    private let validator = MessageValidator(
        limits: WireLimits(runID: Fixtures.runID, network: Fixtures.cartPole),
        newestWeights: WeightsStamp(learnerIncarnation: 1, version: 7))

    func testAcceptsGoodMessagesOfEveryKind() throws {
        for message in Fixtures.everyKind {
            XCTAssertEqual(try validator.decode(message.encode()), message)
        }
        var continuous = MessageValidator(limits: WireLimits(runID: Fixtures.runID, network: Fixtures.pendulum))
        XCTAssertNoThrow(try continuous.validate(Fixtures.rollout(network: Fixtures.pendulum)))
        continuous.limits.network = nil
        XCTAssertNoThrow(try continuous.validate(Fixtures.rollout(observationShape: [2, 2], steps: 3, batch: 2)))
    }

    func testRefusesMessagesOfAnotherRunWhateverTheirKind() {
        let stranger = MessageValidator(limits: WireLimits(runID: "another-run", network: Fixtures.cartPole))
        for message in Fixtures.everyKind {
            XCTAssertEqual(wireError { try stranger.validate(message) }?.reason, .wrongRunID, "\(message.kind)")
        }
    }

    func testRefusesArraysThatDisagreeWithTheSizes() {
        assertRefused(.shapeMismatch("observations")) { $0.observations.editFloats { $0.removeLast() } }
        assertRefused(.shapeMismatch("actions")) { $0.actions.append(0) }
        assertRefused(.shapeMismatch("rewards")) { $0.rewards.removeLast() }
        assertRefused(.shapeMismatch("terminated")) { $0.terminated.append(false) }
        assertRefused(.shapeMismatch("behaviourLogits")) { $0.behaviourLogits.removeLast() }
        assertRefused(.shapeMismatch("truncatedObservations")) { $0.truncatedObservations.editFloats { $0.removeLast() } }
    }

    func testRefusesNaNAndInfinities() {
        for bad in [Float.nan, .infinity, -.infinity] {
            assertRefused(.nonFinite("observations")) { $0.observations.editFloats { $0[17] = bad } }
            assertRefused(.nonFinite("rewards")) { $0.rewards[0] = bad }
            assertRefused(.nonFinite("behaviourLogits")) { $0.behaviourLogits[$0.behaviourLogits.count - 1] = bad }
            assertRefused(.nonFinite("truncatedObservations")) { $0.truncatedObservations.editFloats { $0[0] = bad } }
            assertRefused(.nonFinite("episodes")) { $0.episodes[0].episodeReturn = bad }
            var weights = Fixtures.weights()
            weights.parameters[3] = bad
            weights.checksum = crc32c(weights.parameters)
            XCTAssertEqual(wireError { try validator.validate(weights) }?.reason, .nonFinite("parameters"))
        }
        var heartbeat = Fixtures.heartbeat
        heartbeat.stats["loss"] = .nan
        XCTAssertEqual(wireError { try validator.validate(heartbeat) }?.reason, .nonFinite("stats"))
    }

    func testRefusesSizesOverTheLimits() {
        var limits = WireLimits(runID: Fixtures.runID)
        limits.maxUnrollLength = 4
        limits.maxBatchSize = 2
        limits.maxObservationSize = 3
        limits.maxParameters = 100
        limits.maxAckSeqs = 1
        limits.maxStats = 1
        limits.maxTextBytes = 4
        let strict = MessageValidator(limits: limits)
        XCTAssertEqual(
            wireError { try strict.validate(Fixtures.rollout(steps: 5, batch: 2)) }?.reason,
            .tooLarge("unrollLength"))
        XCTAssertEqual(
            wireError { try strict.validate(Fixtures.rollout(steps: 4, batch: 3)) }?.reason, .tooLarge("batchSize"))
        XCTAssertEqual(
            wireError { try strict.validate(Fixtures.rollout(steps: 4, batch: 2)) }?.reason,
            .tooLarge("observationShape"))
        XCTAssertEqual(wireError { try strict.validate(Fixtures.weights(count: 101)) }?.reason, .tooLarge("parameters"))
        XCTAssertEqual(wireError { try strict.validate(Fixtures.ack) }?.reason, .tooLarge("seqs"))
        XCTAssertEqual(wireError { try strict.validate(Fixtures.heartbeat) }?.reason, .tooLarge("host"))
        XCTAssertEqual(wireError { try strict.validate(Fixtures.control) }?.reason, .tooLarge("reason"))
        var fewStats = Fixtures.heartbeat
        fewStats.host = "n1"
        XCTAssertEqual(wireError { try strict.validate(fewStats) }?.reason, .tooLarge("stats"))
    }

    func testRefusesFramesOverTheByteLimitBeforeDecoding() {
        var limits = WireLimits(runID: Fixtures.runID)
        let bytes = Fixtures.rollout().encode()
        limits.maxMessageBytes = bytes.count - 1
        XCTAssertEqual(wireError { try MessageValidator(limits: limits).decode(bytes) }?.reason, .tooLarge("message"))
        limits.maxMessageBytes = bytes.count
        XCTAssertNil(wireError { try MessageValidator(limits: limits).decode(bytes) })
    }

    func testRefusesZeroSizes() {
        assertRefused(.outOfRange("unrollLength")) { rollout in
            rollout = Fixtures.rollout(steps: 0)
        }
        assertRefused(.outOfRange("observationShape")) { rollout in
            rollout.observationShape = [4, 0]
            rollout.observations = []
        }
    }

    /// A step both terminated and truncated is not bootstrapped, so it is not listed with the truncated ones.
    func testTruncatedAndTerminatedStepIsNotListed() throws {
        let validator = MessageValidator(limits: WireLimits(runID: Fixtures.runID, network: Fixtures.cartPole))
        var rollout = Fixtures.rollout(network: Fixtures.cartPole)
        let terminatedStep = try XCTUnwrap(rollout.terminated.firstIndex(of: true))
        rollout.truncated[terminatedStep] = true
        XCTAssertNil(wireError { try validator.validate(rollout) })

        var listed = rollout
        listed.truncatedIndices = (listed.truncatedIndices + [Int32(terminatedStep)]).sorted()
        let size = rollout.observationSize
        listed.truncatedObservations.editFloats { $0 += [Float](repeating: 0, count: size) }
        XCTAssertEqual(wireError { try validator.validate(listed) }?.reason, .inconsistent("truncatedIndices"))
    }

    func testRefusesWeightsWhoseSizeDoesNotFitTheirNetwork() {
        let validator = MessageValidator(limits: WireLimits(runID: Fixtures.runID, network: Fixtures.cartPole))
        let network = Fixtures.cartPole
        let short = Fixtures.weights(network: network, count: ParameterLayout(spec: network).count - 1)
        XCTAssertEqual(wireError { try validator.validate(short) }?.reason, .shapeMismatch("parameters"))
    }

    func testRefusesWeightsWithABadChecksum() {
        var weights = Fixtures.weights()
        weights.parameters[0] += 1
        XCTAssertEqual(wireError { try validator.validate(weights) }?.reason, .badChecksum)
        weights.checksum = crc32c(weights.parameters)
        XCTAssertNil(wireError { try validator.validate(weights) })
    }

    func testRefusesAnotherArchitecture() {
        let wider = NetworkSpec(
            observationSize: 4, hiddenSizes: [64, 65], activation: .tanh, head: .categorical(actions: 2))
        XCTAssertEqual(
            wireError { try validator.validate(Fixtures.weights(network: wider)) }?.reason, .architectureMismatch)
        XCTAssertEqual(
            wireError { try validator.validate(Fixtures.weights(network: Fixtures.pendulum)) }?.reason,
            .architectureMismatch)
        XCTAssertEqual(
            wireError { try validator.validate(Fixtures.rollout(network: Fixtures.pendulum)) }?.reason,
            .architectureMismatch)
        let threeActions = NetworkSpec(
            observationSize: 4, hiddenSizes: [64, 64], activation: .tanh, head: .categorical(actions: 3))
        XCTAssertEqual(
            wireError { try validator.validate(Fixtures.rollout(network: threeActions)) }?.reason,
            .architectureMismatch)
    }

    /// A rollout's recurrent state must be the receiver's network's: 2 × B × H values (none without a core), finite.
    func testRefusesRecurrentStatesThatDoNotFitTheNetwork() {
        let recurrent = MessageValidator(limits: WireLimits(runID: Fixtures.runID, network: Fixtures.recurrent))
        var rollout = Fixtures.rollout(network: Fixtures.recurrent)
        XCTAssertNoThrow(try recurrent.validate(rollout))
        rollout.recurrentState[5] = .nan
        XCTAssertEqual(wireError { try recurrent.validate(rollout) }?.reason, .nonFinite("recurrentState"))
        rollout.recurrentState = []
        XCTAssertEqual(wireError { try recurrent.validate(rollout) }?.reason, .architectureMismatch)
        var stateful = Fixtures.rollout()
        stateful.recurrentState = [Float](repeating: 0, count: 2 * stateful.batchSize * 8)
        XCTAssertEqual(wireError { try validator.validate(stateful) }?.reason, .architectureMismatch)
        var unlimited = validator
        unlimited.limits.network = nil
        stateful.recurrentState.removeLast()
        XCTAssertEqual(wireError { try unlimited.decode(stateful.encode()) }?.reason, .malformed,
                       "values that do not fill [2, B, H]")
    }

    /// Observations must be of the network's dtype: bytes for uint8 and bool (and flags 0 or 1), floats otherwise.
    func testRefusesObservationsOfAnotherDType() {
        let pixels = MessageValidator(limits: WireLimits(runID: Fixtures.runID, network: Fixtures.pixels))
        XCTAssertNoThrow(try pixels.validate(Fixtures.rollout(network: Fixtures.pixels)))
        var floats = Fixtures.pixels
        floats.observationDType = .float32
        XCTAssertEqual(wireError { try pixels.validate(Fixtures.rollout(network: floats)) }?.reason,
                       .architectureMismatch)
        XCTAssertEqual(wireError { try validator.validate(Fixtures.rollout(network: Fixtures.pixels)) }?.reason,
                       .architectureMismatch)
        var flags = Fixtures.pixels
        flags.observationDType = .bool
        let flagValidator = MessageValidator(limits: WireLimits(runID: Fixtures.runID, network: flags))
        var rollout = Fixtures.rollout(network: flags)
        XCTAssertNoThrow(try flagValidator.validate(rollout))
        rollout.observations = .uint8([2] + rollout.observations.bytes!.dropFirst())
        XCTAssertEqual(wireError { try flagValidator.validate(rollout) }?.reason, .outOfRange("observations"))
        var mixed = Fixtures.rollout(network: Fixtures.pixels)
        mixed.truncatedObservations = .float32([Float](repeating: 0, count: mixed.truncatedObservations.count))
        XCTAssertEqual(wireError { try pixels.decode(mixed.encode()) }?.reason, .shapeMismatch("truncatedObservations"))
    }

    func testRefusesImplausibleNetworkDescriptions() {
        let unlimited = MessageValidator(limits: WireLimits(runID: Fixtures.runID))
        let noObservations = NetworkSpec(
            observationSize: 0, hiddenSizes: [8], activation: .relu, head: .categorical(actions: 2))
        XCTAssertEqual(
            wireError { try unlimited.validate(Fixtures.weights(network: noObservations)) }?.reason,
            .outOfRange("network.observationSize"))
        let emptyLayer = NetworkSpec(
            observationSize: 4, hiddenSizes: [8, 0], activation: .relu, head: .categorical(actions: 2))
        XCTAssertEqual(
            wireError { try unlimited.validate(Fixtures.weights(network: emptyLayer)) }?.reason,
            .outOfRange("network.hiddenSizes"))
    }

    func testRefusesUnknownProtocolVersionsOnTheReceivePath() {
        var bytes = Fixtures.control.encode()
        // The frame starts with field 1 (protocol_version) as a one-byte varint: tag 0x08, then the value.
        XCTAssertEqual(Array(bytes[0..<2]), [0x08, UInt8(WireProtocol.version)])
        bytes[1] = UInt8(WireProtocol.version + 1)
        XCTAssertEqual(wireError { try validator.decode(bytes) }?.reason, .unknownProtocolVersion)
    }

    func testRefusesRolloutsFromAPolicyNewerThanAnyPublished() {
        XCTAssertNil(wireError { try validator.validate(Fixtures.rollout(policyVersion: 7)) })
        XCTAssertEqual(wireError { try validator.validate(Fixtures.rollout(policyVersion: 8)) }?.reason, .futureVersion)
        var request = Fixtures.weightsRequest
        request.held = WeightsStamp(learnerIncarnation: 1, version: 8)
        XCTAssertEqual(wireError { try validator.validate(request) }?.reason, .futureVersion)
    }

    func testRefusesWeightsNotNewerThanTheHeldOnes() {
        let held = WeightsStamp(learnerIncarnation: 2, version: 10)
        let actor = MessageValidator(limits: validator.limits, newestWeights: held)
        let stale = [
            held, WeightsStamp(learnerIncarnation: 2, version: 9), WeightsStamp(learnerIncarnation: 1, version: 99),
        ]
        for stale in stale {
            XCTAssertEqual(wireError { try actor.validate(Fixtures.weights(stamp: stale)) }?.reason, .staleVersion)
        }
        // A restarted learner may publish lower versions; its higher incarnation makes them newer.
        let newer = [WeightsStamp(learnerIncarnation: 2, version: 11), WeightsStamp(learnerIncarnation: 3, version: 1)]
        for newer in newer {
            XCTAssertNil(wireError { try actor.validate(Fixtures.weights(stamp: newer)) })
        }
    }

    func testRefusesActionsOutsideTheCategoricalHead() {
        for bad: Float in [2, -1, 0.5] {
            assertRefused(.outOfRange("actions")) { $0.actions[4] = bad }
        }
    }

    func testRefusesTruncationBookkeepingThatDisagreesWithTheFlags() {
        assertRefused(.inconsistent("truncatedIndices")) { rollout in
            let index = rollout.truncated.firstIndex(of: false)!
            rollout.truncated[index] = true
        }
        assertRefused(.inconsistent("truncatedIndices")) { rollout in
            rollout.truncatedIndices[0] -= 1
        }
        assertRefused(.outOfRange("truncatedIndices")) { rollout in
            rollout.truncatedIndices.reverse()
        }
        assertRefused(.outOfRange("truncatedIndices")) { rollout in
            rollout.truncatedIndices[rollout.truncatedIndices.count - 1] = Int32(rollout.truncated.count)
        }
    }

    func testRefusesMoreEpisodesThanEndings() {
        assertRefused(.inconsistent("episodes")) { $0.episodes.append(EpisodeStats(episodeReturn: 1, length: 3)) }
        assertRefused(.outOfRange("episodes")) { $0.episodes[0].length = 0 }
    }

    func testRejectionsSurviveTheWire() throws {
        var rollout = Fixtures.rollout()
        rollout.rewards[2] = .nan
        XCTAssertEqual(wireError { try validator.decode(rollout.encode()) }?.reason, .nonFinite("rewards"))
    }

    func testLabelsAreDistinctSnakeCaseNames() {
        let reasons: [RejectionReason] = [
            .malformed, .unknownProtocolVersion, .unexpectedMessage, .missingField("f"), .wrongRunID,
            .shapeMismatch("f"), .nonFinite("f"), .outOfRange("f"), .tooLarge("f"), .inconsistent("f"), .badChecksum,
            .architectureMismatch, .futureVersion, .staleVersion,
        ]
        XCTAssertEqual(Set(reasons.map(\.label)).count, reasons.count)
        for reason in reasons {
            XCTAssertTrue(reason.label.allSatisfy { $0.isLowercase || $0 == "_" }, reason.label)
        }
        XCTAssertEqual(RejectionReason.nonFinite("rewards").label, RejectionReason.nonFinite("actions").label)
    }

    /// Asserts that the validator refuses the fixture rollout after `change` for `reason`, and accepted it before.
    private func assertRefused(
        _ reason: RejectionReason, file: StaticString = #filePath, line: UInt = #line, _ change: (inout Rollout) -> Void
    ) {
        var rollout = Fixtures.rollout()
        XCTAssertNil(wireError { try validator.validate(rollout) }, file: file, line: line)
        change(&rollout)
        XCTAssertEqual(wireError { try validator.validate(rollout) }?.reason, reason, file: file, line: line)
    }
}
