import Foundation

extension TrainingConfig {
    /// Applies `key=value` overrides (keys are field names); the value is read as the field's type.
    public func applying(overrides: [String]) throws(ShoalRuntimeError) -> TrainingConfig {
        var fields = try jsonObject()
        for override in overrides {
            guard let separator = override.firstIndex(of: "=") else {
                throw ShoalRuntimeError(.invalidConfigValue, subject: override,
                                        reason: "overrides are written key=value")
            }
            let key = String(override[..<separator])
            let text = String(override[override.index(after: separator)...])
            guard fields.keys.contains(key) || Self.optionalKeys.contains(key) else {
                throw ShoalRuntimeError(.unknownConfigField, subject: key, value: text,
                                        reason: "known fields: \(Self.allKeys.joined(separator: ", "))")
            }
            // Text fields take the text as written (envArgs={"k": 1} stays JSON text, name=42 a name); list fields
            // also take bare words (envWrappers=[atari], envServers=tcp://a:1,tcp://b:2).
            fields[key] = fields[key] is String ? text : fields[key] is [Any] ? Self.parseList(text) : Self.parse(text)
        }
        return try Self.decode(fields)
    }

    /// Decodes a config from a dictionary of field values, naming the field at fault on failure.
    static func decode(_ fields: [String: Any]) throws(ShoalRuntimeError) -> TrainingConfig {
        if let unknown = fields.keys.sorted().first(where: { !allKeys.contains($0) }) {
            throw ShoalRuntimeError(.unknownConfigField, subject: unknown, value: "\(fields[unknown] ?? "")",
                                    reason: "known fields: \(allKeys.joined(separator: ", "))")
        }
        let config: TrainingConfig
        do {
            config = try decodeJSON(fields)
        } catch {
            // Foundation cannot always say which key failed (a fraction for an integer field reports no coding
            // path), so find the field by decoding the defaults with one field of `fields` at a time.
            if let field = error.field ?? culprit(in: fields) {
                throw ShoalRuntimeError(.invalidConfigValue, subject: field, value: "\(fields[field] ?? "")",
                                        reason: error.field == nil ? Self.unlocatedReason : error.reason)
            }
            throw ShoalRuntimeError(.invalidConfigValue, subject: "?", reason: error.reason)
        }
        try config.validate()
        return config
    }

    private static func decodeJSON(_ fields: [String: Any]) throws(FieldDecodingError) -> TrainingConfig {
        do {
            let data = try JSONSerialization.data(withJSONObject: fields)
            return try JSONDecoder().decode(TrainingConfig.self, from: data)
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            throw FieldDecodingError(field: context.codingPath.first?.stringValue, reason: "expected \(describe(type))")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw FieldDecodingError(field: context.codingPath.first?.stringValue, reason: context.debugDescription)
        } catch {
            throw FieldDecodingError(field: nil, reason: "not a valid value for this field")
        }
    }

    /// The first field of `fields` that fails to decode on its own among the defaults.
    private static func culprit(in fields: [String: Any]) -> String? {
        guard let defaults = try? TrainingConfig().jsonObject() else { return nil }
        return fields.keys.sorted().first { key in
            var probe = defaults
            probe[key] = fields[key]
            return (try? decodeJSON(probe)) == nil
        }
    }

    /// Foundation reports no key for a number that does not fit an integer field (a fraction, a negative seed,
    /// an overflow): the only kind of failure found by `culprit`.
    private static let unlocatedReason = "expected a whole number in range"

    /// Field names that may be absent (optional fields set to nil are left out when encoding).
    static let optionalKeys: Set<String> = ["finalLearningRate", "targetReturn", "maxEnvSteps", "maxSeconds", "learnerGoneSeconds"]

    /// Every field name, sorted.
    static var allKeys: [String] {
        let present = (try? TrainingConfig().jsonObject().keys).map(Array.init) ?? []
        return Set(present).union(optionalKeys).sorted()
    }

    /// The config as a JSON-style dictionary.
    func jsonObject() throws(ShoalRuntimeError) -> [String: Any] {
        do {
            let data = try JSONEncoder().encode(self)
            return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        } catch {
            throw ShoalRuntimeError(.invalidConfigValue, subject: "?",
                                    reason: "cannot encode config: \(error)")
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

    /// Reads a list field's override: a JSON list, else words between optional brackets, split at commas.
    private static func parseList(_ text: String) -> Any {
        if let list = parse(text) as? [Any] { return list }
        let inner = text.hasPrefix("[") && text.hasSuffix("]") ? text.dropFirst().dropLast() : Substring(text)
        return inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private struct FieldDecodingError: Error {
        let field: String?
        let reason: String
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
