import ArgumentParser
import Foundation
import ShoalRuntime

struct Chaos: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inject faults into a live run: kill or stop its processes, one at a time or at random.",
        discussion: """
            Processes are named as in `shoal status`: learner, actor-N, supervisor. Examples:
              shoal chaos RUN_DIR kill actor-1
              shoal chaos RUN_DIR stop learner --for 3
              shoal chaos RUN_DIR random --seconds 60 --interval 2 --learner-probability 0.1
            See docs/fault-tolerance.md for what Shoal promises under each fault.
            """
    )

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case kill, stop, resume, random
    }

    @Argument(help: "The run directory.")
    var runDirectory: String

    @Argument(help: "kill, stop, resume or random.")
    var action: Action

    @Argument(help: "The process to hit (not for random).")
    var process: String?

    @Option(name: .customLong("for"), help: "With stop: resume after this many seconds (default: stay stopped).")
    var stopSeconds: Double?

    @Option(help: "With random: how long to keep injecting faults.")
    var seconds: Double = 60

    @Option(help: "With random: seconds between faults.")
    var interval: Double = 2

    @Option(help: "With random: chance that a fault hits the learner (killed) instead of an actor.")
    var learnerProbability: Double = 0.1

    @Option(help: "With random: seed of the fault sequence.")
    var seed: UInt64 = 1

    func validate() throws {
        if action == .random && process != nil { throw ValidationError("random picks its own targets; drop '\(process!)'") }
        if action != .random && process == nil { throw ValidationError("\(action.rawValue) needs a process name") }
        if !(0...1).contains(learnerProbability) { throw ValidationError("--learner-probability must be in [0, 1]") }
    }

    func run() throws {
        let driver: ChaosDriver
        do {
            driver = ChaosDriver(run: try RunDirectory.open(runDirectory))
        } catch {
            throw ValidationError("\(error)")
        }
        guard let process else {
            var chaos = ChaosRun(driver: driver, schedule: ChaosSchedule(seed: seed, learnerProbability: learnerProbability),
                                 interval: interval)
            let steps = chaos.run(seconds: seconds) { print($0) }
            print("injected \(steps.count) faults")
            return
        }
        let fault: ChaosDriver.Fault = switch action {
        case .kill: .kill
        case .stop: .stop
        case .resume, .random: .resume
        }
        let pid = try driver.inject(fault, into: process)
        print("\(fault.rawValue) \(process) (pid \(pid))")
        if fault == .stop, let stopSeconds {
            Thread.sleep(forTimeInterval: stopSeconds)
            kill(pid, SIGCONT)
            print("resume \(process) (pid \(pid))")
        }
    }
}
