import Logging
import ShoalCore
import ShoalWire
import ZeroMQ

/// The learner process's work: receives rollouts over a ROUTER socket, consumes them in V-trace updates,
/// acknowledges them with credit, broadcasts weights over PUB, answers snapshot requests, checkpoints, and stops
/// when the config's stop condition holds. The algorithm itself is `ImpalaLearner`; this type only moves messages.
public final class LearnerService {
    /// Called about once per `heartbeatSeconds` with the learner's latest figures (see `LearnerReport`).
    public var onReport: (LearnerReport) -> Void = { _ in }
    /// Called about once a second with metrics named `charts/…`, `losses/…`, `lag/…`, `queue/…`.
    public var onMetrics: (_ step: Int64, _ values: [String: Double]) -> Void = { _, _ in }

    private let config: TrainingConfig
    private let runID: String
    private let incarnation: UInt32
    private let spec: NetworkSpec
    private let learner: ImpalaLearner
    private let checkpoints: CheckpointStore
    private var intake: RolloutIntake
    private var progress = LearnerProgress()
    private var validator: MessageValidator
    private let context: ZMQContext
    private let router: ZMQSocket
    private let publisher: ZMQSocket
    /// Authorises actors by public key when CURVE is configured.
    private let zapHandler: ZAPHandler?
    /// Where to send each actor incarnation's acks: the ROUTER identity it last spoke from.
    private var routes: [ActorIncarnation: [UInt8]] = [:]
    /// Which actors have been heard from within the heartbeat timeout.
    private var presence: ActorPresence
    private var currentWeightsFrame: [UInt8] = []
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    /// Wall-clock seconds of earlier incarnations of this run, restored from the checkpoint.
    private var earlierSeconds: Double = 0
    /// Median policy lag in the last metrics interval.
    private var lastMedianLag: Double?
    private var log = Logger(label: "shoal.learner")

    /// Sets up the learner, resuming from the newest complete checkpoint in `checkpointDirectory` if there is one.
    /// With `security`, both sockets use CURVE and accept only the actors it allows.
    public init(config: TrainingConfig, runID: String, incarnation: UInt32, endpoints: LearnerEndpoints,
                checkpointDirectory: String, security: LearnerSecurity? = nil) throws {
        self.config = config
        self.runID = runID
        self.incarnation = incarnation
        spec = try config.networkSpec(curve: security?.envServerCurve)
        var generator = SeededGenerator(seed: config.seed)
        let network = ActorCriticNetwork(spec: spec, generator: &generator, backend: config.gemm)
        learner = ImpalaLearner(network: network, settings: config.learnerSettings)
        checkpoints = CheckpointStore(directory: checkpointDirectory, keep: config.keepCheckpoints)
        var counters = LearnerCounters()
        var settled: [ActorIncarnation: SeqTracker] = [:]
        log[metadataKey: "incarnation"] = "\(incarnation)"
        if let loaded = try checkpoints.loadLatest(onSkip: { [log] in log.warning("skipped checkpoint: \($0)") }) {
            let state = loaded.state
            do {
                try learner.restore(version: state.version, parameters: state.parameters,
                                    optimizerTensors: state.optimizerTensors, optimizerScalars: state.optimizerScalars)
            } catch {
                var located = error
                located.path = loaded.file.path
                throw located
            }
            counters = LearnerCounters(named: state.counters)
            settled = try SettledSeqs.decode(state.metadata[SettledSeqs.metadataKey])
            progress.envSteps = state.counters["env_steps"] ?? 0
            earlierSeconds = Double(state.counters["elapsed_ms"] ?? 0) / 1000
            log.info("resumed", metadata: ["checkpoint": "\(loaded.file.path)", "version": "\(state.version)"])
        }
        presence = ActorPresence(silenceTimeout: .seconds(config.heartbeatTimeoutSeconds))
        intake = RolloutIntake(maxPolicyLag: UInt64(config.maxPolicyLag), capacity: config.learnerQueueCapacity,
                               counters: counters, settled: settled)
        validator = MessageValidator(limits: WireLimits(runID: runID, network: spec))
        let context = try ZMQContext()
        self.context = context
        var opened: [ZMQSocket] = []
        var handler: ZAPHandler?
        do {
            // The handler is bound before the sockets it authorises, so no connection is ever decided without it.
            handler = try security.map { security throws in
                try ZAPHandler(context: context, domain: LearnerSecurity.zapDomain,
                               allowedKeys: security.allowedActorKeys)
            }
            router = try ShoalSockets.learnerRouter(context, bind: endpoints.rollouts,
                                                    maxMessageBytes: validator.limits.maxMessageBytes,
                                                    security: security)
            opened.append(router)
            publisher = try ShoalSockets.weightsPublisher(context, bind: endpoints.weights, security: security)
        } catch {
            opened.forEach { $0.close() }
            handler?.stop()
            context.close()
            throw error
        }
        zapHandler = handler
        started = clock.now
        log.info("listening", metadata: [
            "rollouts": "\(endpoints.rollouts)", "weights": "\(endpoints.weights)",
            "security": "\(security.map { "curve, \($0.allowedActorKeys.count) actor keys allowed" } ?? "none")"])
    }

