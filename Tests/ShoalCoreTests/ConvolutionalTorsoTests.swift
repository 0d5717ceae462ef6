@testable import ShoalCore
import XCTest

/// The named convolutional torsos: their shapes and parameter counts, and their backward passes against finite
/// differences.
final class ConvolutionalTorsoTests: XCTestCase {
    /// Layer sizes as docs/networks.md gives them, on the observations each is meant for.
    func testTorsosHaveTheirPublishedShapes() {
        let minatar = ConvolutionalTorso(kind: .minatar, height: 10, width: 10, channels: 4)
        XCTAssertEqual(minatar.flattenedSize, 8 * 8 * 16)
        XCTAssertEqual(minatar.parameterCount, (3 * 3 * 4 * 16 + 16) + (8 * 8 * 16 * 128 + 128))
        let nature = ConvolutionalTorso(kind: .nature, height: 84, width: 84, channels: 4)
        XCTAssertEqual(nature.flattenedSize, 7 * 7 * 64)
        XCTAssertEqual(nature.featureSize, 512)
        XCTAssertEqual(nature.parameterCount, (8 * 8 * 4 * 32 + 32) + (4 * 4 * 32 * 64 + 64) + (3 * 3 * 64 * 64 + 64)
                       + (7 * 7 * 64 * 512 + 512))
        let resnet = ConvolutionalTorso(kind: .impalaResnet, height: 84, width: 84, channels: 4)
        XCTAssertEqual(resnet.flattenedSize, 11 * 11 * 32)  // 84 → 42 → 21 → 11
        XCTAssertEqual(resnet.featureSize, 256)
        let convolutions = [(4, 16), (16, 32), (32, 32)].reduce(0) { total, stage in
            let (inputs, outputs) = stage
            return total + (9 * inputs * outputs + outputs) + 4 * (9 * outputs * outputs + outputs)
        }
        XCTAssertEqual(resnet.parameterCount, convolutions + 11 * 11 * 32 * 256 + 256)
    }

    /// d(Σ features · R)/dθ matches central differences, for every kind, on small observations: along random
    /// directions within each layer's parameters (every convolution's and the dense layer's), so that each layer's
    /// gradient is checked on its own. A direction rather than single coordinates, because one coordinate's effect on
    /// a deep ReLU network in float32 is lost in rounding at an ε small enough to cross no ReLU's kink; weights are
    /// drawn with variance 1/fan-in, so activations stay near 1 through every layer.
    func testGradientsMatchFiniteDifferences() {
        for (kind, shape) in [(ConvolutionalTorsoKind.minatar, (6, 5, 3)), (.nature, (36, 38, 2)),
                              (.impalaResnet, (9, 8, 2))] {
            var generator = SeededGenerator(seed: 7)
            let torso = ConvolutionalTorso(kind: kind, height: shape.0, width: shape.1, channels: shape.2)
            let batch = 2
            let input = GradientCheck.randomFloats(batch * shape.0 * shape.1 * shape.2, &generator)
            var parameters = [Float](repeating: 0, count: torso.parameterCount)
            torso.initialize(&parameters, gain: 1, bias: 0.1, generator: &generator)
            let weights = GradientCheck.randomFloats(batch * torso.featureSize, &generator)
            func loss(_ parameters: [Float]) -> Double {
                parameters.withUnsafeBufferPointer { torso.forward(input, batch: batch, parameters: $0.baseAddress!) }
                return zip(torso.features, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
            }
            _ = loss(parameters)
            XCTAssertGreaterThan(torso.features.filter { $0 > 0 }.count, torso.features.count / 10, "\(kind) all dead")
            var gradient = [Float](repeating: 0, count: torso.parameterCount)
            parameters.withUnsafeBufferPointer { p in
                gradient.withUnsafeMutableBufferPointer { g in
                    torso.backward(featureGradient: weights, parameters: p.baseAddress!, into: g.baseAddress!)
                }
            }
            let layers = torso.stages
                .flatMap { stage in [stage.convolution] + stage.blocks.flatMap { [$0.first, $0.second] } }
                .map { $0.offset..<($0.offset + $0.convolution.parameterCount) }
                + [torso.denseOffset..<torso.parameterCount]
            for (index, layer) in layers.enumerated() {
                let (analytic, numeric) = GradientCheck.alongRandomDirection(
                    parameters: parameters, analytic: gradient, block: layer, generator: &generator, loss: loss)
                // 2%, but never under 0.01: float32 rounds a loss over 512 features to about 1e-5, 0.005 at this ε.
                XCTAssertEqual(analytic, numeric, accuracy: 2e-2 * max(abs(numeric), 0.5), "\(kind) layer \(index)")
            }
        }
    }
}
