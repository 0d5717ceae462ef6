/// A complete checkpoint file in a store directory, as named by its version.
public struct CheckpointFile: Sendable, Equatable {
    /// The version in the file name (checked against the contents on load).
    public var version: UInt64
    /// Full path of the file.
    public var path: String

    /// The file for `version` inside `directory`.
    init(version: UInt64, directory: String) {
        self.version = version
        self.path = directory + "/" + Self.name(version: version)
    }

    /// "ckpt-000000000042.shoal": zero-padded so that listing a directory shows versions in order.
    static func name(version: UInt64) -> String {
        let digits = String(version)
        return "ckpt-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits + ".shoal"
    }

    /// The version a checkpoint file name stands for, or nil for any other name (temporary files included).
    static func version(fromName name: String) -> UInt64? {
        guard name.hasPrefix("ckpt-"), name.hasSuffix(".shoal") else { return nil }
        guard let version = UInt64(name.dropFirst("ckpt-".count).dropLast(".shoal".count)) else { return nil }
        // Only the exact name save writes counts, so "ckpt-42.shoal" cannot shadow "ckpt-000000000042.shoal".
        return name == self.name(version: version) ? version : nil
    }

    /// ".ckpt-000000000042.shoal.<pid>.tmp": hidden, and never parsed as a checkpoint.
    static func temporaryName(version: UInt64, processID: Int32) -> String {
        "." + name(version: version) + ".\(processID).tmp"
    }

    /// Whether a name is a temporary file left by `save`, finished or not.
    static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".ckpt-") && name.hasSuffix(".tmp")
    }
}

/// A checkpoint read back from a store, with the file it came from.
public struct LoadedCheckpoint: Sendable, Equatable {
    /// The file that was read.
    public var file: CheckpointFile
    /// Its validated contents.
    public var state: CheckpointState
}
