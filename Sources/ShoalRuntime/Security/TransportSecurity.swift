import ZeroMQ

/// The learner's CurveZMQ setup: its key pair, and the public keys of the actors it accepts.
public struct LearnerSecurity: Sendable {
    /// The learner's long-term key pair; actors are given its public key.
    public var keys: CurveKeyPair
    /// Z85 public keys of the actors allowed to connect (to send rollouts or to receive weights).
    public var allowedActorKeys: Set<String>

    /// Makes the setup.
    public init(keys: CurveKeyPair, allowedActorKeys: Set<String>) {
        self.keys = keys
        self.allowedActorKeys = allowedActorKeys
    }

    /// The ZAP domain of the learner's sockets; its `ZAPHandler` answers for this domain only.
    static let zapDomain = "shoal"
}

/// An actor's CurveZMQ setup: its key pair, and the learner's public key, which it checks the learner against.
public struct ActorSecurity: Sendable {
    /// The actor's long-term key pair; its public key must be on the learner's allow-list.
    public var keys: CurveKeyPair
    /// The learner's Z85 public key.
    public var learnerPublicKey: String

    /// Makes the setup.
    public init(keys: CurveKeyPair, learnerPublicKey: String) {
        self.keys = keys
        self.learnerPublicKey = learnerPublicKey
    }

    /// CURVE client settings for the actor's sockets.
    var curve: CurveSecurity { .client(keys: keys, serverPublicKey: learnerPublicKey) }
}
