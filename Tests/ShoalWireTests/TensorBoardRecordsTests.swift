import XCTest

@testable import ShoalWire

/// TensorBoard event records: TFRecord framing around TensorBoard's `Event`.
final class TensorBoardRecordsTests: XCTestCase {
    /// TFRecord's masked CRC-32C, against the figures of TensorBoard's own Python writer (`masked_crc32c`).
    func testTheMaskedCRCIsTFRecords() {
        XCTAssertEqual(TensorBoardRecords.maskedCRC(Array("123456789".utf8)), 3_347_755_237)
        XCTAssertEqual(TensorBoardRecords.maskedCRC([42, 0, 0, 0, 0, 0, 0, 0]), 4_119_956_910)
    }

    /// A record is the length, its masked CRC, one Event and the Event's masked CRC; the Event holds what was written.
    func testScalarsAreOneFramedEvent() throws {
        let record = TensorBoardRecords.scalars(["losses/entropy": 0.25, "charts/SPS": 4012.5], step: 1280,
                                                wallTime: 1.5)
        let length = record[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(record.count, 8 + 4 + length + 4)
        XCTAssertEqual(Array(record[8..<12]), littleEndian(TensorBoardRecords.maskedCRC(Array(record[0..<8]))))
        let data = Array(record[12..<(12 + length)])
        XCTAssertEqual(Array(record[(12 + length)...]), littleEndian(TensorBoardRecords.maskedCRC(data)))
        let event = try Tensorboard_Event(serializedBytes: data)
        XCTAssertEqual(event.step, 1280)
        XCTAssertEqual(event.wallTime, 1.5)
        XCTAssertEqual(event.summary.value.map(\.tag), ["charts/SPS", "losses/entropy"])
        XCTAssertEqual(event.summary.value.map(\.simpleValue), [4012.5, 0.25])
    }

    /// Text goes to TensorBoard's text plugin as a scalar string tensor.
    func testTextIsAStringTensorForTheTextPlugin() throws {
        let record = TensorBoardRecords.text("env: CartPole-v1", tag: "config", step: 3, wallTime: 2)
        let event = try Tensorboard_Event(serializedBytes: Array(record[12..<(record.count - 4)]))
        let value = try XCTUnwrap(event.summary.value.first)
        XCTAssertEqual(value.metadata.pluginData.pluginName, "text")
        XCTAssertEqual(value.tensor.dtype, .dtString)
        XCTAssertEqual(value.tensor.stringVal, [Data("env: CartPole-v1".utf8)])
        XCTAssertTrue(value.tensor.tensorShape.dim.isEmpty, "a scalar")
    }

    private func littleEndian(_ value: UInt32) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
