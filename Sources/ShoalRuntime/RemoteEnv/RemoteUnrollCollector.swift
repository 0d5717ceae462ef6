import Foundation
import Logging
import ShoalCore
import ShoalWire
import ZeroMQ

/// Steps K environment servers with local copies of the policy and cuts each server's experience into its own
/// unrolls of M lanes, overlapping inference with stepping: while some servers step, the actor infers for the
/// others (Sample Factory's worker splits, a split being one server).
///
/// Each server's group swaps weights only between its unrolls, so every unroll is acted by one policy version. A
/// fault of one server abandons that server's unroll in progress (counted by reason) and the others go on.
final class RemoteUnrollCollector {
    let unrollLength: Int
    private let groups: [RemoteEnvGroup]
    private var latest: (parameters: [Float], version: UInt64)?
    private var nextGroup = 0

    /// Groups over `endpoints`, each with its own network built by `makeNetwork` (same initial weights everywhere;
    /// the learner's weights replace them before any unroll is sent); `curve` secures every connection.
    init(context: ZMQContext, endpoints: [String], shape: EnvironmentShape, envsPerServer: Int, unrollLength: Int,
         timeout: Duration, client: String, generator: SeededGenerator, limits: EnvLimits = EnvLimits(),
         curve: CurveSecurity? = nil, makeNetwork: () -> ActorCriticNetwork, log: Logger) throws {
        precondition(!endpoints.isEmpty && unrollLength > 0)
        self.unrollLength = unrollLength
        var groups: [RemoteEnvGroup] = []
        for (index, endpoint) in endpoints.enumerated() {
            let connection = try EnvServerConnection(context: context, endpoint: endpoint,
                                                     routingID: "\(client)/server-\(index)", limits: limits,
                                                     curve: curve)
            let policy = ActingPolicy(network: makeNetwork(), lanes: envsPerServer,
                                      generator: generator.derived(stream: UInt64(2 * index)))
            groups.append(RemoteEnvGroup(
                index: index, connection: connection, policy: policy, shape: shape, numEnvs: envsPerServer,
                unrollLength: unrollLength, timeout: timeout, client: client,
                seeds: generator.derived(stream: UInt64(2 * index + 1)), log: log))
        }
        self.groups = groups
    }

    /// Whether actions are the policy's most likely ones rather than samples (evaluation).
    var greedy = false {
        didSet { groups.forEach { $0.policy.greedy = greedy } }
    }

    /// The oldest version any group acts with.
    var policyVersion: UInt64 { groups.map(\.policy.version).min() ?? 0 }

    /// Servers ready or stepping.
    var serversUp: Int {
        groups.filter { if case .down = $0.phase { return false } else { return true } }.count
    }

    /// Faults, unrolls abandoned by fault, and replies refused by reason, over every server.
    var faults: [String: Int64] { groups.reduce(into: [:]) { $0.merge($1.faults, uniquingKeysWith: +) } }
    var abandoned: [String: Int64] { groups.reduce(into: [:]) { $0.merge($1.abandoned, uniquingKeysWith: +) } }
    var rejected: [String: Int64] { groups.reduce(into: [:]) { $0.merge($1.rejected, uniquingKeysWith: +) } }

    /// Weights for every unroll that starts from now on; groups mid-unroll take them at their next boundary.
    func adopt(parameters: [Float], version: UInt64) {
        latest = (parameters, version)
        for group in groups where group.stepsTaken == 0 && group.phase != .awaitingStep
            && group.policy.version < version {
            group.policy.adopt(parameters: parameters, version: version)
        }
    }

    /// The next finished unroll, as a rollout from `origin`, or nil if none finished within `wait`.
    func collect(origin: RolloutOrigin, within wait: Duration) -> Rollout? {
        let deadline = ContinuousClock.now + wait
        while true {
            let now = ContinuousClock.now
            // Take turns, so that one fast server cannot starve the others' unrolls of the actor's credit.
            for offset in 0..<groups.count {
                let group = groups[(nextGroup + offset) % groups.count]
                guard group.hasFullUnroll else { continue }
                nextGroup = (group.index + 1) % groups.count
                return group.takeRollout(origin: origin, latest: latest)
            }
            for group in groups {
                group.connectIfDue(now: now)
                if group.phase == .ready { group.actAndSend() }
            }
            if now >= deadline { return nil }
            awaitReplies(until: deadline)
            for group in groups { group.poll(now: .now) }
        }
    }

    func close() {
        for group in groups { group.connection.close() }
    }

    /// Blocks until a server replies, a request's deadline or a retry falls due, or `limit`.
    private func awaitReplies(until limit: ContinuousClock.Instant) {
        var wakeUp = limit
        var sockets: [ZMQSocket] = []
        for group in groups {
            switch group.phase {
            case .down(let retryAt): wakeUp = min(wakeUp, retryAt)
            case .awaitingSpec, .awaitingReset, .awaitingStep:
                sockets.append(group.connection.socket)
                if let deadline = group.deadline { wakeUp = min(wakeUp, deadline) }
            case .ready: break
            }
        }
        let timeout = max(.zero, wakeUp - .now)
        if sockets.isEmpty {
            if timeout > .zero { Thread.sleep(forTimeInterval: timeout.seconds) }
            return
        }
        _ = try? ZMQPoller(sockets).readable(timeout: timeout)
    }
}
