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

    static func randomFloats(_ count: Int, _ generator: inout SeededGenerator, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in scale * generator.nextGaussian() }
    }
}
