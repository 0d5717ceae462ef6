/// How to make one registered kind of environment, with its time limit, alone or as a vector.
public struct EnvironmentFactory: Sendable {
    /// The id it is registered under, e.g. "CartPole-v1".
    public let id: String
    /// Steps after which an episode is truncated (gymnasium's `max_episode_steps`).
    public let maxEpisodeSteps: Int
    /// The observation space of one environment.
    public let observationSpace: BoxSpace
    /// The action space of one environment.
    public let actionSpace: ActionSpace
    private let makeSingle: @Sendable () -> any Environment
    private let makeVector: @Sendable (_ batchSize: Int, _ seed: UInt64) -> VectorEnvironment

    /// Registers `make` under `id`; every environment made is wrapped in a `TimeLimit` of `maxEpisodeSteps`.
    public init<Env: Environment>(id: String, maxEpisodeSteps: Int, make: @escaping @Sendable () -> Env) {
        let prototype = make()
        self.id = id
        self.maxEpisodeSteps = maxEpisodeSteps
        observationSpace = prototype.observationSpace
        actionSpace = prototype.actionSpace
        makeSingle = { TimeLimit(make(), maxEpisodeSteps: maxEpisodeSteps) }
        // Built here, where Env is concrete, so the vector's stepping loop is specialised for it.
        makeVector = { batchSize, seed in
            let lanes = (0..<batchSize).map { _ in TimeLimit(make(), maxEpisodeSteps: maxEpisodeSteps) }
            return VectorEnvironment(environments: lanes, seed: seed)
        }
    }

    /// A new time-limited environment; call `reset` before stepping it.
    public func makeEnvironment() -> any Environment {
        makeSingle()
    }

    /// A new vector of `batchSize` time-limited environments, reset with `seed`.
    public func makeVectorEnvironment(batchSize: Int, seed: UInt64) -> VectorEnvironment {
        precondition(batchSize > 0, "batchSize must be positive")
        return makeVector(batchSize, seed)
    }
}

/// Environments by id, like gymnasium's registry.
public struct EnvironmentRegistry: Sendable {
    /// The environments built into Shoal, with gymnasium 1.4.0's ids and time limits, and StatelessCartPole-v1
    /// (CartPole-v1 without velocities, a memory task).
    public static let builtIn = EnvironmentRegistry([
        EnvironmentFactory(id: "CartPole-v1", maxEpisodeSteps: 500) { CartPole() },
        EnvironmentFactory(id: "Acrobot-v1", maxEpisodeSteps: 500) { Acrobot() },
        EnvironmentFactory(id: "MountainCar-v0", maxEpisodeSteps: 200) { MountainCar() },
        EnvironmentFactory(id: "Pendulum-v1", maxEpisodeSteps: 200) { Pendulum() },
        EnvironmentFactory(id: "StatelessCartPole-v1", maxEpisodeSteps: 500) { StatelessCartPole() },
    ])

    private let factories: [EnvironmentFactory]

    /// A registry of `factories`; their ids must be distinct.
    public init(_ factories: [EnvironmentFactory]) {
        precondition(Set(factories.map(\.id)).count == factories.count, "environment ids must be distinct")
        self.factories = factories
    }

    /// The registered ids, in registration order.
    public var ids: [String] { factories.map(\.id) }

    /// The factory registered under `id`; throws `.unknownEnvironment` naming the known ids otherwise.
    public func factory(for id: String) throws(EnvironmentError) -> EnvironmentFactory {
        guard let factory = factories.first(where: { $0.id == id }) else {
            throw EnvironmentError(
                .unknownEnvironment, context: id,
                message: "unknown environment '\(id)'; known environments: \(ids.joined(separator: ", "))"
            )
        }
        return factory
    }
}
