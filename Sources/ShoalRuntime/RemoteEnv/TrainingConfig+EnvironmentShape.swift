import ShoalCore
import ShoalEnvs
import ShoalWire
import ZeroMQ

extension TrainingConfig {
    /// The shape of the run's environment: the registry's for a built-in one, else what an environment server
    /// (`server`, by default the first of `envServers`) says it hosts. Waits up to `wait` for the server to answer (a
    /// Python server takes a second or two to start), asking again every `envTimeoutSeconds`. A served environment
    /// with no server to ask (a learner whose servers run beside actors on other hosts) is asked of a server started
    /// here for the purpose. `curve` secures the connection to a server asked.
    public func environmentShape(
        askingServer server: String? = nil, wait: Duration = .seconds(50), curve: CurveSecurity? = nil
    ) throws -> EnvironmentShape {
        if try environmentSource() == .builtIn {
            return EnvironmentShape(try EnvironmentRegistry.builtIn.factory(for: env))
        }
        if server == nil, envServers.isEmpty, try environmentSource() == .served {
            return try EnvironmentShape(EnvServerProbe.describe(startingServerOf: self, wait: wait), endpoint: env)
        }
        guard let endpoint = server ?? envServers.first else {
            throw ShoalRuntimeError(.invalidConfigValue, subject: "envServers", value: "[]",
                                    reason: "no environment server to ask what \(env) looks like")
        }
        let spec = try EnvServerProbe.describe(endpoint: endpoint, wait: wait, attempt: .seconds(envTimeoutSeconds),
                                               curve: curve)
        return try EnvironmentShape(spec, endpoint: endpoint)
    }

    /// The network architecture this config trains on `shape`; throws, naming `torso`, when a convolutional torso
    /// cannot read its observations.
    public func networkSpec(for shape: EnvironmentShape) throws -> NetworkSpec {
        let convolutional = try convolutionalTorso(for: shape)
        return NetworkSpec(
            observationSize: shape.observationSize, hiddenSizes: convolutional == nil ? hiddenSizes : [],
            activation: activation, head: PolicyHead(shape.actionSpace),
            normalizeObservations: normalizeObservations && !shape.observationDType.isBytes,
            returnNormalization: returnNormalization, convolutionalTorso: convolutional,
            lstmSize: core == .lstm ? lstmSize : nil, observationDType: shape.observationDType)
    }

    /// The convolutional torso over `shape`'s [height, width, channels] observations; nil for the MLP.
    private func convolutionalTorso(for shape: EnvironmentShape) throws -> ConvolutionalTorsoSpec? {
        guard let kind = ConvolutionalTorsoKind(rawValue: torso.rawValue) else { return nil }
        let dimensions = shape.observationShape
        func refuse(_ reason: String) -> ShoalRuntimeError {
            ShoalRuntimeError(.invalidConfigValue, subject: "torso", value: torso.rawValue, reason: reason)
        }
        guard dimensions.count == 3 else {
            throw refuse("a convolutional torso reads [height, width, channels] observations; \(env)'s have shape "
                         + "\(dimensions)")
        }
        let spec = ConvolutionalTorsoSpec(kind: kind, height: dimensions[0], width: dimensions[1],
                                          channels: dimensions[2])
        if let problem = spec.problem(observationSize: shape.observationSize) { throw refuse(problem) }
        return spec
    }
}

/// Asks an environment server what it hosts without taking it over (a describe-only hello).
public enum EnvServerProbe {
    /// The server's spec; throws when it does not answer within `wait` or answers with an error, or as soon as
    /// `isRunning` says the server has gone. With `curve`, the connection is a CURVE client's.
    public static func describe(
        endpoint: String, wait: Duration, attempt: Duration, curve: CurveSecurity? = nil,
        isRunning: () -> Bool = { true }
    ) throws -> EnvServerSpec {
        let context = try ZMQContext()
        defer { context.close() }
        let connection = try EnvServerConnection(context: context, endpoint: endpoint, routingID: "probe",
                                                 limits: EnvLimits(), curve: curve)
        defer { connection.close() }
        let giveUp = ContinuousClock.now + wait
        while ContinuousClock.now < giveUp {
            try connection.send(.hello(client: "describe", describeOnly: true))
            let deadline = min(giveUp, .now + attempt)
            while ContinuousClock.now < deadline {
                guard isRunning() else {
                    throw ShoalRuntimeError(.environmentServer, subject: endpoint, reason: "exited before answering")
                }
                _ = try ZMQPoller([connection.socket]).readable(timeout: max(.zero, min(.milliseconds(200), deadline - .now)))
                switch try connection.receive() {
                case .spec(let spec)?: return spec
                case .error(let message, let details)?:
                    throw ShoalRuntimeError(.environmentServer, subject: endpoint, reason: "\(message)\n\(details)")
                case let reply?:
                    throw ShoalRuntimeError(.environmentServer, subject: endpoint,
                                            reason: "answered a hello with \(reply.kindName)")
                case nil: continue
                }
            }
            try connection.reopen()
        }
        throw ShoalRuntimeError(.environmentServer, subject: endpoint,
                                reason: "no answer within \(wait): is it running at this address?")
    }
}
