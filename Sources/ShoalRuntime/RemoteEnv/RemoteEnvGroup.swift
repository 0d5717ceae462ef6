import Logging
import ShoalCore
import ShoalWire
import ZeroMQ

/// The M environments of one environment server as an actor steps them: its connection, its own copy of the policy
/// and its own unroll in progress. A fault (no reply by the deadline, an error reply, a reply that fails validation,
/// a server that no longer fits) abandons the unroll in progress, counted by reason, and the group reconnects with
/// backoff while the actor's other groups go on.
final class RemoteEnvGroup {
    /// Where the group is in its exchange with the server.
    enum Phase: Equatable {
        /// Disconnected after a fault (or not yet connected); the next hello goes out at `retryAt`.
        case down(retryAt: ContinuousClock.Instant)
        case awaitingSpec
        case awaitingReset
        /// Holds current observations; `stepsTaken` of the unroll in progress are recorded.
        case ready
        case awaitingStep
    }

    /// Why an unroll in progress was abandoned: the counter labels.
    enum Fault: String {
        case timeout = "env_server_timeout"
        case error = "env_server_error"
        case invalidReply = "env_server_invalid_reply"
        case unfit = "env_server_unfit"
    }

    let index: Int
    let connection: EnvServerConnection
    let policy: ActingPolicy
    private(set) var phase: Phase = .down(retryAt: .now)
    /// Steps of the unroll in progress already recorded.
    private(set) var stepsTaken = 0
    /// Faults, by `Fault` label, and the unrolls they abandoned (a fault before the first step abandons none).
    private(set) var faults: [String: Int64] = [:]
    private(set) var abandoned: [String: Int64] = [:]
    /// Replies refused, by `RejectionReason` label.
    private(set) var rejected: [String: Int64] = [:]
    private let shape: EnvironmentShape
    private let numEnvs: Int
    private let unrollLength: Int
    private let timeout: Duration
    private let client: String
    private var seeds: SeededGenerator
    private var validator: EnvReplyValidator?
    private var buffers: UnrollBuffers
    private var observations: ObservationData
    /// Lanes whose next step is a reset step (servers that autoreset on the next step).
    private var resetPending: [Bool]
    private var backoff = Duration.milliseconds(200)
    private var log: Logger

    init(index: Int, connection: EnvServerConnection, policy: ActingPolicy, shape: EnvironmentShape, numEnvs: Int,
         unrollLength: Int, timeout: Duration, client: String, seeds: SeededGenerator, log: Logger) {
        (self.index, self.connection, self.policy, self.shape) = (index, connection, policy, shape)
        (self.numEnvs, self.unrollLength, self.timeout, self.client) = (numEnvs, unrollLength, timeout, client)
        self.seeds = seeds
        self.log = log
        self.log[metadataKey: "env_server"] = "\(connection.endpoint)"
        buffers = UnrollBuffers(unrollLength: unrollLength, batchSize: numEnvs, policy: policy)
        observations = .zeros(count: numEnvs * shape.observationSize, bytes: shape.observationDType.isBytes)
        resetPending = [Bool](repeating: false, count: numEnvs)
    }

    /// Steps of an unroll are all recorded: `takeRollout` hands it over.
    var hasFullUnroll: Bool { phase == .ready && stepsTaken == unrollLength }

    /// When the outstanding request, if any, times out.
    var deadline: ContinuousClock.Instant? {
        connection.outstanding.map { $0.sentAt + timeout }
    }

    /// Says hello if the group is down and its retry is due.
    func connectIfDue(now: ContinuousClock.Instant) {
        guard case .down(let retryAt) = phase, now >= retryAt else { return }
        send(.hello(client: client), then: .awaitingSpec)
    }

    /// Chooses actions for the current observations and sends the step.
    func actAndSend() {
        precondition(phase == .ready && stepsTaken < unrollLength)
        buffers.act(step: stepsTaken, with: policy)
        let actions = buffers.actions(step: stepsTaken) { Array($0) }
        switch shape.actionSpace {
        case .discrete: send(.step(.indices(actions.map { Int64($0) })), then: .awaitingStep)
        case .box(let box): send(.step(.values(actions, shape: [numEnvs] + box.shape)), then: .awaitingStep)
        }
    }

    /// The finished unroll as a rollout from `origin`; the next one starts from the last observations, acted by
    /// the newest weights in `latest`.
    func takeRollout(origin: RolloutOrigin, latest: (parameters: [Float], version: UInt64)?) -> Rollout {
        precondition(hasFullUnroll)
        let rollout = buffers.makeRollout(origin: origin, policyVersion: policy.version,
                                          observationShape: shape.observationShape)
        if let latest, latest.version > policy.version { policy.adopt(parameters: latest.parameters, version: latest.version) }
        beginUnroll()
        return rollout
    }

