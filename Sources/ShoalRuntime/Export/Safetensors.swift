import Foundation

/// The safetensors format (Hugging Face's; loaded by `safetensors.numpy.load_file`, PyTorch, JAX, without running
/// code): an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte range plus
/// string metadata under `__metadata__`, padded with spaces to 8 bytes, then the tensors' bytes.
enum Safetensors {
    /// The file's bytes for float32 `tensors` (name, shape, values), in the order given, and `metadata`.
    static func encode(_ tensors: [(name: String, shape: [Int], values: ArraySlice<Float>)],
                       metadata: [String: String]) throws -> [UInt8] {
        var header: [String: Any] = ["__metadata__": metadata]
        var offset = 0
        for tensor in tensors {
            precondition(tensor.shape.reduce(1, *) == tensor.values.count, "\(tensor.name): shape and values differ")
            let end = offset + 4 * tensor.values.count
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, end]]
                as [String: Any]
            offset = end
        }
        var json = Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        json += [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json
        bytes.reserveCapacity(bytes.count + offset)
        for tensor in tensors {
            // Float's memory is its little-endian IEEE 754 encoding on every platform Swift runs Shoal on.
            tensor.values.withUnsafeBytes { bytes += $0 }
        }
        return bytes
    }
}
