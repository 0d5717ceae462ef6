/// How many minibatches APPO splits each batch's environments (columns) into per pass: `auto`, one per
/// `columnsPerMinibatch` environments whatever the batch's width, or a fixed count. Written `auto` or a number.
public enum Minibatches: Sendable, Equatable, Codable, CustomStringConvertible {
    case auto
    case count(Int)

    /// Environments in each of `auto`'s minibatches: the default's 16 built-in environments make 4 minibatches, a
    /// served run's 128 per server 32, so a minibatch holds as many samples (and each env step gets as many
    /// optimizer steps) either way.
    public static let columnsPerMinibatch = 4
    /// The most minibatches `auto` or a count may give.
    public static let limit = 64

    /// The minibatches for a batch `columns` environments wide.
    public func count(forColumns columns: Int) -> Int {
        switch self {
        case .auto: min(Self.limit, max(1, columns / Self.columnsPerMinibatch))
        case .count(let count): count
        }
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .count(let count): "\(count)"
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        // An override (`--set minibatches=8`) of a field whose default is text arrives as text.
        let text = try? container.decode(String.self)
        if let count = (try? container.decode(Int.self)) ?? text.flatMap(Int.init) {
            self = .count(count)
        } else if text == "auto" {
            self = .auto
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected auto or a whole number")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .auto: try container.encode("auto")
        case .count(let count): try container.encode(count)
        }
    }
}