    /// The weights version (updates applied since the run began).
    public var version: UInt64 { learner.version }

    /// Environment steps learned from since the run began (restored with a checkpoint).
    public var envSteps: Int64 { progress.envSteps }

    /// Serves until a stop condition holds or `shouldStop` returns true, then checkpoints and closes its sockets.
    public func run(shouldStop: () -> Bool = { TerminationSignals.stopRequested }) throws -> LearnerOutcome {
        defer { close() }
        publishWeights()
        var lastReport = clock.now
        var lastMetrics = clock.now
        var lastCheckpoint = clock.now
        var metricsMark = (time: clock.now, steps: progress.envSteps)
        var outcome = LearnerOutcome.interrupted
        while !shouldStop() {
            let received = try receiveAvailable(waitIfIdle: intake.queue.count < config.rolloutsPerBatch)
            if intake.queue.count >= config.rolloutsPerBatch || (received == 0 && !intake.queue.isEmpty) {
                update()
            }
            let now = clock.now
            if now - lastReport >= .seconds(config.heartbeatSeconds) {
                noteSilentActors(at: now)
                onReport(report())
                lastReport = now
            }
            if now - lastMetrics >= .seconds(1) {
                onMetrics(progress.envSteps, metrics(since: metricsMark))
                metricsMark = (now, progress.envSteps)
                lastMetrics = now
            }
            if now - lastCheckpoint >= .seconds(config.checkpointSeconds) {
                try saveCheckpoint()
                lastCheckpoint = now
            }
            if let reason = stopReason() {
                outcome = .finished(reason)
                break
            }
        }
        if case .finished(let reason) = outcome { try tellActorsTheRunIsOver(reason) }
        sendAcks(to: intake.drainForShutdown())
        try saveCheckpoint()
        onMetrics(progress.envSteps, metrics(since: metricsMark))
        onReport(report())
        log.info("stopped", metadata: ["outcome": "\(outcome)", "version": "\(learner.version)",
                                         "env_steps": "\(progress.envSteps)"])
        return outcome
    }

    /// Seconds since the run began, across learner incarnations.
    private var elapsedSeconds: Double { earlierSeconds + (clock.now - started).seconds }

    // MARK: - Receiving

    /// Handles every message waiting (at most 256, for at most about 20 ms, so updates, and the acks that let
    /// actors send more, are not starved by a flood of messages slow to decode); waits briefly for one if asked and
    /// none is waiting. Returns how many were handled.
    private func receiveAvailable(waitIfIdle: Bool) throws -> Int {
        var handled = 0
        var timeout: Duration = waitIfIdle ? .milliseconds(5) : .zero
        let deadline = clock.now + timeout + .milliseconds(20)
        while handled < 256, clock.now < deadline, let parts = try receiveMessage(timeout: timeout) {
            handle(parts)
            handled += 1
            timeout = .zero
        }
        return handled
    }

    /// The next message on the ROUTER, waiting up to `timeout`. Polling first makes libzmq act on its pending
    /// notices, among them that a quiet actor's connection has a message again; a receive alone does so only every
    /// 100 messages, so a peer flooding the socket would hold back every other actor for 100 of its frames each time.
    private func receiveMessage(timeout: Duration) throws -> [[UInt8]]? {
        guard try !ZMQPoller([router]).readable(timeout: timeout).isEmpty else { return nil }
        return try router.receiveMultipart(timeout: .zero)
    }

