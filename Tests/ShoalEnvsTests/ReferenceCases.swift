import Foundation
import XCTest

/// One file of `shared/testdata/envs/`: episodes recorded with gymnasium (format in shared/testdata/README.md).
struct ReferenceFile: Decodable {
    var env: String
    var maxEpisodeSteps: Int
    var stateLayout: String
    var episodes: [ReferenceEpisode]
}

/// One recorded episode: the state after reset, then per step the action and what gymnasium returned.
struct ReferenceEpisode: Decodable {
    var state: [Double]
    var initialObservation: [Double]
    var actions: [ReferenceAction]
    var observations: [[Double]]
    var rewards: [Double]
    var terminated: [Bool]
    var truncated: [Bool]
}

/// An action as recorded: a bare index for discrete environments, a list of values for continuous ones.
struct ReferenceAction: Decodable {
    var values: [Double]

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([Double].self) {
            values = list
        } else {
            values = [try container.decode(Double.self)]
        }
    }
}

enum ReferenceCases {
    /// `shared/testdata/envs`, found next to the repository this test file lives in (`X/main` beside `X/shared`).
    static var bundledFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // ShoalEnvsTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .deletingLastPathComponent()
            .appendingPathComponent("shared/testdata/envs")
    }

    /// The folders to replay: the bundled one and, when set, the one named by `SHOAL_ENV_CASES`.
    static var folders: [URL] {
        var folders = [bundledFolder]
        if let extra = ProcessInfo.processInfo.environment["SHOAL_ENV_CASES"], !extra.isEmpty {
            folders.append(URL(fileURLWithPath: extra))
        }
        return folders
    }

    /// Every `*.json` file in `folder`; fails (does not skip) when the folder is missing or holds none.
    static func files(in folder: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            XCTFail("reference folder \(folder.path) is missing: \(error)", file: file, line: line)
            throw error
        }
        let files = names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
        XCTAssertFalse(files.isEmpty, "no *.json reference files in \(folder.path)", file: file, line: line)
        return files
    }

    static func load(_ url: URL) throws -> ReferenceFile {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ReferenceFile.self, from: Data(contentsOf: url))
    }
}
