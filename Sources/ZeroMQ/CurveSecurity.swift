import CZeroMQ

/// A CurveZMQ long-term key pair, both keys in Z85 text (40 characters each).
public struct CurveKeyPair: Sendable, Hashable {
    /// The public key, safe to share (servers publish it; servers allow-list clients by it).
    public let publicKey: String
    /// The secret key; keep it out of logs.
    public let secretKey: String

    /// Makes a fresh random key pair.
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        var publicKey = [CChar](repeating: 0, count: z85KeyLength + 1)
        var secretKey = [CChar](repeating: 0, count: z85KeyLength + 1)
        try zmqCheck("zmq_curve_keypair") { zmq_curve_keypair(&publicKey, &secretKey) }
        return CurveKeyPair(validatedPublicKey: decodedKey(publicKey), secretKey: decodedKey(secretKey))
    }

    /// Rebuilds a key pair from its stored secret key, deriving the public key.
    public init(secretKey: String) throws(ZMQError) {
        try Self.validate(secretKey, role: "secret key")
        var publicKey = [CChar](repeating: 0, count: Self.z85KeyLength + 1)
        try zmqCheck("zmq_curve_public") { zmq_curve_public(&publicKey, secretKey) }
        self.init(validatedPublicKey: Self.decodedKey(publicKey), secretKey: secretKey)
    }

    /// Checks that `key` looks like a Z85-encoded CURVE key, so a typo fails here rather than as a silent
    /// handshake failure later.
    static func validate(_ key: String, role: String) throws(ZMQError) {
        let z85Alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")
        guard key.count == z85KeyLength, key.allSatisfy(z85Alphabet.contains) else {
            throw ZMQError(
                code: .invalidArgument, operation: "CURVE \(role)",
                message: "expected \(z85KeyLength) Z85 characters, got \(key.count) characters")
        }
    }

    private init(validatedPublicKey: String, secretKey: String) {
        self.publicKey = validatedPublicKey
        self.secretKey = secretKey
    }

    private static let z85KeyLength = 40

    private static func decodedKey(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Which side of a CurveZMQ handshake a socket plays.
public enum CurveSecurity: Sendable, Hashable {
    /// Accepts CURVE clients, proving itself with `keys`; pair with `SocketOptions.zapDomain` and a ZAP handler
    /// to allow-list client public keys.
    case server(keys: CurveKeyPair)
    /// Connects only to the server whose public key is `serverPublicKey`, authenticating itself with `keys`.
    case client(keys: CurveKeyPair, serverPublicKey: String)

    func apply(to handle: SocketHandle) throws(ZMQError) {
        switch self {
        case .server(let keys):
            try handle.setOption(.curveServer, Int32(1))
            try handle.setOption(.curveSecretKey, bytes: Array(keys.secretKey.utf8))
        case .client(let keys, let serverPublicKey):
            try CurveKeyPair.validate(serverPublicKey, role: "server public key")
            try handle.setOption(.curveServerKey, bytes: Array(serverPublicKey.utf8))
            try handle.setOption(.curvePublicKey, bytes: Array(keys.publicKey.utf8))
            try handle.setOption(.curveSecretKey, bytes: Array(keys.secretKey.utf8))
        }
    }
}