    /// Handles one message from the ROUTER; returns the actor it came from if it was one of this run's actors' own.
    @discardableResult
    private func handle(_ parts: [[UInt8]]) -> UInt32? {
        guard parts.count == 2 else {
            refuse(label: "bad_multipart", detail: "\(parts.count) frames, not the sender's identity and one frame")
            return nil
        }
        let (identity, frame) = (parts[0], parts[1])
        let message: WireMessage
        do {
            message = try WireMessage.decode(frame)
        } catch {
            refuse(label: error.reason.label, detail: "\(error)")
            return nil
        }
        do {
            try validator.validate(message)
        } catch {
            reject(message, from: identity, label: error.reason.label, detail: "\(error)")
            return nil
        }
        switch message {
        case .rollout(let rollout):
            guard rollout.unrollLength == config.unrollLength else {
                reject(message, from: identity, label: "unroll_length",
                       detail: "rollout has \(rollout.unrollLength) steps, this learner takes \(config.unrollLength)")
                return nil
            }
            let source = RolloutIntake.source(of: rollout)
            route(source, to: identity)
            noteHeard(from: source.actorID)
            let countedBefore = intake.counters.duplicates
            // The source is answered at once, its acknowledgements as they stand: a rollout waiting in the queue behind
            // long updates stays unacknowledged (consumed once, or re-sent if this learner dies), but its actor hears
            // that the learner is alive and does not re-send it after `resendSeconds`.
            sendAcks(to: intake.admit(rollout, learnerVersion: learner.version).union([source]))
            if intake.counters.duplicates == countedBefore { progress.observe(rollout) }
            return source.actorID
        case .weightsRequest(let request):
            route(ActorIncarnation(actorID: request.actorID, incarnation: request.incarnation), to: identity)
            noteHeard(from: request.actorID)
            _ = try? router.send(parts: [identity, currentWeightsFrame], timeout: .zero)
            return request.actorID
        case .control(let control) where control.command == .leaving:
            // The notice names no actor: it is the one that last spoke from this connection.
            guard let source = routes.first(where: { $0.value == identity })?.key else {
                log.debug("leaving notice from a connection no actor has spoken from", metadata: [
                    "reason": "\(control.reason.prefix(100))"])
                return nil
            }
            presence.left(source.actorID)
            log.info("actor left", metadata: ["actor": "\(source.actorID)", "reason": "\(control.reason.prefix(100))"])
            return source.actorID
        default:
            refuse(label: "unexpected_\(message.kind.rawValue)",
                   detail: "learners take rollouts, weights requests and actors' leaving notices")
            return nil
        }
    }

    /// Notes a valid message from an actor, and logs its return if it had been reported silent.
    private func noteHeard(from actor: UInt32) {
        if let unheard = presence.heard(from: actor, at: clock.now) {
            log.notice("actor heard from again", metadata: [
                "actor": "\(actor)", "silent_seconds": "\(String(format: "%.1f", unheard.seconds))"])
        }
    }

    /// Logs actors that have gone silent since the last look.
    private func noteSilentActors(at now: ContinuousClock.Instant) {
        for (actor, unheard) in presence.newlySilent(at: now) {
            log.warning("actor silent: no message within the heartbeat timeout (cut off, stalled or gone)",
                        metadata: ["actor": "\(actor)", "silent_seconds": "\(String(format: "%.1f", unheard.seconds))"])
        }
    }

    /// Remembers where to send acks for an actor incarnation.
    private func route(_ source: ActorIncarnation, to identity: [UInt8]) {
        routes[source] = identity
    }

    /// Counts a message refused without being read as a rollout, and logs the first of each reason.
    private func refuse(label: String, detail: String) {
        logFirstRejection(label: label, detail: detail)
        intake.reject(label: label)
    }

