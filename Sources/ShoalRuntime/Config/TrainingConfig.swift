import ShoalCore

/// Every hyperparameter of a training run, with the built-in default (CartPole-v1). Field names are the keys of
/// config files and of `--set key=value` overrides.
public struct TrainingConfig: Codable, Sendable, Equatable {
    // MARK: Run
    /// The environment: a built-in id (CartPole-v1); `gymnasium:<id>`, `python:<module>:<callable>` or
    /// `exec:<program>` (environment servers that `shoal train` starts: Python's shoal-env, or a program built on the C
    /// library); or `remote` (servers at `envServers`, started apart).
    public var env = "CartPole-v1"
    /// Seeds the network's initial weights, the environments and action sampling.
    public var seed: UInt64 = 1
    /// Experiment name used in the run directory name.
    public var name = "shoal"

    // MARK: Acting
    /// Built-in environments each actor steps in lock-step (B).
    public var envsPerActor = 16
    /// Steps per unroll (T).
    public var unrollLength = 16

    // MARK: Environment servers (every env but a built-in one)
    /// Keyword arguments for the environment (gymnasium.make's, or the python: callable's), as a JSON object.
    public var envArgs = "{}"
    /// Wrapper pipelines shoal-env applies to each environment, in order: atari (gymnasium's AtariPreprocessing on an
    /// ALE environment made with frameskip 1, 4 stacked frames, channels last), channels-last. Python servers only.
    public var envWrappers: [String] = []
    /// The Python that runs environment servers (a virtual environment's python, to use its packages).
    public var pythonExecutable = "python3"
    /// Environment servers each actor steps (K); while some step, the actor infers for the others.
    public var envServersPerActor = 2
    /// Environments each environment server hosts and steps together (M): one unroll of an actor is M wide. A server
    /// costs about as much per request whatever M is, so a large M is what makes served environments fast.
    public var envsPerServer = 128
    /// Addresses of the environment servers: actor i steps servers i·K ..< (i+1)·K. Required with env: remote;
    /// `shoal train` fills it in for the servers it starts.
    public var envServers: [String] = []
    /// An environment server that has not answered a request within this many seconds is taken to be lost.
    public var envTimeoutSeconds: Double = 10

    // MARK: Model
    /// The torso: mlp (hiddenSizes, activation), or a convolutional one over [height, width, channels] observations:
    /// minatar, nature or impala-resnet (docs/networks.md).
    public var torso = Torso.mlp
    /// Widths of the MLP torso's hidden layers.
    public var hiddenSizes = [64, 64]
    /// A recurrent core between the torso and the heads: none, or lstm (lstmSize units), whose state each actor carries
    /// from step to step and the learner unrolls through each unroll.
    public var core = Core.none
    /// Units of the LSTM core.
    public var lstmSize = 128
    /// Hidden-layer nonlinearity: tanh or relu.
    public var activation = Activation.tanh
    /// Whether the network normalises observations by their running mean and variance (kept by the learner, sent
    /// with the weights); never for uint8 or bool observations.
    public var normalizeObservations = true
    /// What the value head learns: returns as they are (none), returns divided by a running estimate of their
    /// standard deviation (scale, i.e. scaled rewards), or PopArt's normalised returns (popart).
    public var returnNormalization = ReturnNormalization.popart
    /// Matrix-product implementation: swift or blas.
    public var gemm = GemmBackend.preferred

    // MARK: Learner
    /// Unrolls per learner update; the update's batch is rolloutsPerBatch × B columns of T steps (B = envsPerActor
    /// for a built-in environment, envsPerServer for served ones: one unroll per server).
    public var rolloutsPerBatch = 1
    /// adam or rmsprop.
    public var optimizer = OptimizerKind.adam
    /// Initial learning rate.
    public var learningRate: Float = 3e-4
    /// If set, the learning rate decays linearly to this value at maxEnvSteps.
    public var finalLearningRate: Float?
    /// Adam's β1 and β2, and ε for Adam or RMSProp.
    public var adamBeta1: Float = 0.9
    public var adamBeta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// RMSProp's decay and momentum.
    public var rmspropDecay: Float = 0.99
    public var rmspropMomentum: Float = 0
    /// Gradients are clipped to this global L2 norm.
    public var maxGradientNorm: Float = 40
    /// γ.
    public var discount: Float = 0.99
    /// Weight of the value loss.
    public var baselineCost: Float = 0.5
    /// Weight of the entropy bonus.
    public var entropyCost: Float = 0
    /// V-trace λ and the ρ̄ clipping thresholds for value targets and policy-gradient advantages.
    public var vtraceLambda: Float = 0.98
    public var clipRho: Float = 1
    public var clipPolicyGradientRho: Float = 1
    /// The policy loss: `appo` (PPO's clipped surrogate on V-trace advantages, `epochs` passes over each batch in
    /// `minibatches` minibatches) or `impala` (V-trace policy gradient, one step per batch).
    public var algorithm: Algorithm = .appo
    /// APPO's clipping range ε: the ratio π/μ counts only within [1 − ε, 1 + ε].
    public var clipEpsilon: Float = 0.2
    /// APPO: passes over each batch (IMPALA makes one).
    public var epochs = 4
    /// APPO: minibatches of a batch's environments per pass, one optimizer step each (IMPALA steps on the whole batch):
    /// auto (one per 4 environments: 4 for 16 built-in environments, 32 for a served batch of 128) or a number.
    public var minibatches = Minibatches.auto

