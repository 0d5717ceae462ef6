import Foundation
import ShoalWire
import Yams

/// What `shoal supervise` runs: supervisor settings and children, read from a YAML (or JSON) file.
///
/// Times are in seconds. Every key but `children` (and each child's `name`, `role` and `command`) is optional:
///
/// ```yaml
/// runID: demo                  # default: the run directory's name
/// runDirectory: runs/demo      # default: given on the command line
/// heartbeatEndpoint: tcp://*:5599   # default: ipc://<run directory>/supervisor.ipc
/// heartbeatTimeout: 10
/// startupTimeout: 60
/// pollInterval: 0.1
/// statusInterval: 0.5
/// prometheus: 0.0.0.0:9100     # serve the supervisor's metrics there (default: nowhere)
/// restart: {maxRestarts: 5, window: 60, initialBackoff: 0.25, maxBackoff: 8, backoffMultiplier: 2, jitter: 0.2}
/// children:
///   - {name: learner, role: learner, command: [shoal, learner]}
///   - name: actor-0
///     role: actor
///     id: 0
///     command: [shoal, actor, --id, "0"]
///     environment: {SHOAL_LOG_LEVEL: debug}
///     logPath: /var/log/shoal/actor-0.log   # default: <run directory>/logs/<name>.log
///     onCleanExit: stayStopped     # completeRun | restart | stayStopped (default by role)
///     onGiveUp: continueWithout    # failRun | continueWithout (default by role)
///     shutdownStage: 0             # actors 0, learner 1 by default
///     shutdownGrace: 5
///     restart: {maxRestarts: 10}   # overrides the top-level restart keys it names
/// ```
public struct SupervisionPlan: Sendable {
    /// The supervisor's settings.
    public var settings: SupervisorSettings
    /// The children, in start order.
    public var children: [ChildSpec]

    /// Reads a plan file; `runDirectory` replaces the file's own when given.
    public static func load(path: String, runDirectory: String? = nil) throws(ShoalRuntimeError) -> SupervisionPlan {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ShoalRuntimeError(.unreadablePlan, subject: path, reason: error.localizedDescription)
        }
        return try parse(text, source: path, runDirectory: runDirectory)
    }

    /// Parses plan text (`source` names it in errors); `runDirectory` replaces the plan's own when given.
    public static func parse(
        _ text: String, source: String = "plan", runDirectory: String? = nil
    ) throws(ShoalRuntimeError) -> SupervisionPlan {
        let file: PlanFile
        do {
            file = try YAMLDecoder().decode(PlanFile.self, from: text)
        } catch {
            throw ShoalRuntimeError(.unreadablePlan, subject: source, reason: "\(error)")
        }
        guard let directory = runDirectory ?? file.runDirectory else {
            throw ShoalRuntimeError(
                .unreadablePlan, subject: source, reason: "no runDirectory in the plan and none given (--run-dir)")
        }
        let runID = file.runID ?? URL(fileURLWithPath: directory).lastPathComponent
        var settings = SupervisorSettings(runID: runID, runDirectory: directory)
        settings.heartbeatEndpoint = file.heartbeatEndpoint
        file.heartbeatTimeout.map { settings.heartbeatTimeout = .seconds($0) }
        file.startupTimeout.map { settings.startupTimeout = .seconds($0) }
        file.pollInterval.map { settings.pollInterval = .seconds($0) }
        file.statusInterval.map { settings.statusInterval = .seconds($0) }
        settings.prometheus = try file.prometheus.map { text throws(ShoalRuntimeError) in
            try MetricsAddress(parsing: text)
        }
        let restart = file.restart?.applied(to: .default) ?? .default
        let children = try file.children.map { entry throws(ShoalRuntimeError) in
            try entry.spec(defaultRestart: restart)
        }
        return SupervisionPlan(settings: settings, children: children)
    }
}

/// The file's layout; absent keys keep the defaults.
private struct PlanFile: Decodable {
    var runID: String?
    var runDirectory: String?
    var heartbeatEndpoint: String?
    var heartbeatTimeout: Double?
    var startupTimeout: Double?
    var pollInterval: Double?
    var statusInterval: Double?
    var prometheus: String?
    var restart: RestartEntry?
    var children: [ChildEntry]
}

private struct RestartEntry: Decodable {
    var maxRestarts: Int?
    var window: Double?
    var initialBackoff: Double?
    var maxBackoff: Double?
    var backoffMultiplier: Double?
    var jitter: Double?

    func applied(to base: RestartPolicy) -> RestartPolicy {
        var policy = base
        maxRestarts.map { policy.maxRestarts = $0 }
        window.map { policy.window = .seconds($0) }
        initialBackoff.map { policy.initialBackoff = .seconds($0) }
        maxBackoff.map { policy.maxBackoff = .seconds($0) }
        backoffMultiplier.map { policy.backoffMultiplier = $0 }
        jitter.map { policy.jitter = $0 }
        return policy
    }
}

private struct ChildEntry: Decodable {
    var name: String
    var role: String
    var id: UInt32?
    var command: [String]
    var environment: [String: String]?
    var logPath: String?
    var onCleanExit: CleanExitAction?
    var onGiveUp: GiveUpAction?
    var shutdownStage: Int?
    var shutdownGrace: Double?
    var restart: RestartEntry?

    func spec(defaultRestart: RestartPolicy) throws(ShoalRuntimeError) -> ChildSpec {
        guard let role = ProcessRole(rawValue: role) else {
            let roles = ProcessRole.allCases.map(\.rawValue).joined(separator: ", ")
            throw ShoalRuntimeError(.invalidChildSpec, subject: name, reason: "role '\(role)' is not one of \(roles)")
        }
        guard let executable = command.first else {
            throw ShoalRuntimeError(.invalidChildSpec, subject: name, reason: "command is empty")
        }
        var spec = ChildSpec(
            name: name, role: role, id: id ?? 0, executable: executable, arguments: Array(command.dropFirst()),
            environment: environment ?? [:], logPath: logPath,
            restartPolicy: restart?.applied(to: defaultRestart) ?? defaultRestart)
        onCleanExit.map { spec.onCleanExit = $0 }
        onGiveUp.map { spec.onGiveUp = $0 }
        shutdownStage.map { spec.shutdownStage = $0 }
        shutdownGrace.map { spec.shutdownGrace = .seconds($0) }
        return spec
    }
}
