import Yams

extension TrainingConfig {
    /// The config as YAML: every field in declaration order, unset optional fields as null. Loading the text gives
    /// back an equal config.
    public func yamlText() -> String {
        Mirror(reflecting: self).children.map { child in
            "\(child.label ?? "?"): \(Self.yamlValue(child.value))\n"
        }.joined()
    }

    /// One field's value as a YAML flow value.
    private static func yamlValue(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.map { yamlValue($0.value) } ?? "null"
        }
        switch value {
        case let text as String: return yamlText(text)
        case let choice as any RawRepresentable<String>: return yamlText(choice.rawValue)
        case let number as Float: return yamlNumber(Double(number), text: "\(number)")
        case let number as Double: return yamlNumber(number, text: "\(number)")
        case let integer as any BinaryInteger: return "\(integer)"
        case let flag as Bool: return flag ? "true" : "false"
        case let minibatches as Minibatches: return minibatches.description
        case let list as [Any]: return "[" + list.map(yamlValue).joined(separator: ", ") + "]"
        default: preconditionFailure("TrainingConfig has a field of a type YAML writing does not know: \(mirror)")
        }
    }

    /// Swift's shortest round-tripping decimal, which YAML reads as a float; YAML's own spelling of the rest.
    private static func yamlNumber(_ number: Double, text: String) -> String {
        if number.isNaN { return ".nan" }
        if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
        return text
    }

    /// Text plain when YAML reads it back unchanged (not as a number, boolean, null or syntax), else quoted.
    private static func yamlText(_ text: String) -> String {
        if let read = try? Yams.load(yaml: text) as? String, read == text { return text }
        return text.jsonQuoted
    }
}