    /// Counts a decoded message that the learner cannot use, and logs the first of each reason. A rollout of this
    /// run is also settled as dropped (malformed), and acknowledged, so its actor does not re-send it forever nor
    /// stall without credit, even if it never sent a good one. One of another run is no part of this run's
    /// accounting, which balances the rollouts this run's actors produced.
    private func reject(_ message: WireMessage, from identity: [UInt8], label: String, detail: String) {
        logFirstRejection(label: label, detail: "\(message.kind.rawValue): \(detail)")
        guard case .rollout(let rollout) = message, rollout.origin.runID == runID else {
            intake.reject(label: label)
            return
        }
        let source = RolloutIntake.source(of: rollout)
        route(source, to: identity)
        sendAcks(to: intake.dropMalformed(rollout, label: label))
    }

    /// Logs only the first rejection of each reason, so that a flood of bad frames cannot flood the log; the
    /// counts are in the metrics.
    private func logFirstRejection(label: String, detail: String) {
        guard intake.counters.rejected[label] == nil else { return }
        log.warning("rejected message", metadata: ["reason": "\(label)", "detail": "\(detail.prefix(300))"])
    }

    // MARK: - Updating

    private func update() {
        let (batch, dropped) = intake.takeBatch(count: config.rolloutsPerBatch, learnerVersion: learner.version)
        sendAcks(to: dropped)
        guard !batch.isEmpty else { return }
        let statistics = learner.update(TrainingBatch(rollouts: batch))
        progress.record(statistics)
        sendAcks(to: intake.consumed(batch))
        if learner.version % UInt64(config.publishEvery) == 0 { publishWeights() }
    }

    private func sendAcks(to sources: Set<ActorIncarnation>) {
        let stamp = WeightsStamp(learnerIncarnation: incarnation, version: learner.version)
        for source in sources {
            guard let identity = routes[source] else { continue }
            let (next, seqs) = intake.acknowledgement(for: source)
            let ack = Ack(runID: runID, actorID: source.actorID, incarnation: source.incarnation,
                          nextExpectedSeq: next, seqs: seqs, credits: UInt32(config.creditsPerActor),
                          newestWeights: stamp)
            _ = try? router.send(parts: [identity, WireMessage.ack(ack).encode()], timeout: .zero)
        }
    }

    // MARK: - Weights

    private func publishWeights() {
        let weights = Weights(runID: runID, stamp: WeightsStamp(learnerIncarnation: incarnation,
                                                               version: learner.version),
                              parameters: learner.network.parameters, network: spec)
        currentWeightsFrame = WireMessage.weights(weights).encode()
        _ = try? publisher.send(currentWeightsFrame, timeout: .zero)
    }

    // MARK: - Finishing

    /// How long a finished learner goes on telling actors that the run is over, at most.
    static let farewellTimeout = Duration.seconds(2)

    /// Broadcasts the shutdown command, then answers every actor message that arrives with it (handling the message
    /// as usual, so its rollouts are counted and acknowledged) until each actor heard from within the heartbeat
    /// timeout has been told or has said it is leaving, or `farewellTimeout` has passed. The broadcast alone can be
    /// lost: the weights PUB drops what a slow subscriber's full queue cannot take, and closing it discards what is
    /// unsent; an answer goes back on the connection the actor has just spoken on. An actor cut off now is not
    /// waited for: its supervisor or launcher stops it.
    private func tellActorsTheRunIsOver(_ reason: TrainingSummary.StopReason) throws {
        let shutdown = WireMessage.control(Control(runID: runID, command: .shutdown, reason: reason.rawValue)).encode()
        _ = try? publisher.send(shutdown, timeout: .zero)
        var told: Set<UInt32> = []
        let deadline = clock.now + Self.farewellTimeout
        repeat {
            // Nothing more is consumed: what is queued or arrives is settled as dropped at shutdown and acknowledged,
            // so that an actor short of credit sends again, and is answered.
            sendAcks(to: intake.drainForShutdown())
            guard let parts = try receiveMessage(timeout: .milliseconds(20)), let actor = handle(parts) else { continue }
            _ = try? router.send(parts: [parts[0], shutdown], timeout: .zero)
            told.insert(actor)
        } while clock.now < deadline && !presence.heardWithinTimeout(at: clock.now).isSubset(of: told)
        let untold = presence.heardWithinTimeout(at: clock.now).subtracting(told).sorted()
        log.info("actors told the run is over", metadata: ["told": "\(told.count)", "untold": "\(untold)"])
    }

    // MARK: - Checkpoints, reports, stopping

