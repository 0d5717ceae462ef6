import Foundation

/// Element types whose in-memory bytes are their little-endian wire encoding.
protocol TensorElement: BitwiseCopyable {
    static var dtype: Shoal_V1_DType { get }
}

extension Float: TensorElement {
    static var dtype: Shoal_V1_DType { .float32 }
}

extension Int32: TensorElement {
    static var dtype: Shoal_V1_DType { .int32 }
}

extension Int64: TensorElement {
    static var dtype: Shoal_V1_DType { .int64 }
}

extension UInt8: TensorElement {
    static var dtype: Shoal_V1_DType { .uint8 }
}

extension Shoal_V1_Tensor {
    /// A tensor of `values` laid out row-major with `shape`.
    init<Element: TensorElement>(_ values: [Element], shape: [Int]) {
        self.init()
        dtype = Element.dtype
        self.shape = shape.map { Int64($0) }
        data = values.withUnsafeBytes { Data($0) }
    }

    /// A uint8 tensor of 0/1 flags.
    init(flags: [Bool], shape: [Int]) {
        self.init()
        dtype = .uint8
        self.shape = shape.map { Int64($0) }
        // A Bool is one byte holding 0 or 1, so its memory already is the uint8 encoding.
        data = flags.withUnsafeBytes { Data($0) }
    }

    /// The elements and shape of a tensor that must hold `Element`s, copied out of `data` in one block copy.
    func values<Element: TensorElement>(
        _: Element.Type, field: String
    ) throws(WireError) -> (values: [Element], shape: [Int]) {
        guard dtype == Element.dtype else {
            throw WireError(.shapeMismatch(field), "\(field) has dtype \(dtype), expected \(Element.dtype)")
        }
        let dimensions = try checkedDimensions(field: field)
        let count = dimensions.reduce(1, *)  // cannot overflow: checkedDimensions bounded the product
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Element>.stride)
        guard !overflow, byteCount == data.count else {
            throw WireError(
                .malformed, "\(field) has shape \(dimensions) of \(dtype) but \(data.count) bytes of data")
        }
        let values = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            initialized = count
        }
        return (values, dimensions)
    }

    /// The flags and shape of a uint8 tensor whose every element must be 0 or 1.
    func flags(field: String) throws(WireError) -> (values: [Bool], shape: [Int]) {
        let (bytes, shape) = try values(UInt8.self, field: field)
        guard allZeroOrOne(bytes) else { throw WireError(.outOfRange(field), "\(field) holds a flag other than 0 or 1") }
        // Bytes of 0 and 1 are exactly the memory of false and true, so a block copy converts them.
        let flags = [Bool](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            initialized = bytes.count
        }
        return (flags, shape)
    }

    /// `shape` as Ints, refusing negative dimensions and products that overflow.
    private func checkedDimensions(field: String) throws(WireError) -> [Int] {
        var product = 1
        var dimensions: [Int] = []
        dimensions.reserveCapacity(shape.count)
        for dimension in shape {
            guard let size = Int(exactly: dimension), size >= 0 else {
                throw WireError(.malformed, "\(field) has a negative dimension in shape \(shape)")
            }
            let (next, overflow) = product.multipliedReportingOverflow(by: size)
            guard !overflow else { throw WireError(.malformed, "\(field) has shape \(shape) too large to address") }
            product = next
            dimensions.append(size)
        }
        return dimensions
    }
}

/// Whether every byte is 0 or 1.
func allZeroOrOne(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
        // An OR over every byte has no early exit, so it vectorises; only bit 0 may ever be set.
        var union: UInt8 = 0
        for byte in buffer { union |= byte }
        return union <= 1
    }
}

/// The dimensions of `shape` after `leading`, which must match exactly; `rank`, when given, is the rank required.
func dimensions(of shape: [Int], after leading: [Int], rank: Int? = nil, field: String) throws(WireError) -> [Int] {
    guard shape.starts(with: leading), shape.count >= leading.count, rank.map({ shape.count == $0 }) ?? true else {
        let rest = rank.map { "\($0 - leading.count) more dimension(s)" } ?? "any further dimensions"
        throw WireError(.shapeMismatch(field), "\(field) has shape \(shape), expected \(leading) then \(rest)")
    }
    return Array(shape.dropFirst(leading.count))
}

/// `value` if the sender set it: proto3 reads an absent message field as its default, so presence is checked apart.
func required<Value>(_ value: Value, present: Bool, field: String) throws(WireError) -> Value {
    guard present else { throw WireError(.missingField(field), "\(field) is absent") }
    return value
}
