import Foundation
import ShoalCore

/// What `shoal eval` found: every episode's return and length and their mean and standard deviation.
public struct EvaluationResult: Codable, Sendable, Equatable {
    public var env: String
    public var checkpoint: String
    public var policyVersion: UInt64
    public var greedy: Bool
    public var seed: UInt64
    public var episodes: Int
    public var returnMean: Double
    public var returnStd: Double
    public var lengthMean: Double
    public var lengthStd: Double
    public var returns: [Double]
    public var lengths: [Int]
    public var seconds: Double

    init(env: String, policy: TrainedPolicy, settings: EvaluationSettings, episodes: [EpisodeStats],
         seconds: Double) {
        self.env = env
        checkpoint = policy.checkpoint
        policyVersion = policy.version
        greedy = settings.greedy
        seed = settings.seed
        self.episodes = episodes.count
        returns = episodes.map { Double($0.episodeReturn) }
        lengths = episodes.map { Int($0.length) }
        (returnMean, returnStd) = Self.meanAndStd(returns)
        (lengthMean, lengthStd) = Self.meanAndStd(lengths.map(Double.init))
        self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case env, checkpoint, policyVersion = "policy_version", greedy, seed, episodes
        case returnMean = "return_mean", returnStd = "return_std", lengthMean = "length_mean"
        case lengthStd = "length_std", returns, lengths, seconds
    }

    /// Mean and population standard deviation.
    static func meanAndStd(_ values: [Double]) -> (Double, Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    /// The lines `shoal eval` prints.
    public var summary: String {
        let actions = greedy ? "greedy actions" : "sampled actions (seed \(seed))"
        return """
            \(env): \(episodes) episodes, policy version \(policyVersion) (\(checkpoint)), \(actions)
            return: \(String(format: "%.2f ± %.2f", returnMean, returnStd)) \
            (min \(String(format: "%.2f", returns.min() ?? 0)), max \(String(format: "%.2f", returns.max() ?? 0)))
            length: \(String(format: "%.1f ± %.1f", lengthMean, lengthStd))
            """
    }
}
