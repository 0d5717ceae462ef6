import Foundation
import Logging
import ShoalCore
import ShoalEnvs
import ZeroMQ

/// How `shoal eval` runs a policy.
public struct EvaluationSettings: Sendable {
    /// Episodes to count.
    public var episodes = 100
    /// The most likely actions instead of samples.
    public var greedy = false
    /// Seeds the environments and the sampling.
    public var seed: UInt64 = 1
    /// Environments stepped side by side (default: the config's `envsPerActor`, or `envsPerServer` for a served
    /// environment), at most one per episode.
    public var environments: Int?
    /// For a `remote` environment: the server to step, one no actor is stepping (a hello takes a server over).
    public var envServer: String?

    public init() {}
}

/// `shoal eval`: runs a trained policy without training on its run's environment (built-in, or served by an
/// environment server it starts, or a remote one) until every environment has finished its share of the episodes.
public enum Evaluation {
    /// Evaluates `policy` on `config`'s environment.
    public static func run(_ policy: TrainedPolicy, config: TrainingConfig, settings: EvaluationSettings)
        throws -> EvaluationResult
    {
        for (option, value) in [("--episodes", settings.episodes), ("--envs", settings.environments ?? 1)]
        where value <= 0 {
            throw ShoalRuntimeError(.invalidConfigValue, subject: option, value: "\(value)", reason: "must be positive")
        }
        let started = ContinuousClock.now
        let source = try config.environmentSource()
        let lanes = min(settings.episodes,
                        settings.environments ?? (source == .builtIn ? config.envsPerActor : config.envsPerServer))
        let generator = SeededGenerator(seed: settings.seed)
        let network = ActorCriticNetwork(spec: policy.spec, parameters: policy.parameters, backend: config.gemm)
        var tally = EpisodeTally(total: settings.episodes, lanes: lanes)
        if source == .builtIn {
            let environments = try EnvironmentRegistry.builtIn.factory(for: config.env)
                .makeVectorEnvironment(batchSize: lanes, seed: settings.seed)
            try check(policy, fits: EnvironmentShape(observationShape: environments.observationSpace.shape,
                                                      actionSpace: environments.actionSpace), config: config)
            let collector = UnrollCollector(environments: environments, network: network,
                                            unrollLength: config.unrollLength, generator: generator)
            collector.greedy = settings.greedy
            var seq: UInt64 = 0
            while !tally.isComplete {
                try tally.count(collector.collect(origin: origin(seq)))
                seq += 1
            }
        } else {
            try evaluateServed(policy, network: network, config: config, settings: settings, lanes: lanes,
                               generator: generator, tally: &tally)
        }
        return EvaluationResult(env: config.env, policy: policy, settings: settings, episodes: tally.episodes,
                                seconds: (ContinuousClock.now - started).seconds)
    }

    /// Steps one environment server: one started here for a served environment, or `settings.envServer`.
    private static func evaluateServed(
        _ policy: TrainedPolicy, network: ActorCriticNetwork, config: TrainingConfig, settings: EvaluationSettings,
        lanes: Int, generator: SeededGenerator, tally: inout EpisodeTally
    ) throws {
        var server: PrivateEnvServer?
        defer { server?.stop() }
        let endpoint: String
        if try config.environmentSource() == .served {
            server = try PrivateEnvServer(config: config, numEnvs: lanes)
            endpoint = server!.endpoint
        } else if let given = settings.envServer {
            endpoint = given
        } else {
            // Not the config's own servers: a hello takes a server over from the actor stepping it.
            throw ShoalRuntimeError(.invalidConfigValue, subject: "--env-server", value: "",
                                    reason: "env is remote: name an environment server to evaluate on, one no "
                                        + "actor of a live run is stepping (evaluation would take it over)")
        }
        let context = try ZMQContext()
        defer { context.close() }
        let collector: RemoteUnrollCollector
        do {
            let shape = try config.environmentShape(askingServer: endpoint, wait: .seconds(60))
            try check(policy, fits: shape, config: config)
            collector = try RemoteUnrollCollector(
                context: context, endpoints: [endpoint], shape: shape, envsPerServer: lanes,
                unrollLength: config.unrollLength, timeout: .seconds(config.envTimeoutSeconds), client: "eval",
                generator: generator, makeNetwork: { network }, log: Logger(label: "shoal.eval"))
        } catch let error as ShoalRuntimeError {
            throw server.map { $0.explaining(error) } ?? error
        }
        defer { collector.close() }
        collector.greedy = settings.greedy
        let patience = Duration.seconds(max(60, 4 * config.envTimeoutSeconds))
        var (seq, lastProgress) = (UInt64(0), ContinuousClock.now)
        while !tally.isComplete {
            if let rollout = collector.collect(origin: origin(seq), within: .milliseconds(100)) {
                try tally.count(rollout)
                (seq, lastProgress) = (seq + 1, .now)
            } else if ContinuousClock.now - lastProgress > patience {
                let reason = "no unroll for \(patience.seconds) s (faults: \(collector.faults))"
                throw server.map { $0.explaining(ShoalRuntimeError(.environmentServer, subject: endpoint,
                                                                   reason: reason)) }
                    ?? ShoalRuntimeError(.environmentServer, subject: endpoint, reason: reason)
            }
        }
    }

    /// Refuses an environment whose observations or actions are not the policy's.
    private static func check(_ policy: TrainedPolicy, fits shape: EnvironmentShape, config: TrainingConfig) throws {
        let expected = try config.networkSpec(for: shape)
        guard expected.observationSize == policy.spec.observationSize, expected.head == policy.spec.head,
              expected.observationDType == policy.spec.observationDType else {
            throw ShoalRuntimeError(.incompatible, subject: policy.checkpoint, reason: "its policy takes "
                                        + "\(policy.spec.observationSize) inputs and acts with \(policy.spec.head); "
                                        + "\(config.env) gives \(shape.observationSize) and takes \(expected.head)")
        }
    }

    private static func origin(_ seq: UInt64) -> RolloutOrigin {
        RolloutOrigin(runID: "eval", actorID: 0, incarnation: 1, seq: seq)
    }
}
