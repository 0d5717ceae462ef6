import Foundation
import ReferenceFixtures
import XCTest

/// The reference folders stand on the clone alone, and a folder of extra cases that cannot be read fails loudly.
final class ReferenceFixturesTests: XCTestCase {
    func testEveryKindOfCaseIsInTheRepository() throws {
        for kind in ["envs", "vtrace", "ppo"] {
            let files = try ReferenceFixtures.jsonFiles(kind, extraCasesVariable: "UNSET", environment: [:])
            XCTAssertFalse(files.isEmpty, kind)
            XCTAssertTrue(files.allSatisfy { $0.path.contains("/Tests/Fixtures/reference/\(kind)/") }, "\(files)")
        }
    }

    func testExtraFolderAddsItsFilesAfterTheBundledOnes() throws {
        let extra = try temporaryFolder(files: ["b.json", "a.json", "notes.txt"])
        let files = try ReferenceFixtures.jsonFiles("vtrace", extraCasesVariable: "X", environment: ["X": extra.path])
        XCTAssertEqual(files.suffix(2).map(\.lastPathComponent), ["a.json", "b.json"])
        XCTAssertEqual(files.first?.deletingLastPathComponent().lastPathComponent, "vtrace")
    }

    func testMissingExtraFolderFailsNamingIt() {
        let missing = "/nonexistent/shoal-cases-typo"
        XCTAssertThrowsError(
            try ReferenceFixtures.jsonFiles("envs", extraCasesVariable: "X", environment: ["X": missing])
        ) { error in
            XCTAssertTrue("\(error)".contains("\(missing) is missing"), "\(error)")
        }
    }

    func testExtraFolderWithoutJSONFilesFails() throws {
        let empty = try temporaryFolder(files: ["README.md"])
        XCTAssertThrowsError(
            try ReferenceFixtures.jsonFiles("ppo", extraCasesVariable: "X", environment: ["X": empty.path])
        ) { error in
            XCTAssertTrue("\(error)".contains("holds no *.json file"), "\(error)")
        }
    }

    private func temporaryFolder(files: [String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shoal-ref-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        for name in files { try Data("{}".utf8).write(to: folder.appendingPathComponent(name)) }
        return folder
    }
}
