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
        // Positions only: a policy needs memory to infer the velocities (an MLP stays near 44).
        Preset(env: "StatelessCartPole-v1", overrides: ["core=lstm", "lstmSize=64", "targetReturn=475"]),
        // MinAtar's network; an entropy bonus, without which the policy settled near-deterministic (docs/benchmarks.md).
        Preset(env: "MinAtar/", overrides: ["torso=minatar", "entropyCost=0.01"],
               example: "gymnasium:MinAtar/Breakout-v1"),
    ]

    /// The preset of `env`, also for `gymnasium:<id>` of a built-in id (the same dynamics, served) and for the ids of
    /// a namespace that has one; nil for none.
    public static func of(_ env: String) -> Preset? {
        let id = env.hasPrefix("gymnasium:") ? String(env.dropFirst("gymnasium:".count)) : env
        return all.first { $0.env == id || ($0.env.hasSuffix("/") && id.hasPrefix($0.env)) }
    }
}
