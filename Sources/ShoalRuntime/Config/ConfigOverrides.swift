import Foundation

extension TrainingConfig {
    /// Applies `key=value` overrides (keys are field names); the value is read as the field's type.
    public func applying(overrides: [String]) throws(ConfigError) -> TrainingConfig {
        var fields = try jsonObject()
        for override in overrides {
            guard let separator = override.firstIndex(of: "=") else {
                throw ConfigError(.invalidValue, field: override, value: "", reason: "overrides are written key=value")
            }
            let key = String(override[..<separator])
            let text = String(override[override.index(after: separator)...])
            guard fields.keys.contains(key) || Self.optionalKeys.contains(key) else {
                throw ConfigError(.unknownField, field: key, value: text,
                                  reason: "known fields: \(Self.allKeys.joined(separator: ", "))")
            }
            fields[key] = Self.parse(text)
        }
        return try Self.decode(fields)
    }

    /// Decodes a config from a dictionary of field values, naming the field at fault on failure.
    static func decode(_ fields: [String: Any]) throws(ConfigError) -> TrainingConfig {
        if let unknown = fields.keys.sorted().first(where: { !allKeys.contains($0) }) {
            throw ConfigError(.unknownField, field: unknown, value: "\(fields[unknown] ?? "")",
                              reason: "known fields: \(allKeys.joined(separator: ", "))")
        }
        let config: TrainingConfig
        do {
            let data = try JSONSerialization.data(withJSONObject: fields)
            config = try JSONDecoder().decode(TrainingConfig.self, from: data)
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let field = context.codingPath.first?.stringValue ?? "?"
            throw ConfigError(.invalidValue, field: field, value: "\(fields[field] ?? "")",
                              reason: "expected \(describe(type))")
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.first?.stringValue ?? "?"
            throw ConfigError(.invalidValue, field: field, value: "\(fields[field] ?? "")",
                              reason: context.debugDescription)
        } catch {
            throw ConfigError(.invalidValue, field: "?", value: "", reason: "\(error)")
        }
        try config.validate()
        return config
    }

    /// Field names that may be absent (optional fields set to nil are left out when encoding).
    static let optionalKeys: Set<String> = ["finalLearningRate", "targetReturn", "maxEnvSteps", "maxSeconds"]

    /// Every field name, sorted.
    static var allKeys: [String] {
        let present = (try? TrainingConfig().jsonObject().keys).map(Array.init) ?? []
        return Set(present).union(optionalKeys).sorted()
    }

    /// The config as a JSON-style dictionary.
    func jsonObject() throws(ConfigError) -> [String: Any] {
        do {
            let data = try JSONEncoder().encode(self)
            return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        } catch {
            throw ConfigError(.invalidValue, field: "?", value: "", reason: "cannot encode config: \(error)")
        }
    }

    /// Reads an override's text as JSON when it is valid JSON (numbers, lists, true/false, null), else as a string.
    private static func parse(_ text: String) -> Any {
        if text == "none" { return NSNull() }
        if let data = text.data(using: .utf8),
           let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
            return value
        }
        return text
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "Int", "UInt64": return "an integer"
        case "Float", "Double": return "a number"
        case "String": return "text"
        case "Array<Any>", "Array<Int>": return "a list"
        default: return name
        }
    }
}
