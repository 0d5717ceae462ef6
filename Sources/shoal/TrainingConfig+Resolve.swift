import ArgumentParser
import ShoalRuntime

extension TrainingConfig {
    /// The config in `file` (or the default when nil) with `key=value` overrides applied; a bad file, field or
    /// value becomes a usage error (exit code 2) naming it.
    static func resolve(file: String?, overrides: [String]) throws -> TrainingConfig {
        do {
            let base = try file.map { path throws(ShoalRuntimeError) in try TrainingConfig.load(contentsOf: path) }
                ?? TrainingConfig()
            return try base.applying(overrides: overrides)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
