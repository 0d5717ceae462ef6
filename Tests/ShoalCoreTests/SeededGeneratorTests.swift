@testable import ShoalCore
import XCTest

final class SeededGeneratorTests: XCTestCase {
    func testSavedStateResumesTheSameStream() throws {
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<10 { _ = generator.next() }
        var restored = try XCTUnwrap(SeededGenerator(stateWords: generator.stateWords))
        XCTAssertEqual((0..<5).map { _ in generator.next() }, (0..<5).map { _ in restored.next() })
        XCTAssertNil(SeededGenerator(stateWords: [0, 0, 0, 0]))
    }

    func testUnitFloatsAreInRangeAndSpread() {
        var generator = SeededGenerator(seed: 1)
        let draws = (0..<10_000).map { _ in generator.nextUnitFloat() }
        XCTAssertTrue(draws.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(Double(draws.reduce(0, +)) / 10_000, 0.5, accuracy: 0.02)
    }
}
