@testable import ShoalCore
import XCTest

/// The LSTM core: one step against the gate equations, gradients through time against finite differences, and the
/// state cut where an episode began.
final class LSTMCoreTests: XCTestCase {
    private let (inputSize, hiddenSize, timeSteps, batch) = (3, 4, 5, 2)

    /// One step from a given state is c' = f·c + i·g, h' = o·tanh(c'), gates from x·W + h·U + b.
    func testOneStepFollowsTheGateEquations() {
        var generator = SeededGenerator(seed: 1)
        let core = LSTMCore(inputSize: inputSize, hiddenSize: hiddenSize)
        let parameters = GradientCheck.randomFloats(core.parameterCount, &generator, scale: 0.5)
        let x = GradientCheck.randomFloats(batch * inputSize, &generator)
        let (hidden, cell) = (GradientCheck.randomFloats(batch * hiddenSize, &generator),
                              GradientCheck.randomFloats(batch * hiddenSize, &generator))
        core.forward(x, timeSteps: 1, batch: batch, hidden: hidden, cell: cell, resets: [false, false],
                     parameters: parameters)
        let (h, gates) = (hiddenSize, 4 * hiddenSize)
        func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
        for b in 0..<batch {
            var z = (0..<gates).map { Double(parameters[(inputSize + h) * gates + $0]) }
            for gate in 0..<gates {
                for i in 0..<inputSize { z[gate] += Double(x[b * inputSize + i] * parameters[i * gates + gate]) }
                for j in 0..<h { z[gate] += Double(hidden[b * h + j] * parameters[(inputSize + j) * gates + gate]) }
            }
            for j in 0..<h {
                let c = sigmoid(z[h + j]) * Double(cell[b * h + j]) + sigmoid(z[j]) * tanh(z[2 * h + j])
                XCTAssertEqual(Double(core.finalCell[b * h + j]), c, accuracy: 1e-5)
                XCTAssertEqual(Double(core.outputs[b * h + j]), sigmoid(z[3 * h + j]) * tanh(c), accuracy: 1e-5)
            }
        }
        XCTAssertEqual(core.finalHidden, core.outputs)
    }

    /// d(Σ outputs · R)/dθ and /dx through all T steps, with one sequence reset midway, match central differences.
    func testGradientsThroughTimeMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 2)
        let core = LSTMCore(inputSize: inputSize, hiddenSize: hiddenSize)
        let parameters = GradientCheck.randomFloats(core.parameterCount, &generator, scale: 0.5)
        let inputs = GradientCheck.randomFloats(timeSteps * batch * inputSize, &generator)
        let (hidden, cell) = (GradientCheck.randomFloats(batch * hiddenSize, &generator, scale: 0.5),
                              GradientCheck.randomFloats(batch * hiddenSize, &generator, scale: 0.5))
        var resets = [Bool](repeating: false, count: timeSteps * batch)
        resets[3 * batch + 1] = true
        let weights = GradientCheck.randomFloats(timeSteps * batch * hiddenSize, &generator)
        func loss(_ inputs: [Float], _ parameters: [Float]) -> Double {
            core.forward(inputs, timeSteps: timeSteps, batch: batch, hidden: hidden, cell: cell, resets: resets,
                         parameters: parameters)
            return zip(core.outputs, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        _ = loss(inputs, parameters)
        var gradient = [Float](repeating: 0, count: core.parameterCount)
        let inputGradient = core.backward(outputGradient: weights, parameters: parameters,
                                          parameterGradient: &gradient)
        XCTAssertEqual(GradientCheck.mismatches(
            parameters: parameters, analytic: gradient, coordinates: Array(parameters.indices), epsilon: 1e-2,
            tolerance: 1e-2) { loss(inputs, $0) }, [])
        XCTAssertEqual(GradientCheck.mismatches(
            parameters: inputs, analytic: inputGradient, coordinates: Array(inputs.indices), epsilon: 1e-2,
            tolerance: 1e-2) { loss($0, parameters) }, [])
    }

    /// Where a sequence's episode began, its state starts from zero: its outputs from there on are those of a fresh
    /// run of the rest, whatever came before; a sequence without a reset still depends on its initial state.
    func testAResetStartsTheSequenceAfresh() {
        var generator = SeededGenerator(seed: 3)
        let core = LSTMCore(inputSize: inputSize, hiddenSize: hiddenSize)
        let parameters = GradientCheck.randomFloats(core.parameterCount, &generator, scale: 0.5)
        var resets = [Bool](repeating: false, count: timeSteps * batch)
        resets[3 * batch + 1] = true
        func run(_ inputs: [Float], hidden: [Float], steps: Range<Int> = 0..<timeSteps) -> [Float] {
            let rows = (steps.lowerBound * batch * inputSize)..<(steps.upperBound * batch * inputSize)
            core.forward(Array(inputs[rows]), timeSteps: steps.count, batch: batch, hidden: hidden, cell: hidden,
                         resets: Array(resets[(steps.lowerBound * batch)..<(steps.upperBound * batch)]),
                         parameters: parameters)
            return core.outputs
        }
        func sequence(_ outputs: [Float], _ b: Int, from t: Int, steps: Int) -> [Float] {
            var rows: [Float] = []
            for s in t..<(t + steps) {
                let row: Int = s * batch + b
                rows += outputs[(row * hiddenSize)..<((row + 1) * hiddenSize)]
            }
            return rows
        }
        let inputs = GradientCheck.randomFloats(timeSteps * batch * inputSize, &generator)
        let start = GradientCheck.randomFloats(batch * hiddenSize, &generator)
        let first = run(inputs, hidden: start)
        var otherInputs = inputs
        for i in 0..<(3 * batch * inputSize) { otherInputs[i] += 1 }
        let second = run(otherInputs, hidden: start.map { -$0 })
        XCTAssertEqual(sequence(first, 1, from: 3, steps: 2), sequence(second, 1, from: 3, steps: 2))
        XCTAssertNotEqual(sequence(first, 0, from: 3, steps: 2), sequence(second, 0, from: 3, steps: 2))
        let fresh = run(inputs, hidden: [Float](repeating: 0, count: batch * hiddenSize), steps: 3..<timeSteps)
        XCTAssertEqual(sequence(first, 1, from: 3, steps: 2), sequence(fresh, 1, from: 0, steps: 2))
    }
}
