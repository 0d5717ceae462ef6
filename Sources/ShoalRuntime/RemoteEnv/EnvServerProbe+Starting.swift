import ShoalWire

extension EnvServerProbe {
    /// The spec of `config`'s served environment, asked of a one-environment server started here for the purpose
    /// and stopped after: how a learner sizes its network when the environment servers run beside the actors on
    /// other hosts. Throws with the end of the server's output when it fails.
    public static func describe(startingServerOf config: TrainingConfig, wait: Duration) throws -> EnvServerSpec {
        let server = try PrivateEnvServer(config: config, numEnvs: 1)
        defer { server.stop() }
        do {
            return try describe(endpoint: server.endpoint, wait: wait, attempt: .seconds(config.envTimeoutSeconds)) {
                server.isRunning
            }
        } catch let error as ShoalRuntimeError {
            throw server.explaining(error)
        }
    }
}
