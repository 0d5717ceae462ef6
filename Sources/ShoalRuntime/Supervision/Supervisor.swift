import Foundation
import Glibc
import Logging
import ShoalWire
import ZeroMQ

/// Runs a set of child processes for one run on one host: spawns them, watches their exits and heartbeats, restarts
/// the crashed and the silent with backoff until they exceed their restart limit, writes status.json, and stops
/// them in order (actors, then the learner) when the run ends or a shutdown is requested.
///
/// `run()` blocks the calling thread until the run is over. Children are set to die with the thread that spawned
/// them (PR_SET_PDEATHSIG), so call it on a thread that outlives them: the main thread or a dedicated one.
public final class Supervisor {
    /// The settings it runs with.
    public let settings: SupervisorSettings
    /// The endpoint children send heartbeats to (given to them as $SHOAL_SUPERVISOR).
    public var heartbeatEndpoint: String { inbox.endpoint }
    /// Heartbeats ignored so far, by reason: wire rejections (malformed, wrong run id...), "unknown_child" (no
    /// child has that role and id) and "stale" (from an incarnation that is no longer current).
    public var ignoredHeartbeats: [String: Int] { inbox.rejected.merging(staleHeartbeats) { $0 + $1 } }

    /// Called on the supervisor's thread with every valid heartbeat of a child, including the last beats of an
    /// incarnation that has ended since (they carry its final counts).
    public var onHeartbeat: (ChildSpec, Heartbeat) -> Void = { _, _ in }
    /// Called on the supervisor's thread when a child incarnation ends, with its incarnation number and exit.
    public var onExit: (ChildSpec, UInt32, ChildExit) -> Void = { _, _, _ in }
    /// The rollout accounting of this host's processes, from their heartbeats and exits; written into status.json.
    public internal(set) var ledger = RolloutLedger()

    var children: [SupervisedChild]
    let inbox: HeartbeatInbox
    var log: Logger
    var staleHeartbeats: [String: Int] = [:]
    /// The endpoints last written to prometheus-targets.json.
    var writtenTargets: [String]?
    var randomness = SystemRandomNumberGenerator()
    let startedAtUnixTime = Date().timeIntervalSince1970
    var nextStatusWrite = ContinuousClock.now
    /// Its Prometheus endpoint, when the settings ask for one.
    let prometheus: ServedMetrics<SupervisorPrometheus>?
    private let context: ZMQContext
    private let shutdownRequest: ShutdownRequest
    private var shutdownRequestsSeen = 0
    private var signalsSeen = 0
    private var hasRun = false

