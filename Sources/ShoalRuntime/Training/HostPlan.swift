import ShoalWire

/// The processes one host runs for a run: the learner if it is there, its actors and, for a served environment,
/// `envServersPerActor` environment servers beside each actor on node-local ipc sockets. `shoal train` runs one such
/// plan; `shoal plan` writes one per host for the cluster launchers.
public struct HostPlan: Sendable {
    /// Where the learner binds and keeps its files, on the host that runs it.
    public struct LearnerPlacement: Sendable {
        public var rollouts: String
        public var weights: String
        public var checkpoints: String
        public var metrics: String?

        public init(rollouts: String, weights: String, checkpoints: String, metrics: String?) {
            (self.rollouts, self.weights, self.checkpoints, self.metrics) = (rollouts, weights, checkpoints, metrics)
        }
    }

    /// The run's config, resolved: it says whether environments are served and how many servers an actor steps.
    public var config: TrainingConfig
    public var runID: String
    /// The config file every role reads, with `overrides` applied on top.
    public var configPath: String
    public var overrides: [String] = []
    /// The `shoal` executable the roles run.
    public var executable: String
    public var learner: LearnerPlacement?
    /// The ids of the actors on this host.
    public var actorIDs: Range<UInt32>
    /// The learner's endpoints as actors dial them.
    public var learnerEndpoints: ActorEndpoints
    /// A node-local directory for the environment servers' ipc sockets.
    public var socketDirectory: String
    /// A directory of CURVE key files (`learner.key`, `actor.pub`, `actor.key`, `learner.pub`, from `shoal keygen`)
    /// that the learner's and actors' connections use; nil for plain text.
    public var keyDirectory: String?
    public var restartPolicy = RestartPolicy.default
    /// Where this host's supervisor serves Prometheus metrics; its learner then serves them on the next port, its
    /// actors on the ports after that, in id order, then shoal-env's environment servers, in the order of
    /// `children`. Nil for no metrics endpoints.
    public var prometheus: MetricsAddress?
    /// Each process's log file; nil leaves it to the supervisor (`<run dir>/logs/<name>.log`).
    public var logPath: @Sendable (String) -> String? = { _ in nil }

    public init(config: TrainingConfig, runID: String, configPath: String, executable: String,
                learner: LearnerPlacement?, actorIDs: Range<UInt32>, learnerEndpoints: ActorEndpoints,
                socketDirectory: String) {
        (self.config, self.runID, self.configPath, self.executable) = (config, runID, configPath, executable)
        (self.learner, self.actorIDs, self.learnerEndpoints) = (learner, actorIDs, learnerEndpoints)
        self.socketDirectory = socketDirectory
    }

    /// Whether this host starts environment servers: only for a served environment (`gymnasium:`, `python:`,
    /// `exec:`), not for built-in ones nor for `remote` servers started apart.
    public var servesEnvironments: Bool { (try? config.environmentSource()) == .served }

    /// The environment servers actor `id` steps on this host, in order.
    public func envServerEndpoints(forActor id: UInt32) -> [String] {
        guard servesEnvironments else { return [] }
        return (0..<config.envServersPerActor).map {
            RunDirectory.ipcEndpoint(in: socketDirectory, named: "env-\(id)-\($0)")
        }
    }

    /// Every environment server on this host, in the order of `children`.
    public var envServerEndpoints: [String] { actorIDs.flatMap { envServerEndpoints(forActor: $0) } }

