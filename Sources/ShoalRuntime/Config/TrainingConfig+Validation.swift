import ShoalEnvs

extension TrainingConfig {
    /// Checks values a decoder cannot: ranges and the environment id.
    public func validate() throws(ShoalRuntimeError) {
        func require(_ condition: Bool, _ field: String, _ value: Any, _ reason: String) throws(ShoalRuntimeError) {
            if !condition { throw ShoalRuntimeError(.invalidConfigValue, subject: field, value: "\(value)",
                                                    reason: reason) }
        }
        let source = try environmentSource()
        try require(envsPerActor > 0 && envsPerActor <= 65_536, "envsPerActor", envsPerActor, "must be in 1...65536")
        if source != .builtIn {
            try require(envServersPerActor > 0 && envServersPerActor <= 64, "envServersPerActor", envServersPerActor,
                        "must be in 1...64")
            try require(envsPerServer > 0 && envsPerServer <= 4_096, "envsPerServer", envsPerServer,
                        "must be in 1...4096")
            try require(envTimeoutSeconds > 0 && envTimeoutSeconds.isFinite, "envTimeoutSeconds", envTimeoutSeconds,
                        "must be a positive number of seconds")
            try require(!pythonExecutable.isEmpty, "pythonExecutable", pythonExecutable, "must name a program")
            try require(envArguments() != nil, "envArgs", envArgs, "must be a JSON object, e.g. {\"key\": 1}")
        }
        try require(envWrappers.isEmpty || env.hasPrefix("gymnasium:") || env.hasPrefix("python:"), "envWrappers",
                    envWrappers, "wrappers are shoal-env's, for gymnasium: and python: environments only")
        try require(envWrappers.allSatisfy { !$0.isEmpty && !$0.contains(",") }, "envWrappers", envWrappers,
                    "every wrapper must be a name without commas")
        if source == .remote {
            try require(!envServers.isEmpty, "envServers", envServers, "env: remote needs the servers' addresses")
        }
        try require(unrollLength > 0 && unrollLength <= 4_096, "unrollLength", unrollLength, "must be in 1...4096")
        try require(hiddenSizes.allSatisfy { $0 > 0 && $0 <= 65_536 }, "hiddenSizes", hiddenSizes,
                    "every width must be in 1...65536")
        try require(lstmSize > 0 && lstmSize <= 4_096, "lstmSize", lstmSize, "must be in 1...4096")
        try require(rolloutsPerBatch > 0, "rolloutsPerBatch", rolloutsPerBatch, "must be positive")
        try require(learningRate > 0 && learningRate.isFinite, "learningRate", learningRate, "must be positive")
        if let finalLearningRate {
            try require(finalLearningRate >= 0 && finalLearningRate.isFinite, "finalLearningRate",
                        finalLearningRate, "must be non-negative")
        }
        try require(epsilon > 0, "epsilon", epsilon, "must be positive")
        for (field, value) in [("adamBeta1", adamBeta1), ("adamBeta2", adamBeta2), ("rmspropDecay", rmspropDecay),
                               ("rmspropMomentum", rmspropMomentum), ("vtraceLambda", vtraceLambda)] {
            try require(value >= 0 && value <= 1, field, value, "must be in [0, 1]")
        }
        try require(discount >= 0 && discount <= 1, "discount", discount, "must be in [0, 1]")
        try require(maxGradientNorm > 0, "maxGradientNorm", maxGradientNorm, "must be positive")
        for (field, value) in [("baselineCost", baselineCost), ("entropyCost", entropyCost), ("clipRho", clipRho),
                               ("clipPolicyGradientRho", clipPolicyGradientRho)] {
            try require(value >= 0 && value.isFinite, field, value, "must be a non-negative number")
        }
        try require(clipEpsilon > 0 && clipEpsilon < 1, "clipEpsilon", clipEpsilon, "must be in (0, 1)")
        try require(epochs > 0 && epochs <= 64, "epochs", epochs, "must be in 1...64")
        if case .count(let count) = minibatches {
            try require(count > 0 && count <= Minibatches.limit, "minibatches", count,
                        "must be auto or in 1...\(Minibatches.limit)")
        }
        try require(actors > 0 && actors <= 4_096, "actors", actors, "must be in 1...4096")
        try require(creditsPerActor > 0 && creditsPerActor <= 1_024, "creditsPerActor", creditsPerActor,
                    "must be in 1...1024")
        try require(learnerQueueCapacity > 0, "learnerQueueCapacity", learnerQueueCapacity, "must be positive")
        try require(maxPolicyLag >= 0, "maxPolicyLag", maxPolicyLag, "must be non-negative")
        try require(publishEvery > 0, "publishEvery", publishEvery, "must be positive")
        try require(keepCheckpoints > 0, "keepCheckpoints", keepCheckpoints, "must be positive")
        for (field, value) in [("checkpointSeconds", checkpointSeconds), ("heartbeatSeconds", heartbeatSeconds),
                               ("heartbeatTimeoutSeconds", heartbeatTimeoutSeconds), ("resendSeconds", resendSeconds)] {
            try require(value > 0 && value.isFinite, field, value, "must be a positive number of seconds")
        }
        try require(heartbeatTimeoutSeconds > heartbeatSeconds, "heartbeatTimeoutSeconds", heartbeatTimeoutSeconds,
                    "must be longer than heartbeatSeconds (\(heartbeatSeconds))")
        if let learnerGoneSeconds {
            try require(learnerGoneSeconds > resendSeconds && learnerGoneSeconds.isFinite, "learnerGoneSeconds",
                        learnerGoneSeconds, "must be a number of seconds longer than resendSeconds (\(resendSeconds))")
        }
        try require(maxRestarts >= 0, "maxRestarts", maxRestarts, "must be non-negative")
        try require(restartWindowSeconds > 0 && restartWindowSeconds.isFinite, "restartWindowSeconds",
                    restartWindowSeconds, "must be a positive number of seconds")
        try require(inProcessPolicyLag >= 0, "inProcessPolicyLag", inProcessPolicyLag, "must be non-negative")
        if let maxEnvSteps { try require(maxEnvSteps > 0, "maxEnvSteps", maxEnvSteps, "must be positive") }
        if let maxSeconds { try require(maxSeconds > 0, "maxSeconds", maxSeconds, "must be positive") }
    }
}
