@testable import ShoalCore
import XCTest

final class OptimizerTests: XCTestCase {
    /// Adam's first bias-corrected step moves every parameter by lr·g/(|g| + ε) ≈ lr·sign(g).
    func testAdamFirstStepIsSignOfGradientTimesLearningRate() {
        var adam = OptimizerSettings.adam().makeOptimizer(parameterCount: 3)
        var parameters: [Float] = [1, 1, 1]
        adam.step(parameters: &parameters, gradient: [0.5, -4, 1e-3], learningRate: 0.1)
        XCTAssertEqual(parameters[0], 0.9, accuracy: 1e-5)
        XCTAssertEqual(parameters[1], 1.1, accuracy: 1e-5)
        XCTAssertEqual(parameters[2], 0.9, accuracy: 1e-4)
    }

    /// RMSProp's first step: ms = (1 − ρ)g², Δ = lr·g/√(ms + ε).
    func testRMSPropFirstStep() {
        var rmsprop = OptimizerSettings.rmsprop(decay: 0.9, momentum: 0, epsilon: 0.01)
            .makeOptimizer(parameterCount: 1)
        var parameters: [Float] = [0]
        rmsprop.step(parameters: &parameters, gradient: [2], learningRate: 0.5)
        XCTAssertEqual(parameters[0], -0.5 * 2 / (0.1 * 4 + 0.01).squareRoot(), accuracy: 1e-5)
    }

    /// Both optimizers minimise a quadratic, and a restored copy continues exactly like the original.
    func testMinimiseQuadraticAndRestoreState() throws {
        for settings in [OptimizerSettings.adam(), .rmsprop()] {
            var optimizer = settings.makeOptimizer(parameterCount: 2)
            var parameters: [Float] = [3, -2]
            let gradient = { (p: [Float]) in [2 * (p[0] - 1), 2 * (p[1] + 1)] }
            for _ in 0..<300 { optimizer.step(parameters: &parameters, gradient: gradient(parameters), learningRate: 0.05) }
            XCTAssertEqual(parameters[0], 1, accuracy: 0.05, "\(settings)")
            XCTAssertEqual(parameters[1], -1, accuracy: 0.05, "\(settings)")

            var copy = settings.makeOptimizer(parameterCount: 2)
            try copy.restore(tensors: optimizer.stateTensors, scalars: optimizer.stateScalars)
            var (a, b) = (parameters, parameters)
            optimizer.step(parameters: &a, gradient: [0.3, -0.1], learningRate: 0.05)
            copy.step(parameters: &b, gradient: [0.3, -0.1], learningRate: 0.05)
            XCTAssertEqual(a, b)
            XCTAssertThrowsError(try copy.restore(tensors: [:], scalars: [:]))
        }
    }

    func testGlobalNormClipping() {
        var gradient: [Float] = [3, 4]
        XCTAssertEqual(GradientClipping.clipGlobalNorm(&gradient, maxNorm: 1), 5, accuracy: 1e-6)
        XCTAssertEqual(gradient[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(gradient[1], 0.8, accuracy: 1e-6)
        var small: [Float] = [0.1, 0.2]
        GradientClipping.clipGlobalNorm(&small, maxNorm: 1)
        XCTAssertEqual(small, [0.1, 0.2])
    }

    func testLinearLearningRateSchedule() {
        let schedule = LearningRateSchedule.linear(initial: 1, final: 0, updates: 10)
        XCTAssertEqual(schedule.learningRate(atUpdate: 0), 1)
        XCTAssertEqual(schedule.learningRate(atUpdate: 5), 0.5, accuracy: 1e-6)
        XCTAssertEqual(schedule.learningRate(atUpdate: 50), 0)
    }
}
