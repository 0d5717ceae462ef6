/// What a run of one built-in environment adds to the defaults when it names that environment and gives no config file
/// (see `ConfigLayers`): the return that counts as solved. The defaults themselves (APPO, normalised observations and
/// PopArt) learn every built-in environment untuned, as they must a user's own, which has no preset; with no target, a
/// run goes to its step or time budget. `configs/<name>.yaml` is each preset written out in full.
public struct Preset: Sendable, Equatable {
    /// The environment id, or a namespace and a slash ("MinAtar/") for every id in it.
    public let env: String
    /// `key=value` overrides of the defaults.
    public let overrides: [String]
    /// An environment it applies to, as a run names it: `configs/<name>.yaml` is the preset of this one.
    public let example: String

    public init(env: String, overrides: [String], example: String? = nil) {
        self.env = env
        self.overrides = overrides
        self.example = example ?? env
    }

    /// The name of its file in `configs/`: the id or namespace, lowercased, without its version.
    public var name: String { String(env.split(separator: "-")[0].split(separator: "/")[0]).lowercased() }

    /// Every preset.
    public static let all: [Preset] = [
        Preset(env: "CartPole-v1", overrides: ["targetReturn=475"]),
        Preset(env: "Acrobot-v1", overrides: ["targetReturn=-75"]),
        Preset(env: "MountainCar-v0", overrides: ["targetReturn=-110"]),
        Preset(env: "Pendulum-v1", overrides: ["targetReturn=-200"]),
        // Positions only: a policy needs memory to infer the velocities (an MLP stays near 44). One minibatch of all
        // 16 columns a pass: the LSTM's products over 4 columns were too small to be fast (30.4 s against 23.7 s).
        Preset(env: "StatelessCartPole-v1",
               overrides: ["core=lstm", "lstmSize=64", "minibatches=1", "targetReturn=475"]),
        // MinAtar's network; an entropy bonus, without which the policy settled near-deterministic; unrolls of 64 and
        // a learning rate of 5e-4 (Breakout after 5 minutes: 15.1 and 11.2 in two runs, 11.0 with unrolls of 16 and
        // 3e-4; docs/benchmarks.md); 4 minibatches, as measured (the learner is the bottleneck: auto's 32 untried).
        Preset(env: "MinAtar/",
               overrides: ["torso=minatar", "entropyCost=0.01", "unrollLength=64", "learningRate=5e-4",
                           "minibatches=4"],
               example: "gymnasium:MinAtar/Breakout-v1"),
        // Atari through ale-py: gymnasium's standard preprocessing (shoal-env's atari pipeline), DQN's network, 32
        // environments a server (a 16-step unroll of 84×84×4 frames is 15 MB); IMPALA's single pass per batch, as
        // the convolutions make the learner the bottleneck on CPUs; deadlines for servers whose reset of 32 ALE
        // environments takes seconds on a busy machine, and for a learner's update of that many frames.
        Preset(env: "ALE/", overrides: ["torso=nature", "envWrappers=[atari]", "envsPerServer=32", "entropyCost=0.01",
                                        "algorithm=impala", "envTimeoutSeconds=30", "heartbeatTimeoutSeconds=30"],
               example: "gymnasium:ALE/Pong-v5"),
    ]

    /// The preset of `env`, also for `gymnasium:<id>` of a built-in id (the same dynamics, served) and for the ids of
    /// a namespace that has one; nil for none.
    public static func of(_ env: String) -> Preset? {
        let id = env.hasPrefix("gymnasium:") ? String(env.dropFirst("gymnasium:".count)) : env
        return all.first { $0.env == id || ($0.env.hasSuffix("/") && id.hasPrefix($0.env)) }
    }
}