    /// Checks the specs, creates the run and log directories and binds the heartbeat socket; nothing is spawned
    /// before `run()`. Call `shutdownRequest.request()` from any thread to stop the run.
    public init(
        settings: SupervisorSettings, children specs: [ChildSpec], shutdownRequest: ShutdownRequest = ShutdownRequest(),
        logger: Logger = Logger(label: "shoal.supervisor")
    ) throws(ShoalRuntimeError) {
        try specs.validate()
        let children = specs.map { SupervisedChild(spec: $0, logPath: settings.logPath(for: $0)) }
        let directories = [settings.runDirectory] + children.map { ($0.logPath as NSString).deletingLastPathComponent }
        for directory in Set(directories) where !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw ShoalRuntimeError(.cannotCreate, subject: directory, reason: "\(error.localizedDescription)")
            }
        }
        let context: ZMQContext
        do throws(ZMQError) {
            context = try ZMQContext()
        } catch {
            throw ShoalRuntimeError(.heartbeatSocket, subject: settings.heartbeatBindEndpoint,
                                    reason: error.description)
        }
        let inbox: HeartbeatInbox
        do {
            inbox = try HeartbeatInbox(
                context: context, bindEndpoint: settings.heartbeatBindEndpoint, runID: settings.runID)
        } catch {
            context.close()
            throw error
        }
        do {
            prometheus = try settings.prometheus.map { address throws(ShoalRuntimeError) in
                try ServedMetrics(at: address, runID: settings.runID, role: .supervisor,
                                  series: SupervisorPrometheus.init)
            }
        } catch {
            inbox.close()
            context.close()
            throw error
        }
        self.inbox = inbox
        self.settings = settings
        self.children = children
        self.context = context
        self.shutdownRequest = shutdownRequest
        self.log = logger
        self.log[metadataKey: "run"] = "\(settings.runID)"
    }

    deinit {
        // Normally done at the end of run(); this covers a supervisor created and then dropped without running.
        if !hasRun { prometheus?.stop() }
        inbox.close()
        context.close()
    }

    /// Starts every child and supervises them until the run finishes, fails or is interrupted; by then every child
    /// has exited and been reaped and status.json holds the final state. Runs once.
    public func run() -> SupervisionOutcome {
        precondition(!hasRun, "Supervisor.run() called twice")
        hasRun = true
        let previousHandlers = settings.handlesSignals ? TerminationSignals.install() : []
        defer { TerminationSignals.restore(previousHandlers) }
        shutdownRequestsSeen = shutdownRequest.count
        signalsSeen = TerminationSignals.count
        log.info("supervising \(children.count) children; heartbeats on \(inbox.endpoint)")

        let final = startAll() ?? superviseUntilDecided()
        log.log(level: final.runState == .failed ? .error : .info, "run \(final.runState.rawValue): \(final.reason)")
        stopAll()
        writeStatus(state: final.runState, outcome: final.reason, endedAt: Date().timeIntervalSince1970)
        prometheus?.stop()
        inbox.close()
        context.close()
        return final
    }

    /// Starts every child once; an outcome if a start failure already decides the run.
    private func startAll() -> SupervisionOutcome? {
        writePrometheusTargets(currentStatus(state: .running))
        for index in children.indices {
            if let outcome = start(index, now: .now) { return outcome }
        }
        writeStatus(state: .running)
        return nil
    }

    /// Turns the supervision loop until something decides the run.
    private func superviseUntilDecided() -> SupervisionOutcome {
        while true {
            if let outcome = superviseOnce() { return outcome }
        }
    }

    /// One turn of the loop: wait briefly for heartbeats, then react to exits, silence and due restarts.
    private func superviseOnce() -> SupervisionOutcome? {
        if let reason = newShutdownRequest() { return .interrupted(reason: reason) }
        receiveHeartbeats(waitingUpTo: settings.pollInterval)
        let now = ContinuousClock.now
        if let outcome = reapExits(now: now) { return outcome }
        killSilentChildren(now: now)
        if let outcome = startDueRestarts(now: now) { return outcome }
        if let outcome = outcomeWhenNothingIsLeft() { return outcome }
        if now >= nextStatusWrite { writeStatus(state: .running) }
        return nil
    }

    /// Why to stop, if a signal arrived or `ShutdownRequest.request()` was called since last asked.
    func newShutdownRequest() -> String? {
        let requests = shutdownRequest.count
        let signals = TerminationSignals.count
        defer { (shutdownRequestsSeen, signalsSeen) = (requests, signals) }
        if signals > signalsSeen {
            return TerminationSignals.lastSignal == SIGINT ? "received SIGINT" : "received SIGTERM"
        }
        return requests > shutdownRequestsSeen ? "shutdown requested" : nil
    }

    /// Ends a run in which every child has stopped or failed of its own accord. Environment servers, which only
    /// serve actors, do not keep a run going once every other child has gone (unless they are all it has).
    private func outcomeWhenNothingIsLeft() -> SupervisionOutcome? {
        let others = children.filter { $0.spec.role != .envServer }
        let deciding = others.isEmpty ? children : others
        guard !deciding.contains(where: \.isActive) else { return nil }
        let failed = deciding.filter { $0.state == .failed }.map(\.spec.name)
        if failed.isEmpty { return .finished(reason: "every child has exited") }
        return .failed(reason: "no child left running; given up: \(failed.joined(separator: ", "))")
    }
}
