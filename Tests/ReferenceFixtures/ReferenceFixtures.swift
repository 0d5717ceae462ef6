import Foundation

/// Reference data made by independent implementations (gymnasium, rlax), kept in `Tests/Fixtures/reference`; its
/// README says what made each file, the formats and the tolerances.
public enum ReferenceFixtures {
    /// `Tests/Fixtures/reference` in the clone this file was compiled from, wherever that clone is.
    public static var root: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // ReferenceFixtures
            .deletingLastPathComponent()  // Tests
            .appendingPathComponent("Fixtures/reference")
    }

    /// The folders of one kind of case (`envs`, `vtrace`, `ppo`): the bundled one, then the folder named by
    /// `extraCasesVariable` (such as `SHOAL_VTRACE_CASES`) when it is set.
    public static func folders(
        _ kind: String, extraCasesVariable: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [URL] {
        var folders = [root.appendingPathComponent(kind)]
        if let extra = environment[extraCasesVariable], !extra.isEmpty {
            folders.append(URL(fileURLWithPath: extra))
        }
        return folders
    }

    /// Every `*.json` file of one kind, folder by folder, sorted by name within each. Throws when a folder is
    /// missing or holds no `*.json` file, so a mistyped `SHOAL_*_CASES` fails the test instead of passing unread.
    public static func jsonFiles(
        _ kind: String, extraCasesVariable: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> [URL] {
        try folders(kind, extraCasesVariable: extraCasesVariable, environment: environment).flatMap { folder in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ReferenceFixtureError(folder: folder, problem: "is missing")
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            let files = names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
            if files.isEmpty { throw ReferenceFixtureError(folder: folder, problem: "holds no *.json file") }
            return files
        }
    }
}

/// A folder of reference cases that cannot be read.
public struct ReferenceFixtureError: Error, CustomStringConvertible {
    public let folder: URL
    public let problem: String

    public var description: String { "reference folder \(folder.path) \(problem)" }
}
