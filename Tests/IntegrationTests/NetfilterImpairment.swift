import Foundation
import XCTest

/// Delay and loss on everything a test host sends, for kernels without `tc netem`, applied where its frames enter
/// the test bridge (the host's port, in the switch namespace, through br_netfilter): the delay by
/// `Tests/NetworkTools/netdelay.c`, which holds each packet an NFQUEUE rule hands it; the loss by iptables'
/// `statistic` match. Not in the host's own namespace: there a queued packet is still charged to its socket, and
/// TCP Small Queues then allow only two segments in flight (a bulk transfer at 50 ms managed 0.46 Mbit/s instead of
/// 410), and a packet dropped in OUTPUT is a local send error TCP retries at once, not a loss.
final class NetfilterImpairment {
    /// What the report lines call this mechanism.
    static let mechanism = "NFQUEUE delay + iptables statistic loss"

    private let delayProcess: Process?
    private let delayErrors = Pipe()

    /// Starts netdelay on NFQUEUE `queue` in `switchNamespace` (built on first use in this test process) and adds the
    /// rules for frames arriving from bridge port `port`; skips the test, saying why, where cc, libnetfilter_queue's
    /// development files, iptables, NFQUEUE or br_netfilter are missing.
    init(switchNamespace: String, port: String, queue: Int, delayMilliseconds: Int, lossPercent: Double) throws {
        delayProcess = delayMilliseconds > 0
            ? try Self.startDelay(switchNamespace, queue: queue, milliseconds: delayMilliseconds, errors: delayErrors)
            : nil
        do {
            let delay = delayMilliseconds > 0 ? queue : nil
            try Self.addRules(switchNamespace, port: port, delayQueue: delay, lossPercent: lossPercent)
            try Self.sendBridgedFramesThroughIptables(switchNamespace)
        } catch {
            stop()
            throw error
        }
    }

    /// Stops netdelay (it lets every held packet go first) and prints its summary; the rules go with the namespace.
    func stop() {
        guard let process = delayProcess, process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let summary = String(decoding: delayErrors.fileHandleForReading.availableData, as: UTF8.self)
        print(summary.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    // MARK: - netdelay

    /// netdelay, compiled once per test process, or why it could not be.
    private static let delayProgram = Result { try compileDelayProgram() }

    private static func compileDelayProgram() throws -> URL {
        guard let compiler = executableInPath("cc") else {
            throw XCTSkip("no tc netem on this kernel, and no C compiler (cc) to build its NFQUEUE replacement")
        }
        let flags: String
        do {
            flags = try TestHosts.run("/usr/bin/pkg-config", ["--cflags", "--libs", "libnetfilter_queue"])
        } catch {
            throw XCTSkip("no tc netem on this kernel, and no libnetfilter_queue development files (Debian: "
                          + "libnetfilter-queue-dev) to build its NFQUEUE replacement: \(error)")
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("NetworkTools/netdelay.c")
        let program = try temporaryDirectory("netdelay").appendingPathComponent("netdelay")
        let flagList = flags.split(whereSeparator: \.isWhitespace).map(String.init)
        try TestHosts.run(compiler.path, ["-O2", "-o", program.path, source.path] + flagList)
        return program
    }

    private static func executableInPath(_ name: String) -> URL? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs netdelay in `namespace` and waits for its "ready" (`queue` bound).
    private static func startDelay(_ namespace: String, queue: Int, milliseconds: Int, errors: Pipe) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace, try delayProgram.get().path, "\(milliseconds)", "\(queue)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Blocks until netdelay says it is ready or exits (end of file): it does one or the other at once.
        let said = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard said.hasPrefix("ready") else {
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            throw XCTSkip("no tc netem on this kernel, and its NFQUEUE replacement cannot start: \(message)")
        }
        return process
    }

    // MARK: - iptables

    /// Adds the rules with the first iptables that can (the nf_tables one, else the legacy one, for kernels that
    /// lack one of the two). The loss is in FORWARD, which bridged frames reach after the queue in PREROUTING.
    private static func addRules(_ namespace: String, port: String, delayQueue: Int?, lossPercent: Double) throws {
        let fromPort = ["-m", "physdev", "--physdev-in", port]
        var rules: [[String]] = []
        // No --queue-bypass: were netdelay to die, the host's packets stop and the test fails, rather than passing
        // without the delay it claims.
        if let delayQueue {
            rules.append(["-t", "mangle", "-A", "PREROUTING"] + fromPort
                          + ["-j", "NFQUEUE", "--queue-num", "\(delayQueue)"])
        }
        if lossPercent > 0 {
            let probability = "\(lossPercent / 100)"
            rules.append(["-t", "filter", "-A", "FORWARD"] + fromPort
                          + ["-m", "statistic", "--mode", "random", "--probability", probability, "-j", "DROP"])
        }
        var failures: [String] = []
        for tool in ["/usr/sbin/iptables", "/usr/sbin/iptables-legacy"]
        where FileManager.default.isExecutableFile(atPath: tool) {
            do {
                for rule in rules { try TestHosts.run("/usr/sbin/ip", ["netns", "exec", namespace, tool, "-w"] + rule) }
                return
            } catch {
                failures.append("\(error)")
                // Take back what this attempt added (the switch namespace holds no other rules).
                for (table, chain) in [("mangle", "PREROUTING"), ("filter", "FORWARD")] {
                    _ = try? TestHosts.run("/usr/sbin/ip", ["netns", "exec", namespace, tool, "-w", "-t", table,
                                                           "-F", chain])
                }
            }
        }
        throw XCTSkip("no tc netem on this kernel, and iptables cannot add its NFQUEUE, physdev and statistic rules: "
                      + (failures.isEmpty ? "no iptables in /usr/sbin" : failures.joined(separator: "; ")))
    }

    /// Bridged frames skip iptables unless br_netfilter is there and asked to (a per-namespace setting).
    private static func sendBridgedFramesThroughIptables(_ namespace: String) throws {
        do {
            try TestHosts.run("/usr/sbin/ip", ["netns", "exec", namespace, "/bin/sh", "-c",
                                               "echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables"])
        } catch {
            throw XCTSkip("no tc netem on this kernel, and no br_netfilter to pass bridged frames to iptables: "
                          + "\(error)")
        }
    }
}
