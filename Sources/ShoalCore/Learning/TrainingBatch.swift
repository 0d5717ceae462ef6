/// Several rollouts of equal unroll length joined along the batch axis into time-major tensors the learner uses.
///
/// With T = `timeSteps` and B = `batchSize` (the sum of the rollouts' batch sizes): `observations` [T+1, B, O] (floats
/// or bytes, as the rollouts had them),
/// `actions` [T, B, A], `rewards` / `terminated` / `truncated` [T, B], `behaviourLogits` [T, B, P];
/// `truncatedIndices` [K] index into [T, B] and `truncatedObservations` is [K, O]; `resetSteps` [T, B], or empty when
/// no rollout has reset steps; `recurrentState` [2, B, H], or empty for a feed-forward policy.
public struct TrainingBatch: Sendable {
    public let timeSteps: Int
    public private(set) var batchSize: Int
    public let observationSize: Int
    public let actionSize: Int
    public let distributionParameterCount: Int
    public private(set) var observations: ObservationData
    public private(set) var actions: [Float]
    public private(set) var rewards: [Float]
    public private(set) var terminated: [Bool]
    public private(set) var truncated: [Bool]
    public private(set) var behaviourLogits: [Float]
    public private(set) var truncatedIndices: [Int] = []
    public private(set) var truncatedObservations: ObservationData
    /// Steps left out of learning: autoreset steps of environments that reset on the next step (see `Rollout`).
    public private(set) var resetSteps: [Bool] = []
    /// The acting policy's recurrent state before step 0 of each column (see `Rollout.recurrentState`).
    public private(set) var recurrentState: [Float] = []
    /// Policy version of each rollout, in order.
    public let policyVersions: [UInt64]

    /// Joins rollouts, which must agree on unroll length and per-sample sizes (the validator checks this first).
    public init(rollouts: [Rollout]) {
        precondition(!rollouts.isEmpty, "a training batch needs at least one rollout")
        let first = rollouts[0]
        let t = first.unrollLength
        let (o, a, p) = (first.observationSize, first.actionSize, first.distributionParameterCount)
        precondition(rollouts.allSatisfy {
            $0.unrollLength == t && $0.observationSize == o && $0.actionSize == a && $0.distributionParameterCount == p
                && $0.recurrentState.count * first.batchSize == first.recurrentState.count * $0.batchSize
                && $0.observations.isBytes == first.observations.isBytes
        }, "rollouts in one batch must agree on unroll length and sizes")
        let b = rollouts.reduce(0) { $0 + $1.batchSize }
        timeSteps = t
        batchSize = b
        observationSize = o
        actionSize = a
        distributionParameterCount = p
        policyVersions = rollouts.map(\.policyVersion)
        observations = Self.join(rollouts.map { ($0.observations, $0.batchSize) }, rows: t + 1, width: o, columns: b)
        actions = Self.join(rollouts.map { ($0.actions, $0.batchSize) }, rows: t, width: a, columns: b)
        rewards = Self.join(rollouts.map { ($0.rewards, $0.batchSize) }, rows: t, width: 1, columns: b)
        behaviourLogits = Self.join(rollouts.map { ($0.behaviourLogits, $0.batchSize) }, rows: t, width: p, columns: b)
        terminated = Self.join(rollouts.map { ($0.terminated, $0.batchSize) }, rows: t, width: 1, columns: b)
        truncated = Self.join(rollouts.map { ($0.truncated, $0.batchSize) }, rows: t, width: 1, columns: b)
        if rollouts.contains(where: { !$0.resetSteps.isEmpty }) {
            resetSteps = Self.join(rollouts.map {
                ($0.resetSteps.isEmpty ? [Bool](repeating: false, count: t * $0.batchSize) : $0.resetSteps, $0.batchSize)
            }, rows: t, width: 1, columns: b)
        }
        if !first.recurrentState.isEmpty {
            recurrentState = Self.join(rollouts.map { ($0.recurrentState, $0.batchSize) }, rows: 2,
                                       width: first.recurrentState.count / (2 * first.batchSize), columns: b)
        }
        truncatedObservations = first.observations.emptied
        var column = 0
        for rollout in rollouts {
            for (k, index) in rollout.truncatedIndices.enumerated() {
                let (step, env) = (Int(index) / rollout.batchSize, Int(index) % rollout.batchSize)
                truncatedIndices.append(step * b + column + env)
                truncatedObservations.append(contentsOf: rollout.truncatedObservations[(k * o)..<((k + 1) * o)])
            }
            column += rollout.batchSize
        }
    }

