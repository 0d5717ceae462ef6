extension ChildSpec {
    /// Throws `.invalidChildSpec` naming the first field that cannot work.
    func validate() throws(ShoalRuntimeError) {
        func fail(_ reason: String) -> ShoalRuntimeError {
            ShoalRuntimeError(.invalidChildSpec, subject: name, reason: reason)
        }
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw fail("the name must be non-empty and usable as a file name")
        }
        guard !executable.isEmpty else { throw fail("no executable given") }
        guard shutdownGrace >= .zero else { throw fail("shutdownGrace must not be negative") }
        guard environment.keys.allSatisfy({ !$0.isEmpty && !$0.contains("=") }) else {
            throw fail("environment variable names must be non-empty and contain no '='")
        }
        let policy = restartPolicy
        guard policy.maxRestarts >= 0 else { throw fail("restart maxRestarts must be at least 0") }
        guard policy.window > .zero else { throw fail("restart window must be positive") }
        guard policy.initialBackoff >= .zero, policy.maxBackoff >= policy.initialBackoff else {
            throw fail("restart backoffs must satisfy 0 <= initialBackoff <= maxBackoff")
        }
        guard policy.backoffMultiplier >= 1 else { throw fail("restart backoffMultiplier must be at least 1") }
        guard (0..<1).contains(policy.jitter) else { throw fail("restart jitter must be in 0 ..< 1") }
    }
}

extension Array where Element == ChildSpec {
    /// Throws `.invalidChildSpec` for an empty list, an invalid spec, or two children sharing a name or a role and id
    /// (heartbeats are matched to children by role and id).
    func validate() throws(ShoalRuntimeError) {
        guard !isEmpty else {
            throw ShoalRuntimeError(.invalidChildSpec, subject: "-", reason: "no children to supervise")
        }
        var names: Set<String> = []
        var identities: Set<String> = []
        for spec in self {
            try spec.validate()
            guard names.insert(spec.name).inserted else {
                throw ShoalRuntimeError(.invalidChildSpec, subject: spec.name,
                                        reason: "another child has the same name")
            }
            guard identities.insert("\(spec.role.rawValue) \(spec.id)").inserted else {
                throw ShoalRuntimeError(.invalidChildSpec, subject: spec.name,
                                        reason: "another child is also \(spec.role.rawValue) \(spec.id)")
            }
        }
    }
}
