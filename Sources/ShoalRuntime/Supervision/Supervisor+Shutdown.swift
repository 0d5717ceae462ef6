import Glibc

extension Supervisor {
    /// Stops every child, stage by stage (actors, then the learner): SIGTERM, up to the stage's grace period to exit,
    /// then SIGKILL; everything is reaped before it returns. Pending restarts are cancelled. A further shutdown
    /// request (a second Ctrl-C) cuts the remaining grace periods short.
    func stopAll() {
        for index in children.indices where children[index].state == .backingOff {
            children[index].state = .stopped
            children[index].restartAt = nil
        }
        var hurry = false
        for stage in Set(children.map(\.spec.shutdownStage)).sorted() {
            let members = children.indices.filter { children[$0].spec.shutdownStage == stage && children[$0].pid != nil }
            guard !members.isEmpty else { continue }
            let grace = members.map { children[$0].spec.shutdownGrace }.max() ?? .zero
            log.info("stopping \(members.map { children[$0].spec.name }.joined(separator: ", "))")
            for index in members {
                guard let pid = children[index].pid else { continue }
                send(SIGTERM, to: pid)
                // A stopped child only acts on SIGTERM once continued.
                send(SIGCONT, to: pid)
            }
            let deadline = ContinuousClock.now + grace
            while !hurry, members.contains(where: { children[$0].pid != nil }), ContinuousClock.now < deadline {
                // Short waits: how quickly an exit is noticed adds to the whole shutdown.
                receiveHeartbeats(waitingUpTo: min(settings.pollInterval, .milliseconds(10)))
                reapDuringShutdown(children.indices, blocking: false)
                if ContinuousClock.now >= nextStatusWrite { writeStatus(state: .running) }
                hurry = newShutdownRequest() != nil
            }
            for index in members {
                guard let pid = children[index].pid else { continue }
                children[index].killReason = hurry
                    ? "shutdown hurried by a second request" : "still running \(formatSeconds(grace)) after SIGTERM"
                log.warning("killing \(children[index].spec.name) (pid \(pid)): \(children[index].killReason!)")
                send(SIGKILL, to: pid)
            }
            reapDuringShutdown(members, blocking: true)
        }
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
