import ZeroMQ

/// The learner's CurveZMQ setup: its key pair, and the public keys of the actors it accepts.
public struct LearnerSecurity: Sendable {
    /// The learner's long-term key pair; actors are given its public key.
    public var keys: CurveKeyPair
    /// Z85 public keys of the actors allowed to connect (to send rollouts or to receive weights).
    public var allowedActorKeys: Set<String>
    /// The environment servers' Z85 public key, when the learner asks one what it hosts over CURVE.
    public var envServerPublicKey: String?

    /// Makes the setup.
    public init(keys: CurveKeyPair, allowedActorKeys: Set<String>, envServerPublicKey: String? = nil) {
        self.keys = keys
        self.allowedActorKeys = allowedActorKeys
        self.envServerPublicKey = envServerPublicKey
    }

    /// CURVE client settings towards environment servers, with the learner's own key pair.
    var envServerCurve: CurveSecurity? {
        envServerPublicKey.map { .client(keys: keys, serverPublicKey: $0) }
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
    /// The environment servers' Z85 public key, when the actor steps them over CURVE.
    public var envServerPublicKey: String?

    /// Makes the setup.
    public init(keys: CurveKeyPair, learnerPublicKey: String, envServerPublicKey: String? = nil) {
        self.keys = keys
        self.learnerPublicKey = learnerPublicKey
        self.envServerPublicKey = envServerPublicKey
    }

    /// CURVE client settings for the actor's sockets.
    var curve: CurveSecurity { .client(keys: keys, serverPublicKey: learnerPublicKey) }

    /// CURVE client settings towards environment servers, with the actor's own key pair.
    var envServerCurve: CurveSecurity? {
        envServerPublicKey.map { .client(keys: keys, serverPublicKey: $0) }
    }
}
