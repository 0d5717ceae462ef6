import Logging
import ShoalCore
import ShoalEnvs
import ShoalWire
import ZeroMQ

/// Where an actor finds its learner.
public struct ActorEndpoints: Sendable {
    /// The learner's ROUTER (rollouts out, acks and snapshots back).
    public var learner: String
    /// The learner's PUB (weights broadcasts).
    public var weights: String
    /// The environment servers this actor steps, when given apart from the config (a cluster launcher's
    /// node-local servers); nil takes the actor's share of the config's `envServers`.
    public var envServers: [String]?

    public init(learner: String, weights: String, envServers: [String]? = nil) {
        self.learner = learner
        self.weights = weights
        self.envServers = envServers
    }
}

/// How an actor process ended.
public enum ActorOutcome: Sendable, Equatable {
    /// The learner announced the end of the run.
    case runFinished
    /// Asked to stop (SIGTERM/SIGINT).
    case interrupted
    /// Heard nothing from the learner for `learnerGoneSeconds`.
    case learnerGone
}

/// The actor process's work: waits for weights, then collects unrolls with its local policy copy and sends them to
/// the learner within the learner's credit, keeping unacknowledged ones to re-send after a silence; adopts newer
/// weights only between unrolls. Memory is bounded by the credit whatever the learner does.
public final class ActorService {
    /// Called about once per `heartbeatSeconds` with the actor's figures.
    public var onReport: (ActorReport) -> Void = { _ in }

    private let config: TrainingConfig
    private let runID: String
    private let actorID: UInt32
    private let incarnation: UInt32
    private let collector: any RolloutCollecting
    private var outbox: RolloutOutbox
    private var inbox: WeightsInbox
    private var validator: MessageValidator
    private var learnerNewest: WeightsStamp?
    private var lastAck: ContinuousClock.Instant
    /// When a valid message of the learner last arrived (weights, or an ack of this incarnation).
    private var lastHeardFromLearner: ContinuousClock.Instant
    /// Re-sent after a silence and not acknowledged since.
    private var reconnecting = false
    private var nextSeq: UInt64 = 0
    private var envSteps: Int64 = 0
    private var rejected: [String: Int64] = [:]
    private let context: ZMQContext
    private let learner: LearnerConnection
    private let clock = ContinuousClock()
    private var log: Logger

    public init(config: TrainingConfig, runID: String, actorID: UInt32, incarnation: UInt32,
                endpoints: ActorEndpoints, security: ActorSecurity? = nil) throws {
        log = Logger(label: "shoal.actor")
        log[metadataKey: "actor"] = "\(actorID)"
        log[metadataKey: "incarnation"] = "\(incarnation)"
        self.config = config
        self.runID = runID
        self.actorID = actorID
        self.incarnation = incarnation
        // A served environment's shape comes from this actor's own first server (not waited on longer than a
        // supervisor waits for a first heartbeat); weights for another architecture would be refused.
        let servers = try config.environmentSource() == .builtIn
            ? [] : endpoints.envServers ?? config.envServers(forActor: actorID)
        let shape = try config.environmentShape(askingServer: servers.first, wait: .seconds(50),
                                                curve: security?.envServerCurve)
        let spec = try config.networkSpec(for: shape)
        // Each actor and incarnation explores differently, reproducibly from the run's seed.
        let seed = config.seed &+ UInt64(actorID) &* 1_000_003 &+ UInt64(incarnation) &* 7_919
        var generator = SeededGenerator(seed: seed)
        let network = ActorCriticNetwork(spec: spec, generator: &generator, backend: config.gemm)
        context = try ZMQContext()
        do {
            if try config.environmentSource() == .builtIn {
                let factory = try EnvironmentRegistry.builtIn.factory(for: config.env)
                collector = UnrollCollector(
                    environments: factory.makeVectorEnvironment(batchSize: config.envsPerActor, seed: seed),
                    network: network, unrollLength: config.unrollLength, generator: generator.derived(stream: 1))
            } else {
                collector = try RemoteUnrollCollector(
                    context: context, endpoints: servers, shape: shape,
                    envsPerServer: config.envsPerServer, unrollLength: config.unrollLength,
                    timeout: .seconds(config.envTimeoutSeconds), client: "actor-\(actorID).\(incarnation)",
                    generator: generator.derived(stream: 1), curve: security?.envServerCurve,
                    makeNetwork: { ActorCriticNetwork(spec: spec, parameters: network.parameters, backend: config.gemm) },
                    log: log)
            }
        } catch {
            context.close()
            throw error
        }
        outbox = RolloutOutbox(initialCredits: config.creditsPerActor, maxCredits: 4 * config.creditsPerActor)
        inbox = WeightsInbox(gapTolerance: UInt64(min(4 * config.publishEvery, config.maxPolicyLag)))
        validator = MessageValidator(limits: WireLimits(runID: runID, network: spec))
        lastAck = clock.now
        lastHeardFromLearner = clock.now
        do {
            learner = try LearnerConnection(
                context: context, endpoints: endpoints, actorID: actorID, incarnation: incarnation,
                maxMessageBytes: validator.limits.maxMessageBytes, security: security)
        } catch {
            collector.close()
            context.close()
            throw error
        }
        log.info("connecting", metadata: ["learner": "\(endpoints.learner)", "weights": "\(endpoints.weights)",
                                          "security": "\(security == nil ? "none" : "curve")"])
    }