    private func saveCheckpoint() throws {
        var counters = intake.counters.named
        counters["env_steps"] = progress.envSteps
        counters["elapsed_ms"] = Int64(elapsedSeconds * 1000)
        try checkpoints.save(CheckpointState(
            version: learner.version, parameters: learner.network.parameters,
            optimizerTensors: learner.optimizer.stateTensors, optimizerScalars: learner.optimizer.stateScalars,
            counters: counters,
            metadata: ["run_id": runID, "network": "\(spec)", PolicyExport.networkSpecKey: PolicyExport.json(spec),
                       SettledSeqs.metadataKey: try SettledSeqs.encode(intake.settledSeqs)]))
    }

    private func stopReason() -> TrainingSummary.StopReason? {
        if let target = config.targetReturn, progress.episodes.reached(target) { return .targetReached }
        if let maxSteps = config.maxEnvSteps, progress.envSteps >= maxSteps { return .stepBudget }
        if let maxSeconds = config.maxSeconds, elapsedSeconds >= maxSeconds { return .timeBudget }
        return nil
    }

    /// The learner's figures now.
    public func report() -> LearnerReport {
        LearnerReport(version: learner.version, envSteps: progress.envSteps, queueDepth: intake.queue.count,
                      meanReturn: progress.episodes.meanReturn, episodes: progress.episodes.episodesSeen,
                      elapsedSeconds: elapsedSeconds, counters: intake.counters,
                      connectedActors: presence.connected, medianLag: lastMedianLag,
                      settled: intake.settledSeqs.mapValues(\.count), known: intake.knownSeqCounts)
    }

    private func metrics(since mark: (time: ContinuousClock.Instant, steps: Int64)) -> [String: Double] {
        var values: [String: Double] = [:]
        let seconds = (clock.now - mark.time).seconds
        if seconds > 0 { values["charts/SPS"] = Double(progress.envSteps - mark.steps) / seconds }
        if let mean = progress.episodes.meanReturn { values["charts/episodic_return"] = Double(mean) }
        if let mean = progress.episodes.meanLength { values["charts/episodic_length"] = Double(mean) }
        values["charts/episodes"] = Double(progress.episodes.episodesSeen)
        values["charts/version"] = Double(learner.version)
        values["charts/elapsed_seconds"] = elapsedSeconds
        if let update = progress.lastUpdate {
            values["losses/policy_loss"] = Double(update.loss.policy)
            values["losses/value_loss"] = Double(update.loss.baseline)
            values["losses/entropy"] = Double(update.loss.entropy)
            values["losses/total"] = Double(update.loss.total)
            values["losses/gradient_norm"] = Double(update.gradientNorm)
            values["charts/learning_rate"] = Double(update.learningRate)
            values["losses/mean_clipped_rho"] = Double(update.meanClippedRho)
            values["losses/approx_kl"] = Double(update.loss.approximateKL)
            if learner.network.spec.returnNormalization != .none {
                values["losses/return_scale"] = Double(update.valueScale)
                values["losses/return_shift"] = Double(update.valueShift)
            }
            if learner.settings.loss.clippedSurrogate != nil {
                values["losses/clip_fraction"] = Double(update.loss.clipFraction)
                for (epoch, loss) in update.epochLosses.enumerated() { values["losses/epoch_\(epoch)"] = Double(loss) }
            }
        }
        if let lag = progress.takeLagSummary() {
            values["lag/median"] = lag.median
            lastMedianLag = lag.median
            values["lag/mean"] = lag.mean
            values["lag/max"] = lag.max
        }
        let counters = intake.counters
        values["actors/connected"] = Double(presence.connected)
        values["queue/depth"] = Double(intake.queue.count)
        values["queue/received"] = Double(counters.received)
        values["queue/consumed"] = Double(counters.consumed)
        values["queue/duplicates"] = Double(counters.duplicates)
        for (reason, count) in counters.dropped { values["queue/dropped_\(reason.rawValue)"] = Double(count) }
        for (label, count) in counters.rejected { values["queue/rejected_\(label)"] = Double(count) }
        if let zapHandler { values["security/refused_connections"] = Double(zapHandler.refusals) }
        return values
    }

    private func close() {
        router.close()
        publisher.close()
        zapHandler?.stop()
        context.close()
    }
}
