@testable import ShoalCore
import XCTest

/// Central finite differences against an analytic gradient, over a sample of coordinates.
enum GradientCheck {
    /// Compares `analytic` with (f(θ + ε) − f(θ − ε)) / 2ε at `coordinates` of `parameters`; returns mismatches.
    static func mismatches(
        parameters: [Float], analytic: [Float], coordinates: [Int], epsilon: Float = 1e-2,
        tolerance: Double = 2e-2, loss: ([Float]) -> Double
    ) -> [String] {
        var failures: [String] = []
        for i in coordinates {
            var plus = parameters
            var minus = parameters
            plus[i] += epsilon
            minus[i] -= epsilon
            let numeric = (loss(plus) - loss(minus)) / (2 * Double(epsilon))
            let error = abs(numeric - Double(analytic[i]))
            if error > tolerance * max(1e-2, abs(numeric) + abs(Double(analytic[i]))) {
                failures.append("θ[\(i)]: analytic \(analytic[i]) vs numeric \(numeric)")
            }
        }
        return failures
    }

    /// The derivative of `loss` at `parameters` along a random unit direction within `block`: from `analytic`, and by
    /// central differences. One coordinate of a deep float32 ReLU network drowns in rounding at an ε small enough to
    /// cross no ReLU's kink; a direction across a whole layer does not.
    static func alongRandomDirection(
        parameters: [Float], analytic: [Float], block: Range<Int>, epsilon: Float = 1e-3,
        generator: inout SeededGenerator, loss: ([Float]) -> Double
    ) -> (analytic: Double, numeric: Double) {
        let direction = randomFloats(block.count, &generator)
        let norm = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var (plus, minus) = (parameters, parameters)
        for (i, d) in zip(block, direction) {
            plus[i] += epsilon * d / norm
            minus[i] -= epsilon * d / norm
        }
        let numeric = (loss(plus) - loss(minus)) / Double(2 * epsilon)
        return (zip(block, direction).reduce(0.0) { $0 + Double(analytic[$1.0] * $1.1 / norm) }, numeric)
    }

    static func randomFloats(_ count: Int, _ generator: inout SeededGenerator, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in scale * generator.nextGaussian() }
    }
}
