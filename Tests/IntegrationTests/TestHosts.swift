import Foundation
import XCTest

/// Test hosts on one machine: a network namespace per host, each with one interface on a shared bridge (itself in
/// a namespace of its own, so the machine's own network is never touched), addresses 10.77.<net>.<n>/24. Links can
/// be cut and restored, and given delay and loss (`tc netem`, or `NetfilterImpairment` where the kernel has no
/// netem). Needs root and iproute2; tests skip, saying why, when namespaces cannot be made.
final class TestHosts {
    let names: [String]
    private let prefix: String
    private let net: Int
    private var impairments: [NetfilterImpairment] = []
    private var switchName: String { "\(prefix)sw" }

    /// Makes `count` hosts; host i (from 0) has address `address(i)`.
    init(count: Int) throws {
        // Short names: interface names are limited to 15 bytes.
        let tag = String(getpid() % 100_000)
        prefix = "sh\(tag)"
        net = Int(getpid() % 200) + 20
        names = (0..<count).map { "sh\(tag)h\($0)" }
        do {
            try Self.ip(["netns", "add", switchName])
        } catch {
            throw XCTSkip("network namespaces unavailable (needs root and iproute2's `ip netns`): \(error)")
        }
        try Self.ip(["-n", switchName, "link", "add", "br0", "type", "bridge"])
        try Self.ip(["-n", switchName, "link", "set", "br0", "up"])
        for (index, host) in names.enumerated() {
            try Self.ip(["netns", "add", host])
            try Self.ip(["-n", host, "link", "add", "eth0", "type", "veth", "peer", "name", port(index),
                         "netns", switchName])
            try Self.ip(["-n", switchName, "link", "set", port(index), "master", "br0", "up"])
            try Self.ip(["-n", host, "address", "add", "\(address(index))/24", "dev", "eth0"])
            try Self.ip(["-n", host, "link", "set", "eth0", "up"])
            try Self.ip(["-n", host, "link", "set", "lo", "up"])
        }
    }

    deinit {
        // Before the namespaces go: a process still inside one would keep it (and its rules) alive.
        for impairment in impairments { impairment.stop() }
        for namespace in names + [switchName] { try? Self.ip(["netns", "del", namespace]) }
    }

    /// Host `index`'s address.
    func address(_ index: Int) -> String { "10.77.\(net).\(index + 1)" }

    /// The command prefix that runs a program on host `index`.
    func launcher(_ index: Int) -> [String] { ["/usr/sbin/ip", "netns", "exec", names[index]] }

    /// Cuts host `index`'s link (its bridge port goes down), or restores it.
    func setLink(_ index: Int, up: Bool) throws {
        try Self.ip(["-n", switchName, "link", "set", port(index), up ? "up" : "down"])
    }

    /// Delays everything host `index` sends by `delayMilliseconds` and drops `lossPercent`% of it, with `tc netem`
    /// on its eth0 where the kernel has sch_netem and with `NetfilterImpairment` where it has not; returns the
    /// mechanism used, for the test's report. Skips the test, saying why, when neither can be had here.
    @discardableResult
    func impair(_ index: Int, delayMilliseconds: Int, lossPercent: Double) throws -> String {
        do {
            try Self.run("/usr/sbin/tc", ["-n", names[index], "qdisc", "add", "dev", "eth0", "root", "netem",
                                         "delay", "\(delayMilliseconds)ms", "loss", "\(lossPercent)%"])
            return "netem"
        } catch let error as TestHostsError where error.description.contains("qdisc kind is unknown") {
            impairments.append(try NetfilterImpairment(switchNamespace: switchName, port: port(index), queue: index,
                                                       delayMilliseconds: delayMilliseconds, lossPercent: lossPercent))
            return NetfilterImpairment.mechanism
        }
    }

    private func port(_ index: Int) -> String { "\(prefix)p\(index)" }

    private static func ip(_ arguments: [String]) throws {
        try run("/usr/sbin/ip", arguments)
    }

    /// Runs `program` to its end and returns what it printed; throws with its stderr when it fails.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting, so that a program printing much cannot block on a full stdout pipe.
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestHostsError(description: "\(program) \(arguments.joined(separator: " ")): \(message)")
        }
        return printed
    }
}

struct TestHostsError: Error, CustomStringConvertible {
    let description: String
}
