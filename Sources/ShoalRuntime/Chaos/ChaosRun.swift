import Foundation

/// Drives a `ChaosSchedule` against a live run until it ends or `seconds` pass, resuming stopped processes when
/// their stop is over; reports each fault through `log`.
public struct ChaosRun {
    public let driver: ChaosDriver
    public var schedule: ChaosSchedule
    /// Seconds between faults.
    public let interval: Double

    public init(driver: ChaosDriver, schedule: ChaosSchedule, interval: Double) {
        self.driver = driver
        self.schedule = schedule
        self.interval = interval
    }

    /// Returns the faults injected.
    public mutating func run(seconds: Double, log: (String) -> Void) -> [ChaosSchedule.Step] {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(seconds)
        var nextFault = clock.now + .seconds(interval)
        var pendingResumes: [(at: ContinuousClock.Instant, target: String, pid: Int32)] = []
        var injected: [ChaosSchedule.Step] = []
        while clock.now < end, runIsLive {
            for resume in pendingResumes where clock.now >= resume.at {
                // The stopped process may have been killed and replaced meanwhile; only its own pid is continued.
                Foundation.kill(resume.pid, SIGCONT)
                log("resume \(resume.target) (pid \(resume.pid))")
            }
            pendingResumes.removeAll { clock.now >= $0.at }
            if clock.now >= nextFault, let running = try? driver.runningProcesses(),
               let step = schedule.next(running: running) {
                do {
                    let pid = try driver.inject(step.fault, into: step.target)
                    if let seconds = step.stopSeconds { pendingResumes.append((clock.now + .seconds(seconds), step.target, pid)) }
                    injected.append(step)
                    log("\(step) (pid \(pid))")
                } catch {
                    log("skipped \(step): \(error)")
                }
                nextFault = clock.now + .seconds(interval)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        for resume in pendingResumes { Foundation.kill(resume.pid, SIGCONT) }
        return injected
    }

    private var runIsLive: Bool {
        (try? RunStatus.read(from: driver.run.statusPath).state) == .running
    }
}
