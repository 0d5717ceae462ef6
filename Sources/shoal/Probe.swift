import ArgumentParser
import Foundation
import ShoalRuntime
import ShoalWire
import Synchronization
import ZeroMQ

/// A stand-in child for supervision tests: it behaves like a role towards its supervisor (dies with it, sends
/// heartbeats) and misbehaves on request. Every event is logged as one line to stdout:
/// `probe <event> pid=<pid> incarnation=<n> time=<unix seconds>`.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stand-in child process for supervisor tests.",
        shouldDisplay: false
    )

    @Option(help: "Role named in heartbeats: actor or learner.")
    var role: String = "actor"

    @Option(help: "Id named in heartbeats.")
    var id: UInt32 = 0

    @Option(help: "Milliseconds between heartbeats.")
    var heartbeatMs: Int = 100

    @Option(help: "Exit after this many seconds, with --exit-code.")
    var exitAfter: Double?

    @Option(help: "Status for --exit-after.")
    var exitCode: Int32 = 0

    @Flag(help: "Exit with status 1 right after starting.")
    var crashAtStart = false

    @Flag(help: "Log SIGTERM but keep running.")
    var ignoreSigterm = false

    @Option(help: "Stop sending heartbeats after this many seconds (0: never send one), but keep running.")
    var silentAfter: Double?

    @Option(help: "Seconds to keep running after SIGTERM before exiting 0, like a learner writing a checkpoint.")
    var termDelay: Double = 0

    func validate() throws {
        guard ProcessRole(rawValue: role) != nil else { throw ValidationError("--role must be actor or learner") }
        guard heartbeatMs > 0 else { throw ValidationError("--heartbeat-ms must be positive") }
    }

    func run() throws {
        ParentWatch.dieWithParent()
        record("start")
        if crashAtStart { finish(code: 1) }
        signal(SIGTERM) { _ in sigtermCount.add(1, ordering: .relaxed) }

        let context = try ZMQContext()
        let sender = try HeartbeatSender.fromEnvironment(
            role: ProcessRole(rawValue: role)!, id: id, interval: .milliseconds(heartbeatMs), context: context)
        let started = ContinuousClock.now
        var sigtermsSeen = 0
        var steps: UInt64 = 0
        while true {
            let elapsed = (ContinuousClock.now - started) / .seconds(1)
            if silentAfter.map({ elapsed < $0 }) ?? true {
                steps += 1
                sender?.beat(environmentSteps: steps, stats: ["probe/elapsed": elapsed])
            }
            let sigterms = sigtermCount.load(ordering: .relaxed)
            if sigterms > sigtermsSeen {
                sigtermsSeen = sigterms
                record(ignoreSigterm ? "sigterm-ignored" : "sigterm")
                if !ignoreSigterm {
                    Thread.sleep(forTimeInterval: termDelay)
                    stop(sender, context, code: 0)
                }
            }
            if let exitAfter, elapsed >= exitAfter { stop(sender, context, code: exitCode) }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    private func stop(_ sender: HeartbeatSender?, _ context: ZMQContext, code: Int32) -> Never {
        sender?.close()
        context.close()
        finish(code: code)
    }

    private func finish(code: Int32) -> Never {
        record("exit code=\(code)")
        Foundation.exit(code)
    }

    private func record(_ event: String) {
        let incarnation = ProcessInfo.processInfo.environment[SupervisedEnvironment.incarnation] ?? "-"
        let time = String(format: "%.6f", Date().timeIntervalSince1970)
        // Written straight to the descriptor: stdout is a log file, and a buffered line would be lost on SIGKILL.
        let line = "probe \(event) pid=\(getpid()) incarnation=\(incarnation) time=\(time)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }
}

/// SIGTERMs received; the handler may only touch async-signal-safe state.
private let sigtermCount = Atomic<Int>(0)