    /// The processes, in start order: learner, actors, environment servers.
    public var children: [ChildSpec] {
        var children: [ChildSpec] = []
        let common = ["--run-id", runID, "--config", configPath] + overrides.flatMap { ["--set", $0] }
        if let learner {
            var arguments = ["learner"] + common + curveArguments(secret: "learner.key", peer: "--curve-allow",
                                                                    peerFile: "actor.pub")
            arguments += ["--rollouts", learner.rollouts, "--weights", learner.weights,
                          "--checkpoints", learner.checkpoints]
            if let metrics = learner.metrics { arguments += ["--metrics", metrics] }
            arguments += prometheusArguments(offset: 1)
            children.append(child("learner", role: .learner, id: 0, executable: executable, arguments: arguments))
        }
        for (index, id) in actorIDs.enumerated() {
            var arguments = ["actor"] + common + curveArguments(secret: "actor.key", peer: "--curve-server-key",
                                                                  peerFile: "learner.pub")
            arguments += ["--id", "\(id)", "--learner", learnerEndpoints.learner, "--weights", learnerEndpoints.weights]
            arguments += prometheusArguments(offset: 2 + index)
            let servers = envServerEndpoints(forActor: id)
            if !servers.isEmpty { arguments += ["--env-servers", servers.joined(separator: ",")] }
            children.append(child("actor-\(id)", role: .actor, id: id, executable: executable, arguments: arguments))
        }
        for (position, id) in actorIDs.enumerated() {
            for (k, endpoint) in envServerEndpoints(forActor: id).enumerated() {
                let index = Int(id) * config.envServersPerActor + k
                var command = config.environmentServerCommandLine(endpoint: endpoint, index: index)
                if servesMetricsFromEnvironmentServers {
                    let server = position * config.envServersPerActor + k  // among this host's servers
                    command += prometheusArguments(offset: 2 + actorIDs.count + server)
                }
                children.append(child("env-\(id)-\(k)", role: .envServer, id: UInt32(index), executable: command[0],
                                      arguments: Array(command.dropFirst())))
            }
        }
        return children
    }

    /// The plan as `shoal supervise` reads it (children with their role's defaults), with the supervisor's
    /// heartbeat endpoint when given.
    public func yaml(heartbeatEndpoint: String? = nil) -> String {
        var lines = ["runID: \(runID.jsonQuoted)"]
        if let heartbeatEndpoint { lines.append("heartbeatEndpoint: \(heartbeatEndpoint.jsonQuoted)") }
        if let prometheus { lines.append("prometheus: \(prometheus.description.jsonQuoted)") }
        lines.append("children:")
        for child in children {
            lines.append("  - name: \(child.name.jsonQuoted)")
            lines.append("    role: \(child.role.rawValue)")
            if child.role != .learner { lines.append("    id: \(child.id)") }
            let command = ([child.executable] + child.arguments).map(\.jsonQuoted).joined(separator: ", ")
            lines.append("    command: [\(command)]")
            if let logPath = child.logPath { lines.append("    logPath: \(logPath.jsonQuoted)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `--prometheus` with the address `offset` ports after the supervisor's, if there is one; none if that port
    /// would be past 65535 (`validatePrometheusPorts` says so first).
    private func prometheusArguments(offset: Int) -> [String] {
        guard let address = try? prometheus?.advanced(by: offset) else { return [] }
        return ["--prometheus", address.description]
    }

    /// Whether this host's environment servers serve metrics too: shoal-env's do (`gymnasium:`, `python:`), other
    /// programs (`exec:`) need not know the option.
    private var servesMetricsFromEnvironmentServers: Bool { servesEnvironments && !config.env.hasPrefix("exec:") }

    /// Fails if this host's processes would need Prometheus ports past 65535.
    public func validatePrometheusPorts() throws(ShoalRuntimeError) {
        let servers = servesMetricsFromEnvironmentServers ? envServerEndpoints.count : 0
        _ = try prometheus?.advanced(by: 1 + actorIDs.count + servers)
    }

    private func curveArguments(secret: String, peer: String, peerFile: String) -> [String] {
        guard let keyDirectory else { return [] }
        return ["--curve-secret-key", "\(keyDirectory)/\(secret)", peer, "\(keyDirectory)/\(peerFile)"]
    }

    private func child(_ name: String, role: ProcessRole, id: UInt32, executable: String,
                       arguments: [String]) -> ChildSpec {
        ChildSpec(name: name, role: role, id: id, executable: executable, arguments: arguments,
                  logPath: logPath(name), restartPolicy: restartPolicy)
    }
}
