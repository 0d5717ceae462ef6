import Foundation
import ZeroMQ

/// Shoal's CURVE key files, written by `shoal keygen NAME`:
///
/// - `NAME.key`: the secret key, mode 0600. Lines starting with `#` are comments; the one other line is the
///   40-character Z85 secret key (the public key is derived from it).
/// - `NAME.pub`: the public key in the same format, safe to copy to peers and allow-lists.
///
/// An allow-list is either a file with one Z85 public key per line (comments allowed) or a directory whose `*.pub`
/// files each hold one.
public enum CurveKeyFiles {
    /// Writes a fresh key pair as `directory/NAME.key` and `directory/NAME.pub`; refuses to overwrite either.
    /// Returns the key pair.
    @discardableResult
    public static func generate(name: String, directory: String) throws(ShoalRuntimeError) -> CurveKeyPair {
        guard !name.isEmpty, !name.contains("/") else {
            throw ShoalRuntimeError(.cannotCreate, subject: name,
                                    reason: "a key name must be non-empty and contain no '/'")
        }
        let secretPath = "\(directory)/\(name).key"
        let publicPath = "\(directory)/\(name).pub"
        for path in [secretPath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw ShoalRuntimeError(.keyFileExists, subject: path, reason: "it would be overwritten")
        }
        let keys: CurveKeyPair
        do {
            keys = try CurveKeyPair.generate()
        } catch {
            throw ShoalRuntimeError(.cannotCreate, subject: "a CURVE key pair", reason: "\(error)")
        }
        try write("# Shoal CURVE secret key '\(name)': keep it private\n\(keys.secretKey)\n",
                  to: secretPath, mode: 0o600)
        try write("# Shoal CURVE public key '\(name)'\n\(keys.publicKey)\n", to: publicPath, mode: 0o644)
        return keys
    }

    /// The key pair whose secret key `path` holds.
    public static func readKeyPair(_ path: String) throws(ShoalRuntimeError) -> CurveKeyPair {
        let secret = try readKey(path)
        do {
            return try CurveKeyPair(secretKey: secret)
        } catch {
            throw ShoalRuntimeError(.badKeyFile, subject: path,
                                    reason: "does not hold a CURVE secret key: \(error.message)")
        }
    }

    /// The public key `path` holds (a `.pub` file).
    public static func readPublicKey(_ path: String) throws(ShoalRuntimeError) -> String {
        let key = try readKey(path)
        guard Z85.isKey(key) else {
            throw ShoalRuntimeError(.badKeyFile, subject: path,
                                    reason: "does not hold a CURVE public key (40 Z85 characters)")
        }
        return key
    }

    /// The public keys of an allow-list: a file of keys, one a line, or a directory of `*.pub` files.
    public static func readAllowList(_ path: String) throws(ShoalRuntimeError) -> Set<String> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ShoalRuntimeError(.notFound, subject: path,
                                    reason: "no allow-list there (a file of public keys or a directory of .pub files)")
        }
        guard isDirectory.boolValue else {
            let keys = try keyLines(path)
            for key in keys where !Z85.isKey(key) {
                throw ShoalRuntimeError(.badKeyFile, subject: path,
                                        reason: "allow-list line '\(key)' is not a public key")
            }
            return Set(keys)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var keys: Set<String> = []
        for name in names.sorted() where name.hasSuffix(".pub") {
            keys.insert(try readPublicKey("\(path)/\(name)"))
        }
        return keys
    }

    private static func readKey(_ path: String) throws(ShoalRuntimeError) -> String {
        let lines = try keyLines(path)
        guard lines.count == 1, let key = lines.first else {
            throw ShoalRuntimeError(.badKeyFile, subject: path, reason: "should hold one key line, has \(lines.count)")
        }
        return key
    }

    /// The file's lines that are neither blank nor comments, trimmed.
    private static func keyLines(_ path: String) throws(ShoalRuntimeError) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ShoalRuntimeError(.inputOutput, subject: path, reason: "cannot read it as a key file")
        }
        return text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// Creates `path` with `mode` (before the umask), failing if it exists (O_EXCL), so a secret key is never
    /// readable by others even for a moment and no key is replaced by mistake.
    private static func write(_ text: String, to path: String, mode: mode_t) throws(ShoalRuntimeError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ShoalRuntimeError(errno == EEXIST ? .keyFileExists : .cannotCreate, subject: path, reason: reason)
        }
        defer { Glibc.close(descriptor) }
        let bytes = Array(text.utf8)
        guard Glibc.write(descriptor, bytes, bytes.count) == bytes.count else {
            throw ShoalRuntimeError(.inputOutput, subject: path, reason: String(cString: strerror(errno)))
        }
    }
}
