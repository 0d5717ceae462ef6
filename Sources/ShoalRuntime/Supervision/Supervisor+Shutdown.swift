import Glibc

extension Supervisor {
    /// Stops every child, stage by stage (actors, then the learner): SIGTERM, then SIGKILL for each child still
    /// running after its own grace period; a stage is over once all its children are reaped. Pending restarts are
    /// cancelled. A further shutdown request (a second Ctrl-C) cuts the remaining grace periods short.
    func stopAll() {
        for index in children.indices where children[index].state == .backingOff {
            children[index].state = .stopped
            children[index].restartAt = nil
        }
        var hurry = false
        for stage in Set(children.map(\.spec.shutdownStage)).sorted() {
            let members = children.indices.filter {
                children[$0].spec.shutdownStage == stage && children[$0].pid != nil
            }
            guard !members.isEmpty else { continue }
            log.info("stopping \(members.map { children[$0].spec.name }.joined(separator: ", "))")
            for index in members {
                guard let pid = children[index].pid else { continue }
                send(SIGTERM, to: pid)
                // A stopped child only acts on SIGTERM once continued.
                send(SIGCONT, to: pid)
            }
            let termSent = ContinuousClock.now
            while true {
                reapDuringShutdown(children.indices, blocking: false)
                let running = members.filter { children[$0].pid != nil }
                for index in running where children[index].killReason == nil {
                    let grace = children[index].spec.shutdownGrace
                    guard hurry || ContinuousClock.now - termSent >= grace else { continue }
                    let reason = hurry
                        ? "shutdown hurried by a second request" : "still running \(formatSeconds(grace)) after SIGTERM"
                    kill(index, because: reason)
                }
                if running.allSatisfy({ children[$0].killReason != nil }) {
                    // Only SIGKILLed children are left, and SIGKILL cannot be ignored: waiting for them is bounded.
                    reapDuringShutdown(running, blocking: true)
                    break
                }
                // Short waits: how quickly an exit is noticed adds to the whole shutdown.
                receiveHeartbeats(waitingUpTo: min(settings.pollInterval, .milliseconds(10)))
                if ContinuousClock.now >= nextStatusWrite { writeStatus(state: .running) }
                hurry = hurry || newShutdownRequest() != nil
            }
        }
        // Children send a last heartbeat with their final counts as they exit; take the ones still on the way.
        receiveHeartbeats(waitingUpTo: .milliseconds(150))
    }

    /// Collects the exits of `indices` without restarting anyone; with `blocking`, waits for each (only after
    /// SIGKILL, which no child can ignore).
    private func reapDuringShutdown(_ indices: some Sequence<Int>, blocking: Bool) {
        for index in indices {
            guard let pid = children[index].pid, let exit = ChildExit.reap(pid, blocking: blocking) else { continue }
            let description = endIncarnation(index, exit)
            children[index].state = .stopped
            log.info("\(children[index].spec.name) stopped (\(description))")
        }
    }
}
