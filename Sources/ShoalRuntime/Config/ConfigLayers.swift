/// A run's config put together layer over layer: the defaults; the environment's preset, when no config file is
/// given; a config file; `--set` overrides; a command's own flags (`--seed`, `--max-seconds`...). Each field keeps
/// the value of the last layer that set it, and `sources` says which that was.
public struct ConfigLayers: Sendable {
    /// Where a field's value came from.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case defaults
        case preset(String)
        case file(String)
        case overrides
        case flags

        public var description: String {
            switch self {
            case .defaults: "default"
            case .preset(let env): "preset \(env)"
            case .file(let path): "file \(path)"
            case .overrides: "--set"
            case .flags: "flag"
            }
        }
    }

    /// The resolved config.
    public private(set) var config = TrainingConfig()
    /// The layer each field's value comes from, by field name.
    public private(set) var sources: [String: Source] = [:]

    /// Resolves the layers; throws naming the field, file or override at fault.
    public init(file: String?, overrides: [String], flags: [String] = []) throws(ShoalRuntimeError) {
        for key in TrainingConfig.allKeys { sources[key] = .defaults }
        if let file {
            try lay(TrainingConfig.load(contentsOf: file), as: .file(file))
        } else {
            let env = try config.applying(overrides: overrides + flags).env
            if let preset = Preset.of(env) {
                // Checked with its environment in place: some fields are only valid for served ones. The env field
                // is then credited to the override or flag that names it.
                var base = config
                base.env = env
                try lay(base.applying(overrides: preset.overrides), as: .preset(preset.env), naming: preset.overrides)
            }
        }
        try lay(config.applying(overrides: overrides), as: .overrides, naming: overrides)
        try lay(config.applying(overrides: flags), as: .flags, naming: flags)
    }

    /// The config as YAML with each field's source as a comment.
    public func annotatedYAML() -> String {
        config.yamlText().split(separator: "\n").map { line in
            let key = String(line.prefix { $0 != ":" })
            return "\(line)  # \(sources[key].map(\.description) ?? "?")"
        }.joined(separator: "\n") + "\n"
    }

    /// Takes `next` as the config, crediting `source` with every field that changed and every field `naming`'s
    /// `key=value` overrides set.
    private mutating func lay(
        _ next: TrainingConfig, as source: Source, naming overrides: [String] = []
    ) throws(ShoalRuntimeError) {
        let (before, after) = (try config.jsonObject(), try next.jsonObject())
        let named = Set(overrides.map { String($0.prefix { $0 != "=" }) })
        for key in TrainingConfig.allKeys
        where named.contains(key) || "\(before[key] ?? "null")" != "\(after[key] ?? "null")" {
            sources[key] = source
        }
        config = next
    }
}
