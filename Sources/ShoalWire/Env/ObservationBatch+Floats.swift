import Foundation
import ShoalCore

extension ObservationBatch {
    /// Writes every element as a Float into `output` (`count * layout.count` of them), converting from the wire
    /// dtype. Values keep their scale: a uint8 pixel 255 becomes 255.
    public func writeFloats(into output: UnsafeMutableBufferPointer<Float>) {
        let total = count * layout.count
        precondition(output.count >= total, "writeFloats needs room for \(total) values")
        data.withUnsafeBytes { raw in
            switch layout.dtype {
            case .float32: convert(raw, Float.self, total, output) { $0 }
            case .float64: convert(raw, Double.self, total, output) { Float($0) }
            case .float16: convert(raw, UInt16.self, total, output) { Float(Float16(bitPattern: $0)) }
            case .uint8, .bool: convert(raw, UInt8.self, total, output) { Float($0) }
            case .int8: convert(raw, Int8.self, total, output) { Float($0) }
            case .int16: convert(raw, Int16.self, total, output) { Float($0) }
            case .int32: convert(raw, Int32.self, total, output) { Float($0) }
            case .int64: convert(raw, Int64.self, total, output) { Float($0) }
            }
        }
    }

    /// The observations as Floats, [count, layout.count].
    public func floats() -> [Float] {
        [Float](unsafeUninitializedCapacity: count * layout.count) { buffer, initialized in
            writeFloats(into: buffer)
            initialized = buffer.count
        }
    }

    /// The observations as Shoal keeps them: bytes for uint8 and bool, floats for every other dtype.
    public func observationData() -> ObservationData {
        switch layout.dtype {
        case .uint8, .bool: return .uint8([UInt8](data))
        default: return .float32(floats())
        }
    }

    /// The index of the first element that is NaN or infinite, or becomes infinite as a Float.
    func firstNonFinite() -> Int? {
        let total = count * layout.count
        return data.withUnsafeBytes { raw -> Int? in
            switch layout.dtype {
            case .float32: return firstIndex(raw, Float.self, total) { !$0.isFinite }
            case .float64: return firstIndex(raw, Double.self, total) { !Float($0).isFinite }
            case .float16: return firstIndex(raw, UInt16.self, total) { !Float16(bitPattern: $0).isFinite }
            case .bool, .uint8, .int8, .int16, .int32, .int64: return nil
            }
        }
    }
}

/// Element by element, from possibly unaligned wire bytes.
private func convert<Element: BitwiseCopyable>(
    _ raw: UnsafeRawBufferPointer, _: Element.Type, _ total: Int, _ output: UnsafeMutableBufferPointer<Float>,
    _ transform: (Element) -> Float
) {
    let stride = MemoryLayout<Element>.stride
    for index in 0..<total {
        output[index] = transform(raw.loadUnaligned(fromByteOffset: index * stride, as: Element.self))
    }
}

private func firstIndex<Element: BitwiseCopyable>(
    _ raw: UnsafeRawBufferPointer, _: Element.Type, _ total: Int, _ predicate: (Element) -> Bool
) -> Int? {
    let stride = MemoryLayout<Element>.stride
    return (0..<total).first { predicate(raw.loadUnaligned(fromByteOffset: $0 * stride, as: Element.self)) }
}