    /// Handles what the server sent, if anything; gives up on a request past its deadline.
    func poll(now: ContinuousClock.Instant) {
        do {
            if let reply = try connection.receive() {
                try handle(reply)
            } else if let deadline, now >= deadline {
                fail(.timeout, "no reply within \(timeout)")
            }
        } catch let error as WireError {
            rejected[error.reason.label, default: 0] += 1
            fail(.invalidReply, "\(error)")
        } catch let error as ShoalRuntimeError where error.code == .environmentServer {
            fail(.unfit, error.reason)
        } catch {
            fail(.error, "\(error)")
        }
    }

    private func handle(_ reply: EnvReply) throws {
        switch (phase, reply) {
        case (_, .error(let message, let details)):
            fail(.error, message, details: details)
        case (.awaitingSpec, .spec(let spec)):
            try accept(spec)
            // 31 bits: environments that seed numpy's legacy RandomState (MinAtar) take nothing past 2^32 - 1.
            let resetSeeds = (0..<numEnvs).map { _ in seeds.next() >> 33 }
            send(.reset(seeds: resetSeeds), then: .awaitingReset)
        case (.awaitingReset, .observations(let batch)):
            try validator!.validate(observations: batch)
            observations = batch.observationData()
            resetPending = [Bool](repeating: false, count: numEnvs)
            buffers.restartEpisodes()
            backoff = .milliseconds(200)
            beginUnroll()
            phase = .ready
        case (.awaitingStep, .transitions(let transitions)):
            try validator!.validate(transitions)
            try recordResetSteps(transitions)
            buffers.recordOutcome(step: stepsTaken, of: RemoteStepResults(transitions,
                                                                         observationSize: shape.observationSize))
            observations = transitions.observations.observationData()
            stepsTaken += 1
            buffers.setObservations(row: stepsTaken, observations)
            phase = .ready
        default:
            throw WireError(.unexpectedMessage, "a \(reply.kindName) reply while \(phase)")
        }
    }

    /// For a server that autoresets on the next step: marks this step of the lanes that ended on the last one as
    /// reset steps, and notes the lanes that end on this one.
    private func recordResetSteps(_ transitions: EnvTransitions) throws {
        guard validator?.spec.autoresetMode == .nextStep else { return }
        if let lane = transitions.ended.first(where: { resetPending[$0] }) {
            throw WireError(.inconsistent("ended"), "environment \(lane) ended an episode on its reset step")
        }
        for lane in 0..<numEnvs where resetPending[lane] {
            buffers.resetSteps[stepsTaken * numEnvs + lane] = true
        }
        for lane in 0..<numEnvs { resetPending[lane] = false }
        for lane in transitions.ended { resetPending[lane] = true }
    }

    private func accept(_ spec: EnvServerSpec) throws {
        let served = try EnvironmentShape(spec, endpoint: connection.endpoint)
        if let difference = shape.difference(from: served) {
            throw ShoalRuntimeError(.environmentServer, subject: connection.endpoint,
                                    reason: "\(spec.envName) does not fit the run: it has \(difference)")
        }
        guard spec.numEnvs == numEnvs else {
            throw ShoalRuntimeError(.environmentServer, subject: connection.endpoint,
                                    reason: "hosts \(spec.numEnvs) environments, the actor expects \(numEnvs)")
        }
        if validator == nil {
            log.info("environment server ready", metadata: [
                "env": "\(spec.envName)", "envs": "\(spec.numEnvs)", "server": "\(spec.server)",
                "observations": "\(spec.observation)",
                "autoreset": "\(spec.autoresetMode.rawValue)"])
        }
        validator = EnvReplyValidator(spec: spec)
    }

    private func beginUnroll() {
        stepsTaken = 0
        buffers.beginUnroll()
        buffers.setObservations(row: 0, observations)
    }

    private func send(_ request: EnvRequest, then next: Phase) {
        do {
            try connection.send(request)
            phase = next
        } catch {
            fail(.error, "\(error)")
        }
    }

    /// Abandons the unroll in progress (counted when it had begun), reopens the connection and waits out the backoff.
    private func fail(_ fault: Fault, _ message: String, details: String = "") {
        faults[fault.rawValue, default: 0] += 1
        let hadUnroll = phase == .awaitingStep || (phase == .ready && stepsTaken > 0)
        if hadUnroll { abandoned[fault.rawValue, default: 0] += 1 }
        var metadata: Logger.Metadata = ["fault": "\(fault.rawValue)", "detail": "\(message.prefix(500))",
                                         "retry_in": "\(backoff)"]
        if !details.isEmpty { metadata["server_details"] = "\(details.suffix(2000))" }
        log.warning("environment server fault", metadata: metadata)
        do {
            try connection.reopen()
        } catch {
            log.error("cannot reopen the connection", metadata: ["error": "\(error)"])
        }
        stepsTaken = 0
        phase = .down(retryAt: .now + backoff)
        backoff = min(backoff * 2, .seconds(5))
    }
}

extension EnvReply {
    /// The reply's kind, for messages.
    var kindName: String {
        switch self {
        case .spec: return "spec"
        case .observations: return "observations"
        case .transitions: return "transitions"
        case .error: return "error"
        }
    }
}
