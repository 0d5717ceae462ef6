/// Settings tuned for one built-in environment, laid over the defaults when a run names that environment and gives
/// no config file (see `ConfigLayers`), with the return that counts as solved. The defaults are CartPole's
/// hyperparameters with no target: a user's environment runs to its step or time budget. `configs/<name>.yaml` is
/// each preset written out in full.
public struct Preset: Sendable, Equatable {
    /// The environment id.
    public let env: String
    /// `key=value` overrides of the defaults.
    public let overrides: [String]

    /// Every preset.
    public static let all: [Preset] = [
        Preset(env: "CartPole-v1", overrides: ["targetReturn=475"]),
        Preset(env: "Acrobot-v1", overrides: ["targetReturn=-75"]),
        Preset(env: "Pendulum-v1", overrides: ["targetReturn=-200"]),
    ]

    /// The preset of `env`, also for `gymnasium:<id>` of a built-in id (the same dynamics, served); nil for none.
    public static func of(_ env: String) -> Preset? {
        let id = env.hasPrefix("gymnasium:") ? String(env.dropFirst("gymnasium:".count)) : env
        return all.first { $0.env == id }
    }
}
