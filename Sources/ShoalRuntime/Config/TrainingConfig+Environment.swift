import Foundation
import ShoalEnvs

/// Where a run's environments come from.
public enum EnvironmentSource: Sendable, Equatable {
    /// A Swift environment stepped inside the actor.
    case builtIn
    /// Environment servers that `shoal train` starts: `shoal-env` for a gymnasium id or a Python callable, or a
    /// program of the user's (a C environment built on `c/include/shoal_env.h`).
    case served
    /// Environment servers started apart (by hand or by a cluster launcher), at `envServers`.
    case remote
}

extension TrainingConfig {
    /// Where `env` says the environments come from; throws naming `env` when it is none of the accepted forms.
    public func environmentSource() throws(ShoalRuntimeError) -> EnvironmentSource {
        if EnvironmentRegistry.builtIn.ids.contains(env) { return .builtIn }
        if env == "remote" { return .remote }
        let parts = env.split(separator: ":", omittingEmptySubsequences: false)
        // gymnasium:<id>, or gymnasium:<module>:<id> for an id a module registers on import.
        if parts.count >= 2, parts[0] == "gymnasium", !parts.last!.isEmpty { return .served }
        if parts.count == 3, parts[0] == "python", !parts[1].isEmpty, !parts[2].isEmpty { return .served }
        if parts.count >= 2, parts[0] == "exec", !parts.dropFirst().joined(separator: ":").isEmpty { return .served }
        throw ShoalRuntimeError(
            .invalidConfigValue, subject: "env", value: env,
            reason: "a built-in id (\(EnvironmentRegistry.builtIn.ids.joined(separator: ", "))), "
                + "gymnasium:<id>, python:<module>:<callable>, exec:<program> or remote")
    }

    /// The command line of environment server `index` of a served environment, listening at `endpoint` with
    /// `numEnvs` environments (default `envsPerServer`): `shoal-env serve` in `pythonExecutable` for gymnasium: and
    /// python:, the program itself for exec:. Program first.
    public func environmentServerCommandLine(endpoint: String, index: Int, numEnvs: Int? = nil) -> [String] {
        var command = env.hasPrefix("exec:")
            ? [String(env.dropFirst("exec:".count)), "serve", endpoint]
            : [pythonExecutable, "-m", "shoal_env", "serve", endpoint, "--env", env]
        command += ["--num-envs", "\(numEnvs ?? envsPerServer)", "--env-args", envArgs, "--id", "\(index)",
                    "--heartbeat-seconds", "\(heartbeatSeconds)"]
        if !envWrappers.isEmpty { command += ["--wrappers", envWrappers.joined(separator: ",")] }
        return command
    }

    /// `envArgs` as a dictionary, or nil when it is not a JSON object.
    func envArguments() -> [String: Any]? {
        guard let data = envArgs.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// The environment servers actor `actorID` steps; throws naming `envServers` when there are too few.
    public func envServers(forActor actorID: UInt32) throws(ShoalRuntimeError) -> [String] {
        let first = Int(actorID) * envServersPerActor
        guard envServers.count >= first + envServersPerActor else {
            throw ShoalRuntimeError(
                .invalidConfigValue, subject: "envServers", value: "\(envServers.count) addresses",
                reason: "actor \(actorID) steps servers \(first)..<\(first + envServersPerActor) "
                    + "(envServersPerActor: \(envServersPerActor))")
        }
        return Array(envServers[first..<(first + envServersPerActor)])
    }

}
