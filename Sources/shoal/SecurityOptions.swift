import ArgumentParser
import ShoalRuntime

/// The learner's CurveZMQ options: without them its sockets are plain text and accept anyone who can connect.
struct LearnerSecurityOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The learner's secret key file (from `shoal keygen`). With --curve-allow, every connection is encrypted and "
            + "only allowed actors can send rollouts or receive weights.", valueName: "file"))
    var curveSecretKey: String?

    @Option(help: ArgumentHelp(
        "The actors allowed to connect: a file of Z85 public keys, one a line, or a directory of .pub files.",
        valueName: "file-or-dir"))
    var curveAllow: String?

    @Option(help: ArgumentHelp(
        "The environment servers' public key file: talk to them over CURVE, as a client with --curve-secret-key "
            + "(its public key must be on their --curve-allow).", valueName: "file"))
    var curveEnvServerKey: String?

    func validate() throws {
        guard (curveSecretKey == nil) == (curveAllow == nil) else {
            throw ValidationError("--curve-secret-key and --curve-allow go together: give both or neither")
        }
        guard curveEnvServerKey == nil || curveSecretKey != nil else {
            throw ValidationError("--curve-env-server-key needs the learner's own keys: --curve-secret-key")
        }
    }

    /// The keys and allow-list, or nil if CURVE is not configured.
    func load() throws -> LearnerSecurity? {
        guard let curveSecretKey, let curveAllow else { return nil }
        return try asUsageError { () throws(ShoalRuntimeError) in
            LearnerSecurity(keys: try CurveKeyFiles.readKeyPair(curveSecretKey),
                            allowedActorKeys: try CurveKeyFiles.readAllowList(curveAllow),
                            envServerPublicKey: try curveEnvServerKey.map(CurveKeyFiles.readPublicKey))
        }
    }
}

/// An actor's CurveZMQ options; they must match the learner's (CURVE on both sides or on neither).
struct ActorSecurityOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "This actor's secret key file (from `shoal keygen`); its public key must be on the learner's allow-list.",
        valueName: "file"))
    var curveSecretKey: String?

    @Option(help: ArgumentHelp(
        "The learner's public key file (its .pub); the actor talks only to the learner holding the matching secret.",
        valueName: "file"))
    var curveServerKey: String?

    @Option(help: ArgumentHelp(
        "The environment servers' public key file: talk to them over CURVE, as a client with --curve-secret-key "
            + "(its public key must be on their --curve-allow).", valueName: "file"))
    var curveEnvServerKey: String?

    func validate() throws {
        guard (curveSecretKey == nil) == (curveServerKey == nil) else {
            throw ValidationError("--curve-secret-key and --curve-server-key go together: give both or neither")
        }
        guard curveEnvServerKey == nil || curveSecretKey != nil else {
            throw ValidationError("--curve-env-server-key needs the actor's own keys: --curve-secret-key")
        }
    }

    /// The keys, or nil if CURVE is not configured.
    func load() throws -> ActorSecurity? {
        guard let curveSecretKey, let curveServerKey else { return nil }
        return try asUsageError { () throws(ShoalRuntimeError) in
            ActorSecurity(keys: try CurveKeyFiles.readKeyPair(curveSecretKey),
                          learnerPublicKey: try CurveKeyFiles.readPublicKey(curveServerKey),
                          envServerPublicKey: try curveEnvServerKey.map(CurveKeyFiles.readPublicKey))
        }
    }
}

/// Runs `body`, turning a security problem (a bad key file, an old libzmq) into a usage error: exit status 2 after
/// its message, before anything starts.
func asUsageError<Value>(_ body: () throws(ShoalRuntimeError) -> Value) throws -> Value {
    do {
        return try body()
    } catch {
        throw ValidationError(error.description)
    }
}