    /// Whether step `index` of [T, B] is learned from (not a reset step).
    public func isLearned(_ index: Int) -> Bool {
        resetSteps.isEmpty || !resetSteps[index]
    }

    /// Where each column began an episode, [T + 1, B] (see `Rollout.episodeStarts`).
    public var episodeStarts: [Bool] {
        Rollout.episodeStarts(terminated: terminated, truncated: truncated, resetSteps: resetSteps,
                              timeSteps: timeSteps, batchSize: batchSize)
    }

    /// Steps learned from.
    public var learnedCount: Int {
        resetSteps.isEmpty ? timeSteps * batchSize : resetSteps.count { !$0 }
    }

    /// The columns `range` of the batch (its environments), as a batch of their own: APPO's minibatches.
    public func columns(_ range: Range<Int>) -> TrainingBatch {
        precondition(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= batchSize)
        var part = self
        let (t, b, n) = (timeSteps, batchSize, range.count)
        part.batchSize = n
        part.observations = Self.slice(observations, rows: t + 1, width: observationSize, columns: b, range)
        part.actions = Self.slice(actions, rows: t, width: actionSize, columns: b, range)
        part.rewards = Self.slice(rewards, rows: t, width: 1, columns: b, range)
        part.behaviourLogits = Self.slice(behaviourLogits, rows: t, width: distributionParameterCount, columns: b, range)
        part.terminated = Self.slice(terminated, rows: t, width: 1, columns: b, range)
        part.truncated = Self.slice(truncated, rows: t, width: 1, columns: b, range)
        if !resetSteps.isEmpty { part.resetSteps = Self.slice(resetSteps, rows: t, width: 1, columns: b, range) }
        if !recurrentState.isEmpty {
            part.recurrentState = Self.slice(recurrentState, rows: 2, width: recurrentState.count / (2 * b),
                                             columns: b, range)
        }
        part.truncatedIndices = []
        part.truncatedObservations = observations.emptied
        for (k, index) in truncatedIndices.enumerated() where range.contains(index % b) {
            part.truncatedIndices.append(index / b * n + index % b - range.lowerBound)
            part.truncatedObservations.append(
                contentsOf: truncatedObservations[(k * observationSize)..<((k + 1) * observationSize)])
        }
        return part
    }

    /// The columns `range` of a [rows, columns, width] tensor of observations, of their dtype.
    static func slice(
        _ values: ObservationData, rows: Int, width: Int, columns: Int, _ range: Range<Int>
    ) -> ObservationData {
        switch values {
        case .float32(let floats): return .float32(slice(floats, rows: rows, width: width, columns: columns, range))
        case .uint8(let bytes): return .uint8(slice(bytes, rows: rows, width: width, columns: columns, range))
        }
    }

    /// The columns `range` of a [rows, columns, width] tensor.
    static func slice<Element>(
        _ values: [Element], rows: Int, width: Int, columns: Int, _ range: Range<Int>
    ) -> [Element] {
        var part: [Element] = []
        part.reserveCapacity(rows * range.count * width)
        for row in 0..<rows {
            let start = (row * columns + range.lowerBound) * width
            part.append(contentsOf: values[start..<(start + range.count * width)])
        }
        return part
    }

    /// Interleaves per-rollout [rows, columns_i, width] tensors of observations, all of one dtype.
    private static func join(
        _ parts: [(ObservationData, Int)], rows: Int, width: Int, columns: Int
    ) -> ObservationData {
        if case .uint8 = parts[0].0 {
            return .uint8(join(parts.map { part -> ([UInt8], Int) in
                guard case .uint8(let bytes) = part.0 else { preconditionFailure("observations of different dtypes") }
                return (bytes, part.1)
            }, rows: rows, width: width, columns: columns))
        }
        return .float32(join(parts.map { part -> ([Float], Int) in
            guard case .float32(let floats) = part.0 else { preconditionFailure("observations of different dtypes") }
            return (floats, part.1)
        }, rows: rows, width: width, columns: columns))
    }

    /// Interleaves per-rollout [rows, columns_i, width] tensors into one [rows, Σcolumns_i, width] tensor.
    private static func join<Element>(
        _ parts: [([Element], Int)], rows: Int, width: Int, columns: Int
    ) -> [Element] {
        if parts.count == 1 { return parts[0].0 }
        var joined: [Element] = []
        joined.reserveCapacity(rows * columns * width)
        for row in 0..<rows {
            for (values, partColumns) in parts {
                let start = row * partColumns * width
                joined.append(contentsOf: values[start..<(start + partColumns * width)])
            }
        }
        return joined
    }
}
