/// One length-prefixed section of a format-1 checkpoint body, in file order.
enum CheckpointSection: CaseIterable {
    case parameters
    case optimizerTensors
    case optimizerScalars
    case counters
    case randomState
    case metadata

    /// Four ASCII characters, readable in a hex dump.
    var name: String {
        switch self {
        case .parameters: return "PARM"
        case .optimizerTensors: return "OPTT"
        case .optimizerScalars: return "OPTS"
        case .counters: return "CNTR"
        case .randomState: return "RNGS"
        case .metadata: return "META"
        }
    }

    /// The name's four bytes read as a little-endian u32, so the file shows the name in order.
    var tag: UInt32 {
        name.utf8.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The printable name of a tag read from a file, or its hex value when it is not four printable characters.
    static func name(of tag: UInt32) -> String {
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: tag >> ($0 * 8)) }
        guard bytes.allSatisfy({ (0x20..<0x7F).contains($0) }) else { return "0x" + String(tag, radix: 16) }
        return String(decoding: bytes, as: UTF8.self)
    }

    func encode(_ state: CheckpointState, into writer: inout CheckpointByteWriter) {
        switch self {
        case .parameters:
            writer.append(floats: state.parameters)
        case .optimizerTensors:
            writer.append(UInt32(state.optimizerTensors.count))
            for (name, tensor) in state.optimizerTensors.sorted(by: { $0.key < $1.key }) {
                writer.append(string: name)
                writer.append(floats: tensor)
            }
        case .optimizerScalars:
            writer.append(UInt32(state.optimizerScalars.count))
            for (name, value) in state.optimizerScalars.sorted(by: { $0.key < $1.key }) {
                writer.append(string: name)
                writer.append(value.bitPattern)
            }
        case .counters:
            writer.append(UInt32(state.counters.count))
            for (name, value) in state.counters.sorted(by: { $0.key < $1.key }) {
                writer.append(string: name)
                writer.append(value)
            }
        case .randomState:
            writer.append(UInt32(state.randomState.count))
            for word in state.randomState { writer.append(word) }
        case .metadata:
            writer.append(UInt32(state.metadata.count))
            for (key, value) in state.metadata.sorted(by: { $0.key < $1.key }) {
                writer.append(string: key)
                writer.append(string: value)
            }
        }
    }

    func decode(from reader: inout CheckpointByteReader, into state: inout CheckpointState) throws {
        // Smallest possible entry: a u32 name length plus the value (a float array's count is a u64).
        switch self {
        case .parameters:
            state.parameters = try reader.readFloats()
        case .optimizerTensors:
            state.optimizerTensors = try readMap(&reader, entryMinimumSize: 12) { try $0.readFloats() }
        case .optimizerScalars:
            state.optimizerScalars = try readMap(&reader, entryMinimumSize: 12) {
                Double(bitPattern: try $0.read(UInt64.self))
            }
        case .counters:
            state.counters = try readMap(&reader, entryMinimumSize: 12) { try $0.read(Int64.self) }
        case .randomState:
            let count = try reader.readCount(elementMinimumSize: 8)
            state.randomState = try (0..<count).map { _ in try reader.read(UInt64.self) }
        case .metadata:
            state.metadata = try readMap(&reader, entryMinimumSize: 8) { try $0.readString() }
        }
    }

    private func readMap<Value>(
        _ reader: inout CheckpointByteReader,
        entryMinimumSize: Int,
        value readValue: (inout CheckpointByteReader) throws -> Value
    ) throws -> [String: Value] {
        let count = try reader.readCount(elementMinimumSize: entryMinimumSize)
        var map = [String: Value](minimumCapacity: count)
        for _ in 0..<count {
            let key = try reader.readString()
            guard map.updateValue(try readValue(&reader), forKey: key) == nil else {
                throw reader.malformed("holds the key \"\(key)\" twice")
            }
        }
        return map
    }
}