    // MARK: Processes and delivery
    /// Actor processes in single-node mode.
    public var actors = 2
    /// Rollouts an actor may have sent but not yet acknowledged (the learner's credit per actor).
    public var creditsPerActor = 2
    /// Rollouts the learner queues at most; beyond it the oldest is dropped and counted as buffer_overflow.
    public var learnerQueueCapacity = 64
    /// Rollouts acted by weights more than this many versions behind the learner are dropped as stale.
    public var maxPolicyLag = 20
    /// The learner broadcasts weights every this many updates.
    public var publishEvery = 1
    /// Seconds between the learner's checkpoints (one more is written at the end).
    public var checkpointSeconds: Double = 5
    /// Checkpoints kept in the run directory.
    public var keepCheckpoints = 3
    /// Seconds between heartbeats to the supervisor.
    public var heartbeatSeconds: Double = 0.5
    /// A process silent for this many seconds is killed and restarted.
    public var heartbeatTimeoutSeconds: Double = 5
    /// An actor re-sends its unacknowledged rollouts after this many seconds without an ack.
    public var resendSeconds: Double = 2
    /// An actor that has heard nothing from the learner (weights, acks) for this many seconds takes it to be gone for
    /// good (the run ended before this actor was heard, or the learner's host is lost) and exits; nil: never.
    public var learnerGoneSeconds: Double? = 120
    /// A process restarted more than this many times within restartWindowSeconds is given up: an actor is left out,
    /// the learner fails the run.
    public var maxRestarts = 5
    /// The window of the restart limit above, in seconds.
    public var restartWindowSeconds: Double = 60

    // MARK: In-process mode
    /// In `shoal train --in-process`, how many updates the acting policy lags behind the learner.
    public var inProcessPolicyLag = 1

    // MARK: Stopping
    /// Stop once the mean return of the last 100 episodes reaches this (nil: no target).
    public var targetReturn: Float?
    /// Stop after this many environment steps (nil: no limit).
    public var maxEnvSteps: Int? = 5_000_000
    /// Stop after this many seconds of wall-clock time (nil: no limit).
    public var maxSeconds: Double?

    public init() {}

    /// The torsos by name.
    public enum Torso: String, Codable, Sendable, CaseIterable {
        case mlp
        case minatar
        case nature
        case impalaResnet = "impala-resnet"
    }

    /// The recurrent cores by name.
    public enum Core: String, Codable, Sendable, CaseIterable {
        case none
        case lstm
    }

    /// The policy loss the learner minimises.
    public enum Algorithm: String, Codable, Sendable, CaseIterable {
        case impala
        case appo
    }

    /// Which optimizer the learner uses.
    public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
        case adam
        case rmsprop
    }

    /// The environments (columns) of an update's batch: rolloutsPerBatch unrolls of envsPerActor built-in
    /// environments or envsPerServer served ones.
    public var batchColumns: Int {
        rolloutsPerBatch * ((try? environmentSource()) == .builtIn ? envsPerActor : envsPerServer)
    }

    /// The learner's settings derived from this config.
    public var learnerSettings: LearnerSettings {
        let optimizerSettings: OptimizerSettings = switch optimizer {
        case .adam: .adam(beta1: adamBeta1, beta2: adamBeta2, epsilon: epsilon)
        case .rmsprop: .rmsprop(decay: rmspropDecay, momentum: rmspropMomentum, epsilon: epsilon)
        }
        let stepsPerUpdate = batchColumns * unrollLength
        let schedule: LearningRateSchedule =
            if let finalLearningRate, let maxEnvSteps {
                .linear(initial: learningRate, final: finalLearningRate, updates: maxEnvSteps / stepsPerUpdate)
            } else {
                .constant(learningRate)
            }
        let loss = LossSettings(
            discount: discount, baselineCost: baselineCost, entropyCost: entropyCost,
            vtrace: VTraceSettings(lambda: vtraceLambda, clipRhoThreshold: clipRho,
                                   clipPolicyGradientRhoThreshold: clipPolicyGradientRho),
            clippedSurrogate: algorithm == .appo ? ClippedSurrogate(epsilon: clipEpsilon) : nil)
        return LearnerSettings(loss: loss, optimizer: optimizerSettings, learningRate: schedule,
                               maxGradientNorm: maxGradientNorm, epochs: algorithm == .appo ? epochs : 1,
                               minibatches: algorithm == .appo ? minibatches.count(forColumns: batchColumns) : 1)
    }
}
