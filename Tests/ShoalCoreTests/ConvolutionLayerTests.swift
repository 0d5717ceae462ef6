@testable import ShoalCore
import XCTest

/// Convolution and max pooling over NHWC tensors: forward passes against direct loops, backward passes against
/// finite differences.
final class ConvolutionLayerTests: XCTestCase {
    private let convolution = Convolution(inputHeight: 7, inputWidth: 6, inputChannels: 3, outputChannels: 4,
                                          kernel: 3, stride: 2, padding: 1)
    private let batch = 2

    /// Each output is the bias plus the sum over the kernel window (zeros outside the input) of weight × input.
    func testConvolutionMatchesDirectLoops() {
        var generator = SeededGenerator(seed: 1)
        let c = convolution
        let input = GradientCheck.randomFloats(batch * c.inputSize, &generator)
        let parameters = GradientCheck.randomFloats(c.parameterCount, &generator)
        XCTAssertEqual([c.outputHeight, c.outputWidth], [4, 3])
        for backend in GemmBackend.allCases {
            let output = forward(c, input, parameters, backend: backend)
            for n in 0..<batch {
                for oy in 0..<c.outputHeight {
                    for ox in 0..<c.outputWidth {
                        for o in 0..<c.outputChannels {
                            var sum = Double(parameters[c.weightCount + o])
                            for dy in 0..<3 {
                                for dx in 0..<3 {
                                    let (y, x) = (oy * 2 + dy - 1, ox * 2 + dx - 1)
                                    guard (0..<7).contains(y) && (0..<6).contains(x) else { continue }
                                    for i in 0..<3 {
                                        sum += Double(input[((n * 7 + y) * 6 + x) * 3 + i])
                                            * Double(parameters[((dy * 3 + dx) * 3 + i) * 4 + o])
                                    }
                                }
                            }
                            let got = output[((n * c.outputHeight + oy) * c.outputWidth + ox) * 4 + o]
                            XCTAssertEqual(Double(got), sum, accuracy: 1e-4, "\(backend) n\(n) y\(oy) x\(ox) o\(o)")
                        }
                    }
                }
            }
        }
    }

    /// The gradients with respect to parameters and input of Σ output · R match central differences.
    func testConvolutionGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 2)
        let c = convolution
        let input = GradientCheck.randomFloats(batch * c.inputSize, &generator)
        let parameters = GradientCheck.randomFloats(c.parameterCount, &generator)
        let weights = GradientCheck.randomFloats(batch * c.outputSize, &generator)
        func loss(_ input: [Float], _ parameters: [Float]) -> Double {
            zip(forward(c, input, parameters), weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        var patches: [Float] = []
        var output = [Float](repeating: 0, count: batch * c.outputSize)
        var parameterGradient = [Float](repeating: 0, count: c.parameterCount)
        var inputGradient = [Float](repeating: 0, count: batch * c.inputSize)
        input.withUnsafeBufferPointer { x in
            parameters.withUnsafeBufferPointer { p in
                c.forward(x.baseAddress!, batch: batch, parameters: p.baseAddress!, patches: &patches,
                          into: &output)
                c.backward(outputGradient: weights, batch: batch, parameters: p.baseAddress!, patches: patches,
                           parameterGradient: &parameterGradient, inputGradient: &inputGradient)
            }
        }
        XCTAssertEqual(GradientCheck.mismatches(
            parameters: parameters, analytic: parameterGradient, coordinates: Array(0..<c.parameterCount),
            tolerance: 1e-2) { loss(input, $0) }, [])
        XCTAssertEqual(GradientCheck.mismatches(
            parameters: input, analytic: inputGradient, coordinates: Array(0..<(batch * c.inputSize)),
            tolerance: 1e-2) { loss($0, parameters) }, [])
    }

    /// Max pooling 3×3 / 2 with padding 1 (IMPALA's): each output is its window's maximum over the input alone, and
    /// the gradient reaches the winners only, matching central differences.
    func testMaxPoolingMatchesDirectLoopsAndFiniteDifferences() {
        var generator = SeededGenerator(seed: 3)
        let pool = MaxPooling(inputHeight: 7, inputWidth: 6, channels: 2, window: 3, stride: 2, padding: 1)
        XCTAssertEqual([pool.outputHeight, pool.outputWidth], [4, 3])
        let input = GradientCheck.randomFloats(batch * pool.inputSize, &generator)
        func forward(_ input: [Float]) -> (output: [Float], winners: [Int32]) {
            var winners: [Int32] = []
            var output = [Float](repeating: 0, count: batch * pool.outputSize)
            pool.forward(input, batch: batch, winners: &winners, into: &output)
            return (output, winners)
        }
        let (output, winners) = forward(input)
        for n in 0..<batch {
            for oy in 0..<4 {
                for ox in 0..<3 {
                    for channel in 0..<2 {
                        var best = -Float.infinity
                        for y in max(oy * 2 - 1, 0)...min(oy * 2 + 1, 6) {
                            for x in max(ox * 2 - 1, 0)...min(ox * 2 + 1, 5) {
                                best = max(best, input[((n * 7 + y) * 6 + x) * 2 + channel])
                            }
                        }
                        XCTAssertEqual(output[((n * 4 + oy) * 3 + ox) * 2 + channel], best)
                    }
                }
            }
        }
        let weights = GradientCheck.randomFloats(output.count, &generator)
        var inputGradient = [Float](repeating: 0, count: input.count)
        pool.backward(outputGradient: weights, batch: batch, winners: winners, inputGradient: &inputGradient)
        XCTAssertEqual(GradientCheck.mismatches(
            parameters: input, analytic: inputGradient, coordinates: Array(input.indices), epsilon: 1e-3,
            tolerance: 1e-2
        ) { zip(forward($0).output, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) } }, [])
    }

    private func forward(_ c: Convolution, _ input: [Float], _ parameters: [Float],
                         backend: GemmBackend = .preferred) -> [Float] {
        var patches: [Float] = []
        var output = [Float](repeating: 0, count: batch * c.outputSize)
        parameters.withUnsafeBufferPointer { p in
            c.forward(input, batch: batch, parameters: p.baseAddress!, patches: &patches, into: &output,
                      backend: backend)
        }
        return output
    }
}