    /// Acts until the learner ends the run or `shouldStop` returns true.
    public func run(shouldStop: () -> Bool = { TerminationSignals.stopRequested }) throws -> ActorOutcome {
        var leavingReason: String?
        defer { close(sayingLeaving: leavingReason) }
        let outcome = try act(shouldStop: shouldStop)
        switch outcome {
        case .runFinished:
            leavingReason = "the run is over"
            // A finished learner settled all it had before announcing the end: only acks already on the way remain.
            try awaitAcknowledgements(within: .milliseconds(200))
        case .interrupted:
            leavingReason = "asked to stop"
            try awaitAcknowledgements(within: .seconds(min(config.resendSeconds, 2)))
        case .learnerGone:
            leavingReason = "the learner is gone"
        }
        onReport(report())
        return outcome
    }

    private func act(shouldStop: () -> Bool) throws -> ActorOutcome {
        var lastReport = clock.now
        while !shouldStop() {
            if try receiveAvailable(wait: mustWaitForWeights || !outbox.canSend) == .runFinished {
                return .runFinished
            }
            if learnerSeemsGone() { return .learnerGone }
            requestSnapshotIfNeeded()
            try resendIfSilent()
            if clock.now - lastReport >= .seconds(config.heartbeatSeconds) {
                onReport(report())
                lastReport = clock.now
            }
            guard outbox.canSend else { continue }
            if let weights = inbox.takePending() {
                if nextSeq == 0 { log.info("first weights", metadata: ["version": "\(weights.stamp)"]) }
                collector.adopt(parameters: weights.parameters, version: weights.version)
            }
            guard !mustWaitForWeights else { continue }
            collectAndSend()
        }
        return .interrupted
    }

    /// No weights yet, or the held ones are too old for the learner to use what they would act.
    private var mustWaitForWeights: Bool {
        inbox.held == nil || inbox.isTooOld(learnerNewest: learnerNewest, maxLag: UInt64(config.maxPolicyLag))
    }

    /// Stops producing and gives the learner a bounded time to settle what is outstanding, so that a clean exit
    /// leaves as few rollouts unaccounted as possible; what is still unacknowledged after it counts as dropped.
    private func awaitAcknowledgements(within limit: Duration) throws {
        let deadline = clock.now + limit
        while outbox.unacknowledged > 0, clock.now < deadline {
            _ = try receiveAvailable(wait: true)
        }
    }

    private func collectAndSend() {
        let origin = RolloutOrigin(runID: runID, actorID: actorID, incarnation: incarnation, seq: nextSeq)
        guard var rollout = collector.collect(origin: origin, within: .milliseconds(50)) else { return }
        nextSeq += 1
        rollout.acknowledgedBelow = outbox.pending.first?.seq ?? origin.seq
        envSteps += Int64(rollout.unrollLength * rollout.batchSize)
        let frame = WireMessage.rollout(rollout).encode()
        outbox.add(seq: origin.seq, frame: frame)
        // A full send queue (learner gone) leaves the frame in the outbox to be re-sent later.
        _ = try? learner.dealer.send(frame, timeout: .zero)
    }

    // MARK: - Receiving

    /// Handles every waiting message from the learner; waits up to 20 ms for one if asked.
    private func receiveAvailable(wait: Bool) throws -> ActorOutcome? {
        let poller = ZMQPoller([learner.dealer, learner.subscriber])
        var timeout: Duration = wait ? .milliseconds(20) : .zero
        while true {
            let ready = try poller.readable(timeout: timeout)
            if ready.isEmpty { return nil }
            for socket in ready {
                while let parts = try socket.receiveMultipart(timeout: .zero) {
                    // A learner sends one frame per message; the parts of any other layout are not messages.
                    guard parts.count == 1 else {
                        reject(label: "bad_multipart", detail: "\(parts.count) frames in one message")
                        continue
                    }
                    if handle(parts[0]) == .runFinished { return .runFinished }
                }
            }
            timeout = .zero
        }
    }

    private func handle(_ frame: [UInt8]) -> ActorOutcome? {
        let message: WireMessage
        do {
            message = try validator.decode(frame)
        } catch {
            reject(label: error.reason.label, detail: "\(error)")
            return nil
        }
        switch message {
        case .weights(let weights):
            _ = inbox.offer(weights, at: clock.now)
            lastHeardFromLearner = clock.now
        case .ack(let ack) where ack.actorID == actorID && ack.incarnation == incarnation:
            if outbox.apply(ack) > 0 && reconnecting {
                log.notice("learner reachable again: rollouts acknowledged")
                reconnecting = false
            }
            learnerNewest = ack.newestWeights
            lastAck = clock.now
            lastHeardFromLearner = clock.now
        case .control(let control) where control.command == .shutdown:
            return .runFinished
        default:
            reject(label: "unexpected_\(message.kind.rawValue)",
                   detail: "an actor takes weights, acks for its own incarnation and shutdown commands")
        }
        return nil
    }

