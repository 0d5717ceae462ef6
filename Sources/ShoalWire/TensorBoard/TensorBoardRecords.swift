import Foundation
import ShoalCore
import SwiftProtobuf

/// Records of a TensorBoard event file: TensorBoard's `Event` messages (proto/tensorboard/event.proto) framed as
/// TFRecords, ready to append. A file starts with `fileVersion`; each later record holds summaries at a step.
public enum TensorBoardRecords {
    /// The first record of every event file.
    public static func fileVersion(wallTime: Double) -> [UInt8] {
        var event = Tensorboard_Event()
        event.wallTime = wallTime
        event.fileVersion = "brain.Event:2"
        return framed(event)
    }

    /// One record of scalar summaries, a value per tag, at `step`.
    public static func scalars(_ values: [String: Double], step: Int, wallTime: Double) -> [UInt8] {
        var event = Tensorboard_Event()
        event.wallTime = wallTime
        event.step = Int64(step)
        event.summary.value = values.keys.sorted().map { tag in
            var value = Tensorboard_Summary.Value()
            value.tag = tag
            value.simpleValue = Float(values[tag]!)
            return value
        }
        return framed(event)
    }

    /// One record of a text summary (TensorBoard's Text tab renders it as Markdown) at `step`.
    public static func text(_ text: String, tag: String, step: Int, wallTime: Double) -> [UInt8] {
        var value = Tensorboard_Summary.Value()
        value.tag = tag
        value.metadata.pluginData.pluginName = "text"
        value.tensor.dtype = .dtString
        value.tensor.tensorShape = Tensorboard_TensorShapeProto()  // a scalar
        value.tensor.stringVal = [Data(text.utf8)]
        var event = Tensorboard_Event()
        event.wallTime = wallTime
        event.step = Int64(step)
        event.summary.value = [value]
        return framed(event)
    }

    /// A TFRecord: the data's length (u64, little-endian), the masked CRC-32C of those 8 bytes, the data, and the
    /// masked CRC-32C of the data.
    static func framed(_ event: Tensorboard_Event) -> [UInt8] {
        // Serializing a message of these fields cannot fail.
        let data: [UInt8] = (try? event.serializedBytes()) ?? []
        var length = UInt64(data.count).littleEndian
        let lengthBytes = withUnsafeBytes(of: &length) { Array($0) }
        var record = lengthBytes
        record.reserveCapacity(16 + data.count)
        appendLittleEndian(maskedCRC(lengthBytes), to: &record)
        record += data
        appendLittleEndian(maskedCRC(data), to: &record)
        return record
    }

    /// TFRecord's mask over CRC-32C, so that a CRC of data holding CRCs is not itself a CRC of that data.
    static func maskedCRC(_ bytes: [UInt8]) -> UInt32 {
        let crc = crc32c(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xa282_ead8
    }

    private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
