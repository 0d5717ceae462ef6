import ShoalCore
import ShoalWire

/// The receivers the fuzzer plays, shared by the fuzz target and the seed writer so every seed is a frame they
/// accept. Tests/ShoalWireTests/FuzzRegressionCorpusTests.swift replays the corpus with the same run and network.
enum FuzzReceivers {
    /// The run every seed belongs to.
    static let runID = "CartPole-v1__fuzz__1__0"

    /// A CartPole-like network with one narrow hidden layer, so a whole weights frame fits in `-max_len`.
    static let network = NetworkSpec(
        observationSize: 4, hiddenSizes: [8], activation: .tanh, head: .categorical(actions: 2))

    /// The newest weights the actor knows of: seeds sit on both sides of it.
    static let actorsNewest = WeightsStamp(learnerIncarnation: 1, version: 8)

    /// A learner: default limits, its network, no weights held (the full receive path, `decode` included).
    static let learner = MessageValidator(limits: WireLimits(runID: runID, network: network))

    /// An actor with no network and limits small enough that a fuzzed frame can exceed each of them.
    static let actor: MessageValidator = {
        var limits = WireLimits(runID: runID)
        limits.maxMessageBytes = 2048
        limits.maxUnrollLength = 8
        limits.maxBatchSize = 8
        limits.maxObservationSize = 64
        limits.maxActionSize = 4
        limits.maxDistributionParameters = 8
        limits.maxHiddenLayers = 2
        limits.maxLayerWidth = 16
        limits.maxParameters = 512
        limits.maxAckSeqs = 4
        limits.maxStats = 4
        limits.maxTextBytes = 16
        return MessageValidator(limits: limits, newestWeights: actorsNewest)
    }()
}
