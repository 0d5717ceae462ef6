import Foundation
import Glibc
import ShoalWire

extension Supervisor {
    /// Spawns a new incarnation of child `index`; an outcome if its failure to start decides the run.
    func start(_ index: Int, now: ContinuousClock.Instant) -> SupervisionOutcome? {
        children[index].incarnation += 1
        if children[index].incarnation > 1 { children[index].restarts += 1 }
        children[index].restartAt = nil
        children[index].lastHeartbeatAt = nil
        children[index].lastHeartbeatUnixTime = nil
        children[index].stats = [:]
        let child = children[index]
        let environment = ProcessSpawner.environment(adding: [
            "OPENBLAS_NUM_THREADS": "1",
            SupervisedEnvironment.supervisorEndpoint: inbox.endpoint,
            SupervisedEnvironment.supervisorPID: "\(getpid())",
            SupervisedEnvironment.incarnation: "\(child.incarnation)",
            SupervisedEnvironment.runID: settings.runID,
        ]).merging(child.spec.environment) { _, extra in extra }
        do throws(SpawnFailure) {
            let pid = try ProcessSpawner.spawn(
                executable: child.spec.executable, arguments: child.spec.arguments, environment: environment,
                logPath: child.logPath)
            children[index].pid = pid
            children[index].state = .starting
            children[index].startedAt = now
            log.info("started \(child.spec.name) (pid \(pid), incarnation \(child.incarnation))")
            return nil
        } catch {
            return handleExit(index, .spawnFailed(errno: error.errno), now: now)
        }
    }

    /// Takes every heartbeat that arrives within `timeout` and marks its child alive.
    func receiveHeartbeats(waitingUpTo timeout: Duration) {
        for heartbeat in inbox.receive(waitingUpTo: timeout) {
            let sender = children.firstIndex { $0.spec.role == heartbeat.role && $0.spec.id == heartbeat.id }
            guard let index = sender else {
                staleHeartbeats["unknown_child", default: 0] += 1
                continue
            }
            // Every beat counts for the run's accounting, even the last one of an incarnation that has exited since
            // (it carries its final counts); only current incarnations' beats count as signs of life.
            record(heartbeat, from: children[index].spec)
            onHeartbeat(children[index].spec, heartbeat)
            // Beats sent by an incarnation that has since exited or been killed may still be queued.
            let child = children[index]
            // Not compared with the pid: the process that beats may descend from the one spawned (a shell wrapper).
            guard child.pid != nil, child.incarnation == heartbeat.incarnation, child.killReason == nil else {
                staleHeartbeats["stale", default: 0] += 1
                continue
            }
            children[index].lastHeartbeatAt = .now
            children[index].lastHeartbeatUnixTime = Date().timeIntervalSince1970
            children[index].stats = heartbeat.stats.merging([
                "policy_version": Double(heartbeat.policyVersion),
                "env_steps": Double(heartbeat.environmentSteps),
                "queue_depth": Double(heartbeat.queueDepth),
            ]) { sent, _ in sent }
            if child.state == .starting {
                children[index].state = .running
                log.info("\(child.spec.name) is up (pid \(heartbeat.pid), incarnation \(heartbeat.incarnation))")
            }
        }
    }

    /// Collects every child that exited and decides what follows; an outcome if an exit decides the run.
    func reapExits(now: ContinuousClock.Instant) -> SupervisionOutcome? {
        for index in children.indices {
            guard let pid = children[index].pid, let exit = ChildExit.reap(pid, blocking: false) else { continue }
            if let outcome = handleExit(index, exit, now: now) { return outcome }
        }
        return nil
    }

    /// Sends SIGKILL to every child that has been silent too long; it is restarted once reaped. A stopped
    /// (SIGSTOP) or deadlocked child is caught here, since it never exits by itself.
    func killSilentChildren(now: ContinuousClock.Instant) {
        for index in children.indices {
            let child = children[index]
            guard child.pid != nil, child.killReason == nil, let startedAt = child.startedAt else { continue }
            let reason: String
            if let lastHeartbeat = child.lastHeartbeatAt {
                guard now - lastHeartbeat > settings.heartbeatTimeout else { continue }
                reason = "no heartbeat for \(formatSeconds(settings.heartbeatTimeout))"
            } else {
                guard now - startedAt > settings.startupTimeout else { continue }
                reason = "no first heartbeat within \(formatSeconds(settings.startupTimeout))"
            }
            kill(index, because: reason)
        }
    }

