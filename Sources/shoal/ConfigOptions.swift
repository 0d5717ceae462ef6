import ArgumentParser
import ShoalRuntime

/// A config file and `--set` overrides, for commands that read a run's config.
struct ConfigOptions: ParsableArguments {
    @Option(help: "YAML config file (fields of TrainingConfig); defaults for fields it leaves out.")
    var config: String?

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override a config field.", valueName: "key=value"))
    var overrides: [String] = []

    /// The config file (or the default) with overrides applied.
    func resolvedConfig() throws -> TrainingConfig {
        try TrainingConfig.resolve(file: config, overrides: overrides)
    }
}
