import Foundation
import XCTest

/// Locates `shared/testdata`, which sits beside the repository: <parent>/main (this repo) and <parent>/shared.
enum ReferenceData {
    static var repositoryRoot: URL {
        // Tests/ShoalCoreTests/ReferenceData.swift → repository root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Every `*.json` file in `shared/testdata/<folder>`, plus those in the folder named by `environmentVariable`.
    static func jsonFiles(folder: String, environmentVariable: String) throws -> [URL] {
        let shared = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/testdata/\(folder)")
        var folders = [shared]
        if let extra = ProcessInfo.processInfo.environment[environmentVariable], !extra.isEmpty {
            folders.append(URL(fileURLWithPath: extra))
        }
        var files: [URL] = []
        for directory in folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            files += names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
        }
        XCTAssertFalse(files.isEmpty, "no reference data in \(folders.map(\.path))")
        return files
    }
}
