import ArgumentParser
import ShoalRuntime

extension TrainingConfig {
    /// The config in `file`, or the defaults with the preset of the environment the overrides name when no file is
    /// given (see `ConfigLayers`), with `key=value` overrides applied; a bad file, field or value becomes a usage
    /// error (exit code 2) naming it.
    static func resolve(file: String?, overrides: [String]) throws -> TrainingConfig {
        do {
            return try ConfigLayers(file: file, overrides: overrides).config
        } catch {
            throw ValidationError(error.description)
        }
    }
}