    /// Counts a refused message by reason and logs the first of each reason, so that a flood of bad frames cannot
    /// flood the log; the counts are in the heartbeat stats.
    private func reject(label: String, detail: String) {
        if rejected[label] == nil {
            log.warning("rejected message", metadata: ["reason": "\(label)", "detail": "\(detail.prefix(300))"])
        }
        rejected[label, default: 0] += 1
    }

    // MARK: - Recovery

    /// True once the learner has been silent for `learnerGoneSeconds`; logs why the actor ends.
    private func learnerSeemsGone() -> Bool {
        guard let limit = config.learnerGoneSeconds, clock.now - lastHeardFromLearner >= .seconds(limit) else {
            return false
        }
        // The run may have ended before this actor was heard from, or the learner's host may be lost.
        log.warning("learner gone: no word from it within learnerGoneSeconds; leaving the run",
                    metadata: ["seconds": "\(limit)"])
        return true
    }

    private func requestSnapshotIfNeeded() {
        let now = clock.now
        guard inbox.shouldRequest(learnerNewest: learnerNewest, now: now, silence: .seconds(config.resendSeconds),
                                  retry: .milliseconds(500)) else { return }
        let request = WeightsRequest(runID: runID, actorID: actorID, incarnation: incarnation, held: inbox.newest)
        _ = try? learner.dealer.send(WireMessage.weightsRequest(request).encode(), timeout: .zero)
        inbox.requested(at: now)
    }

    /// No ack for `resendSeconds` while rollouts are outstanding: the learner may have lost them (restart,
    /// reconnect) or the connection may be dead for good (see `LearnerConnection`), so open fresh sockets, as the
    /// zguide's Lazy Pirate client does, and send them all again; the learner discards copies it already has.
    private func resendIfSilent() throws {
        guard outbox.unacknowledged > 0, clock.now - lastAck >= .seconds(config.resendSeconds) else { return }
        log.notice("no ack: reconnecting and re-sending", metadata: ["rollouts": "\(outbox.unacknowledged)"])
        reconnecting = true
        try learner.reopen()
        for frame in outbox.framesToResend() { _ = try? learner.dealer.send(frame, timeout: .zero) }
        lastAck = clock.now
    }

    private func report() -> ActorReport {
        ActorReport(policyVersion: collector.policyVersion, envSteps: envSteps, produced: outbox.produced,
                    acknowledged: outbox.acknowledged, unacknowledged: outbox.unacknowledged,
                    resent: outbox.resent, rejected: rejected, environments: collector.stats)
    }

    /// Closes the sockets; given a reason, first tells the learner that this actor is leaving, so that it takes the
    /// silence that follows for no fault (and a finished learner need not wait to tell this actor the run is over).
    private func close(sayingLeaving reason: String?) {
        if let reason {
            learner.close(sendingFirst: WireMessage.control(Control(runID: runID, command: .leaving, reason: reason))
                .encode())
        } else {
            learner.close()
        }
        collector.close()
        context.close()
    }
}

/// An actor's figures for heartbeats.
public struct ActorReport: Sendable {
    public var policyVersion: UInt64
    public var envSteps: Int64
    public var produced: Int64
    public var acknowledged: Int64
    public var unacknowledged: Int
    public var resent: Int64
    public var rejected: [String: Int64]
    /// Environment-server figures: servers up, unrolls abandoned and replies refused, by reason.
    public var environments: [String: Double] = [:]

    /// Names of the figures in heartbeat stats.
    public enum Key {
        public static let produced = "produced"
        public static let acknowledged = "acknowledged"
        public static let unacknowledged = "unacknowledged"
        public static let resent = "resent"
        public static let rejectedPrefix = "rejected/"
        public static let peakMemory = "peak_rss_mib"
        public static let envServersUp = "env_servers_up"
        /// Environment-server faults (no reply in time, error replies, bad replies, unfit servers), by fault.
        public static let envFaultsPrefix = "env_faults/"
        /// Unrolls abandoned because their environment server failed, by fault.
        public static let abandonedPrefix = "abandoned/"
        /// Environment-server replies refused, by reason.
        public static let envRejectedPrefix = "env_rejected/"
    }

    /// The figures as heartbeat stats.
    public var stats: [String: Double] {
        var stats: [String: Double] = [
            Key.produced: Double(produced), Key.acknowledged: Double(acknowledged),
            Key.unacknowledged: Double(unacknowledged), Key.resent: Double(resent),
            Key.peakMemory: PeakMemory.mebibytes,
        ]
        for (label, count) in rejected { stats[Key.rejectedPrefix + label] = Double(count) }
        stats.merge(environments) { _, new in new }
        return stats
    }
}
