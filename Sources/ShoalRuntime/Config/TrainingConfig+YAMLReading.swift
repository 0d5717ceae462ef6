import Foundation
import Yams

extension TrainingConfig {
    /// Reads a YAML config file: a mapping of field names to values; fields it leaves out keep their defaults.
    public static func load(contentsOf path: String) throws(ShoalRuntimeError) -> TrainingConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ShoalRuntimeError(.unreadableConfig, subject: path, reason: error.localizedDescription)
        }
        return try TrainingConfig(yaml: text, source: path)
    }

    /// Parses YAML config text; `source` names the text (usually its file path) in error messages.
    public init(yaml text: String, source: String = "config") throws(ShoalRuntimeError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ShoalRuntimeError(.unreadableConfig, subject: source, reason: "not valid YAML: \(error)")
        }
        var fields = try TrainingConfig().jsonObject()
        var written: [String: (text: String, line: Int?)] = [:]
        if let root {
            guard let mapping = root.mapping else {
                throw ShoalRuntimeError(
                    .unreadableConfig, subject: source,
                    reason: "expected a mapping of field names to values, like 'learningRate: 3e-4'")
            }
            for (keyNode, valueNode) in mapping {
                let key = keyNode.scalar?.string ?? Self.describe(keyNode)
                let line = keyNode.mark?.line
                let shown = Self.describe(valueNode)
                written[key] = (shown, line)  // Yams has already rejected keys given twice
                guard Self.allKeys.contains(key) else {
                    fields[key] = shown  // left for decode(_:), which rejects it listing the known fields
                    continue
                }
                do throws(ShoalRuntimeError) {
                    fields[key] = try Self.jsonValue(of: valueNode, field: key)
                } catch {
                    throw error.located(in: source, line: line)
                }
            }
        }
        do throws(ShoalRuntimeError) {
            self = try Self.decode(fields)
        } catch {
            // Report the value as the file wrote it, and where, rather than as the decoder saw it.
            let origin = written[error.subject]
            throw ShoalRuntimeError(error.code, subject: error.subject, value: origin?.text ?? error.value,
                                    reason: error.reason)
                .located(in: source, line: origin?.line)
        }
    }

    /// Fields whose values are text (names and enum cases): they take a scalar as written, so `name: 2024` or
    /// `name: no` stay text instead of becoming a number or a YAML 1.1 boolean.
    private static let textKeys: Set<String> = {
        let defaults = (try? TrainingConfig().jsonObject()) ?? [:]
        return Set(defaults.compactMap { $0.value is String ? $0.key : nil })
    }()

    /// Fields that hold integers (or lists of them).
    private static let integerKeys: Set<String> = {
        let integerTypes: [Any.Type] = [Int.self, Int?.self, UInt64.self, [Int].self]
        return Set(Mirror(reflecting: TrainingConfig()).children.compactMap { child in
            let type = type(of: child.value)
            return integerTypes.contains { $0 == type } ? child.label : nil
        })
    }()

    /// A node as YAML-like text for messages.
    private static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return scalar.string
        case .alias(let alias): return "*\(alias.anchor.rawValue)"
        case .sequence(let sequence): return "[" + sequence.map(describe).joined(separator: ", ") + "]"
        case .mapping(let mapping):
            return "{" + mapping.map { "\(describe($0.key)): \(describe($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// A YAML value as the JSON-style value `decode(_:)` expects.
    private static func jsonValue(of node: Node, field: String) throws(ShoalRuntimeError) -> Any {
        switch node {
        case .scalar(let scalar):
            let value = node.any
            if textKeys.contains(field) && !(value is NSNull) { return scalar.string }
            switch value {
            case let number as Double where !number.isFinite:
                // JSON has no infinities or NaN; as text the decoder rejects it naming the field.
                return scalar.string
            case let number as Double where integerKeys.contains(field) && number != number.rounded():
                // Checked here because JSONDecoder reports a fraction for an integer without naming the field.
                throw ShoalRuntimeError(.invalidConfigValue, subject: field, value: scalar.string,
                                        reason: "expected an integer")
            case is Int, is Double, is Bool, is NSNull, is String:
                if value is String, node.tag.rawValue == Tag.Name.int.rawValue,
                   let large = UInt64.construct(from: scalar)
                {
                    return NSNumber(value: large)  // beyond Int.max, e.g. a 64-bit seed
                }
                return value
            default:
                return scalar.string  // timestamps and binary: let the decoder reject the text
            }
        case .sequence(let sequence):
            var elements: [Any] = []
            for element in sequence {
                elements.append(try jsonValue(of: element, field: field))
            }
            return elements
        case .mapping, .alias:
            throw ShoalRuntimeError(.invalidConfigValue, subject: field, value: describe(node),
                                    reason: "expected a single value or a list, not a nested mapping")
        }
    }
}

extension ShoalRuntimeError {
    /// The same error with the file and line it came from appended to the reason.
    func located(in source: String, line: Int?) -> ShoalRuntimeError {
        let place = line.map { "\(source):\($0)" } ?? source
        return ShoalRuntimeError(code, subject: subject, value: value, reason: "\(reason) (at \(place))")
    }
}
