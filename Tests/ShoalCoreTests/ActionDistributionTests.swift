@testable import ShoalCore
import XCTest

final class ActionDistributionTests: XCTestCase {
    func testCategoricalSamplesFollowSoftmax() {
        var generator = SeededGenerator(seed: 1)
        let logits: [Float] = [0.5, -1, 1.5]
        let normaliser = log(logits.map { exp(Double($0)) }.reduce(0, +))
        var counts = [0, 0, 0]
        var action: Float = 0
        let draws = 40_000
        for _ in 0..<draws {
            ActionDistribution.categorical(actions: 3).sample(logits, into: &action, using: &generator)
            counts[Int(action)] += 1
        }
        for i in 0..<3 {
            let expected = exp(Double(logits[i]) - normaliser)
            XCTAssertEqual(Double(counts[i]) / Double(draws), expected, accuracy: 0.01)
        }
    }

    func testEntropyOfUniformCategoricalIsLogN() {
        let logits = [Float](repeating: 0.3, count: 5)
        XCTAssertEqual(ActionDistribution.categorical(actions: 5).entropy(logits), Float(log(5.0)), accuracy: 1e-5)
    }

    func testGaussianLogProbabilityAndSampleMoments() {
        let parameters: [Float] = [1, -2, log(0.5), log(2)]
        let gaussian = ActionDistribution.gaussian(dimensions: 2)
        let action: [Float] = [1.5, 0]
        let expected = (-0.5 * 1.0 - log(0.5) - 0.5 * log(2 * Double.pi)) + (-0.5 * 1.0 - log(2) - 0.5 * log(2 * Double.pi))
        XCTAssertEqual(Double(gaussian.logProbability(parameters, action: action)), expected, accuracy: 1e-5)

        var generator = SeededGenerator(seed: 9)
        var sample: [Float] = [0, 0]
        var (sum, sumOfSquares) = ([0.0, 0.0], [0.0, 0.0])
        let draws = 40_000
        for _ in 0..<draws {
            gaussian.sample(parameters, into: &sample, using: &generator)
            for d in 0..<2 {
                sum[d] += Double(sample[d])
                sumOfSquares[d] += Double(sample[d] * sample[d])
            }
        }
        for (d, (mean, std)) in [(1.0, 0.5), (-2.0, 2.0)].enumerated() {
            let sampleMean = sum[d] / Double(draws)
            XCTAssertEqual(sampleMean, mean, accuracy: 0.05)
            XCTAssertEqual((sumOfSquares[d] / Double(draws) - sampleMean * sampleMean).squareRoot(), std, accuracy: 0.05)
        }
    }

    /// Gradients of a·log π(action) + e·H(π) against finite differences, both distributions.
    func testGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 4)
        for distribution in [ActionDistribution.categorical(actions: 4), .gaussian(dimensions: 3)] {
            let parameters = GradientCheck.randomFloats(distribution.parameterCount, &generator)
            var action = [Float](repeating: 0, count: distribution.actionSize)
            distribution.sample(parameters, into: &action, using: &generator)
            let (a, e): (Float, Float) = (0.7, -0.3)
            var gradient = [Float](repeating: 0, count: distribution.parameterCount)
            distribution.addGradient(parameters, action: action, logProbabilityWeight: a, entropyWeight: e,
                                     into: &gradient)
            let failures = GradientCheck.mismatches(
                parameters: parameters, analytic: gradient, coordinates: Array(parameters.indices), epsilon: 1e-2
            ) { p in
                Double(a * distribution.logProbability(p, action: action) + e * distribution.entropy(p))
            }
            XCTAssertEqual(failures, [], "\(distribution)")
        }
    }

    /// Greedy acting: the largest logit's index (the first among equals), or the Gaussian's means.
    func testModeIsTheMostLikelyAction() {
        var action: [Float] = [0, 0]
        ActionDistribution.categorical(actions: 4).mode([0.1, 2.5, -1, 2.5], into: &action)
        XCTAssertEqual(action[0], 1)
        ActionDistribution.gaussian(dimensions: 2).mode([0.3, -0.7, 5, 5], into: &action)
        XCTAssertEqual(action, [0.3, -0.7])
    }
}
