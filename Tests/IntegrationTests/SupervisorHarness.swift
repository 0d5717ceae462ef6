import Foundation
import ShoalRuntime
import XCTest

/// `shoal supervise` running a plan of `shoal probe` children in a fresh directory, with helpers to read what it
/// and its children report.
final class SupervisedRun {
    let directory: String
    let process = Process()
    private let started = ContinuousClock.now

    /// Starts `shoal supervise` over `children` (YAML list items) with short timeouts: heartbeat timeout 1 s,
    /// 50 ms polls, status every 0.1 s, restarts after 50 ms doubling, at most 3 within 10 s unless `restart`
    /// says otherwise.
    init(children: [String], restart: String = "{maxRestarts: 3, window: 10, initialBackoff: 0.05, jitter: 0}")
        throws
    {
        directory = NSTemporaryDirectory() + "supervisor-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let plan = """
            runID: integration
            heartbeatTimeout: 1
            startupTimeout: 10
            pollInterval: 0.05
            statusInterval: 0.1
            restart: \(restart)
            children:
            \(children.map { "  - \($0)" }.joined(separator: "\n"))
            """
        try plan.write(toFile: "\(directory)/plan.yaml", atomically: true, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: "\(directory)/supervisor.log", contents: nil)
        process.executableURL = ShoalBinary.url
        process.arguments = ["supervise", "\(directory)/plan.yaml", "--run-dir", "\(directory)/run"]
        process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "\(directory)/supervisor.log")
        try process.run()
    }

    /// Kills what is left (a failed test must not leave processes behind) and removes the directory.
    func cleanUp() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        for pid in allChildPIDs() where !isGone(pid) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Seconds since the supervisor was started.
    var elapsed: Double { (ContinuousClock.now - started) / .seconds(1) }

    /// The latest status.json, if written yet.
    func status() -> RunStatus? {
        guard let data = FileManager.default.contents(atPath: "\(directory)/run/status.json") else { return nil }
        return try? JSONDecoder().decode(RunStatus.self, from: data)
    }

    /// Polls status.json until `condition` holds; nil after `timeout` seconds.
    func waitForStatus(timeout: Double, _ condition: (RunStatus) -> Bool) -> RunStatus? {
        poll(timeout: timeout) { status().flatMap { condition($0) ? $0 : nil } }
    }

    /// Waits until every child in status.json is running (has sent a heartbeat).
    func waitUntilAllRunning(timeout: Double = 10) -> RunStatus? {
        waitForStatus(timeout: timeout) { $0.processes.allSatisfy { $0.state == .running } }
    }

    /// The supervisor's exit status, or nil if it is still running after `timeout` seconds.
    func waitForExit(timeout: Double) -> Int32? {
        poll(timeout: timeout) { process.isRunning ? nil : process.terminationStatus }
    }

    /// What the supervisor logged.
    var supervisorLog: String { (try? String(contentsOfFile: "\(directory)/supervisor.log", encoding: .utf8)) ?? "" }

    /// The events child `name`'s probes logged, oldest first, across all its incarnations.
    func events(of name: String) -> [ProbeEvent] {
        let log = (try? String(contentsOfFile: "\(directory)/run/logs/\(name).log", encoding: .utf8)) ?? ""
        return log.split(separator: "\n").compactMap(ProbeEvent.init)
    }

    /// The pid of every process any child's log says was started.
    func allChildPIDs() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/run/logs")) ?? []
        return names.flatMap { name in
            events(of: String(name.dropLast(".log".count))).filter { $0.event == "start" }.map(\.pid)
        }
    }
}

/// One line of a `shoal probe` log: `probe <event> pid=<pid> incarnation=<n> time=<unix seconds>`, where the event
/// is `start`, `exit code=<n>`, `sigterm` or `sigterm-ignored`.
struct ProbeEvent {
    let event: String
    let pid: Int32
    let incarnation: Int
    let time: Double

    init?(_ line: Substring) {
        let words = line.split(separator: " ")
        guard words.first == "probe", words.count >= 5 else { return nil }
        func value(_ key: String) -> Substring? {
            words.first { $0.hasPrefix("\(key)=") }?.dropFirst(key.count + 1)
        }
        guard let pid = value("pid").flatMap({ Int32($0) }),
            let incarnation = value("incarnation").flatMap({ Int($0) }),
            let time = value("time").flatMap({ Double($0) })
        else { return nil }
        event = words[1] == "exit" ? "exit \(words[2])" : String(words[1])
        self.pid = pid
        self.incarnation = incarnation
        self.time = time
    }
}

/// Whether `pid` no longer names a live process: gone entirely, or a zombie whose new parent (init, after the
/// supervisor died) has not reaped it yet.
func isGone(_ pid: Int32) -> Bool {
    if kill(pid, 0) != 0 && errno == ESRCH { return true }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let afterName = stat.range(of: ") ", options: .backwards)
    else { return true }
    return stat[afterName.upperBound...].hasPrefix("Z")
}

/// Calls `attempt` every 20 ms until it returns a value or `timeout` seconds have passed.
func poll<Value>(timeout: Double, _ attempt: () -> Value?) -> Value? {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if let value = attempt() { return value }
        if Date() >= deadline { return nil }
        Thread.sleep(forTimeInterval: 0.02)
    }
}
