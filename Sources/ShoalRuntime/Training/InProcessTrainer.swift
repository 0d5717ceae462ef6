import ShoalCore
import ShoalEnvs

/// Actor and learner interleaved in one process: the proof that the learning core learns, before any transport.
///
/// The acting policy lags the learner by `inProcessPolicyLag` updates, so V-trace corrects genuinely off-policy data.
public final class InProcessTrainer {
    public let config: TrainingConfig
    public let learner: ImpalaLearner
    private let collector: UnrollCollector
    /// Parameters of the last `inProcessPolicyLag + 1` versions, oldest first.
    private var recentWeights: [(version: UInt64, parameters: [Float])] = []

    public init(config: TrainingConfig) throws {
        self.config = config
        let factory = try EnvironmentRegistry.builtIn.factory(for: config.env)
        let spec = try config.networkSpec(for: EnvironmentShape(factory))
        var generator = SeededGenerator(seed: config.seed)
        let network = ActorCriticNetwork(spec: spec, generator: &generator, backend: config.gemm)
        learner = ImpalaLearner(network: network, settings: config.learnerSettings)
        collector = UnrollCollector(
            environments: factory.makeVectorEnvironment(batchSize: config.envsPerActor, seed: config.seed),
            network: ActorCriticNetwork(spec: spec, parameters: network.parameters, backend: config.gemm),
            unrollLength: config.unrollLength, generator: generator.derived(stream: 1))
        recentWeights = [(0, network.parameters)]
    }

    /// Trains until a stop condition holds, calling `report` about once per `reportInterval` seconds.
    public func run(reportInterval: Double = 1, report: (TrainingProgress) -> Void) -> TrainingSummary {
        let clock = ContinuousClock()
        let start = clock.now
        var tracker = ProgressTracker()
        var lastReport = start
        var seq: UInt64 = 0
        while true {
            var rollouts: [Rollout] = []
            for _ in 0..<config.rolloutsPerBatch {
                let origin = RolloutOrigin(runID: "in-process", actorID: 0, incarnation: 0, seq: seq)
                seq += 1
                let rollout = collector.collect(origin: origin)
                tracker.record(rollout)
                rollouts.append(rollout)
            }
            let statistics = learner.update(TrainingBatch(rollouts: rollouts))
            tracker.record(statistics)
            shareWeights()

            let elapsed = (clock.now - start).seconds
            if let reason = stopReason(tracker, elapsed: elapsed) {
                let final = tracker.snapshot(elapsed: elapsed)
                report(final)
                return TrainingSummary(reason: reason, final: final)
            }
            if (clock.now - lastReport).seconds >= reportInterval {
                report(tracker.snapshot(elapsed: elapsed))
                lastReport = clock.now
            }
        }
    }

    /// Hands the actor the weights from `inProcessPolicyLag` updates ago.
    private func shareWeights() {
        recentWeights.append((learner.version, learner.network.parameters))
        if recentWeights.count > config.inProcessPolicyLag + 1 { recentWeights.removeFirst() }
        let lagged = recentWeights[0]
        if lagged.version != collector.policyVersion {
            collector.adopt(parameters: lagged.parameters, version: lagged.version)
        }
    }

    private func stopReason(_ tracker: ProgressTracker, elapsed: Double) -> TrainingSummary.StopReason? {
        if let target = config.targetReturn, tracker.episodes.reached(target) { return .targetReached }
        if let maxSteps = config.maxEnvSteps, tracker.envSteps >= maxSteps { return .stepBudget }
        if let maxSeconds = config.maxSeconds, elapsed >= maxSeconds { return .timeBudget }
        return nil
    }
}

extension PolicyHead {
    /// The head that fits an environment's action space.
    init(_ space: ActionSpace) {
        switch space {
        case .discrete(let count): self = .categorical(actions: count)
        case .box(let box): self = .gaussian(dimensions: box.count)
        }
    }
}