    /// Sends SIGKILL to child `index`, remembering why for its exit description.
    func kill(_ index: Int, because reason: String) {
        guard let pid = children[index].pid else { return }
        log.warning("killing \(children[index].spec.name) (pid \(pid)): \(reason)")
        children[index].killReason = reason
        send(SIGKILL, to: pid)
    }

    /// Starts the children whose backoff has expired.
    func startDueRestarts(now: ContinuousClock.Instant) -> SupervisionOutcome? {
        for index in children.indices where children[index].state == .backingOff {
            guard let restartAt = children[index].restartAt, restartAt <= now else { continue }
            if let outcome = start(index, now: now) { return outcome }
        }
        return nil
    }

    /// Records how a child's incarnation ended and applies its spec: complete the run, restart, stay stopped or
    /// give up.
    private func handleExit(_ index: Int, _ exit: ChildExit, now: ContinuousClock.Instant) -> SupervisionOutcome? {
        let child = children[index]
        let description = endIncarnation(index, exit)
        if exit.isClean && child.killReason == nil {
            switch child.spec.onCleanExit {
            case .completeRun:
                children[index].state = .stopped
                return .finished(reason: "\(child.spec.name) completed the run")
            case .stayStopped:
                children[index].state = .stopped
                log.info("\(child.spec.name) exited cleanly; leaving it stopped")
                return nil
            case .restart:
                break
            }
        }
        return scheduleRestart(index, after: description, now: now)
    }

    /// Adds a heartbeat's counts to the ledger.
    private func record(_ heartbeat: Heartbeat, from spec: ChildSpec) {
        switch spec.role {
        case .learner: ledger.recordLearner(incarnation: heartbeat.incarnation, stats: heartbeat.stats)
        case .actor: ledger.recordActor(id: spec.id, incarnation: heartbeat.incarnation, stats: heartbeat.stats)
        case .supervisor, .envServer: break  // they make no rollouts
        }
    }

    /// Notes that child `index`'s incarnation is gone and how, and returns that description.
    func endIncarnation(_ index: Int, _ exit: ChildExit) -> String {
        let description = exit.description(killedBecause: children[index].killReason)
        let spec = children[index].spec
        if spec.role == .actor {
            ledger.actorEnded(id: spec.id, incarnation: children[index].incarnation, cleanly: exit.isClean)
        }
        onExit(spec, children[index].incarnation, exit)
        children[index].pid = nil
        children[index].killReason = nil
        children[index].lastExit = description
        return description
    }

    /// Backs the child off before its next start, or gives up on it once its restart budget is spent.
    private func scheduleRestart(
        _ index: Int, after exit: String, now: ContinuousClock.Instant
    ) -> SupervisionOutcome? {
        let spec = children[index].spec
        switch children[index].budget.recordExit(at: now, using: &randomness) {
        case .restart(let delay):
            children[index].state = .backingOff
            children[index].restartAt = now + delay
            log.warning("\(spec.name) ended (\(exit)); restarting in \(formatSeconds(delay))")
            return nil
        case .giveUp(let restarts):
            children[index].state = .failed
            let consequence = spec.onGiveUp == .failRun ? "the run fails" : "the run continues without it"
            let message = "giving up on \(spec.name): it ended again (\(exit)) after \(restarts) restarts within "
                + "\(formatSeconds(spec.restartPolicy.window)); \(consequence)"
            log.error("\(message)")
            return spec.onGiveUp == .failRun ? .failed(reason: message) : nil
        }
    }

    /// Signals the child's whole process group (so its own children get it too), or the child alone if it left
    /// its group.
    func send(_ signal: Int32, to pid: Int32) {
        if Glibc.kill(-pid, signal) != 0 {
            Glibc.kill(pid, signal)
        }
    }
}

/// "1.5 s", "0.25 s".
func formatSeconds(_ duration: Duration) -> String {
    let seconds = duration.seconds
    let rounded = (seconds * 1000).rounded() / 1000
    return "\(rounded) s"
}
