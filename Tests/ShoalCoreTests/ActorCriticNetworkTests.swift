import Foundation
@testable import ShoalCore
import XCTest

final class ActorCriticNetworkTests: XCTestCase {
    private let specs: [NetworkSpec] = [
        NetworkSpec(observationSize: 4, hiddenSizes: [8, 6], activation: .tanh, head: .categorical(actions: 3)),
        NetworkSpec(observationSize: 3, hiddenSizes: [7], activation: .relu, head: .gaussian(dimensions: 2)),
        NetworkSpec(observationSize: 5, hiddenSizes: [], activation: .tanh, head: .categorical(actions: 2)),
    ]

    /// The hand-written backward pass against finite differences of L = Σ Gp·policyOutputs + Σ Gv·values.
    func testBackwardMatchesFiniteDifferences() {
        for backend in GemmBackend.allCases {
            for spec in specs {
                var generator = SeededGenerator(seed: 11)
                let network = ActorCriticNetwork(spec: spec, generator: &generator, backend: backend)
                // Larger weights than the initialiser's so every head has a gradient worth checking.
                network.parameters = GradientCheck.randomFloats(network.layout.count, &generator, scale: 0.5)
                let rows = 5
                let observations = GradientCheck.randomFloats(rows * spec.observationSize, &generator)
                let upstreamPolicy = GradientCheck.randomFloats(rows * spec.head.distributionParameterCount, &generator)
                let upstreamValue = GradientCheck.randomFloats(rows, &generator)
                let loss = { (parameters: [Float]) -> Double in
                    self.outputLoss(ActorCriticNetwork(spec: spec, parameters: parameters, backend: backend),
                                    observations, upstreamPolicy, upstreamValue)
                }
                network.forward(observations)
                var gradient = [Float](repeating: 0, count: network.layout.count)
                network.backward(policyOutputGradient: upstreamPolicy, valueGradient: upstreamValue, into: &gradient)
                let failures = GradientCheck.mismatches(
                    parameters: network.parameters, analytic: gradient, coordinates: Array(0..<network.layout.count),
                    epsilon: 1e-2, tolerance: 2e-2, loss: loss)
                // ReLU kinks make a handful of finite differences meaningless; tanh has none.
                let allowed = spec.activation == .relu ? network.layout.count / 50 : 0
                XCTAssertLessThanOrEqual(failures.count, allowed, "\(spec) \(backend): \(failures.prefix(5))")
            }
        }
    }

    /// With a convolutional torso, the heads read its features and the backward pass reaches its parameters: the
    /// derivative of L along random directions in the torso's block and in each head's matches central differences
    /// (directions, as in ConvolutionalTorsoTests, because single float32 coordinates drown in rounding).
    func testConvolutionalTorsoIsTrainedThroughTheHeads() {
        for (kind, head) in [(ConvolutionalTorsoKind.minatar, PolicyHead.categorical(actions: 3)),
                             (.impalaResnet, .gaussian(dimensions: 2))] {
            var generator = SeededGenerator(seed: 12)
            let torso = ConvolutionalTorsoSpec(kind: kind, height: 6, width: 5, channels: 2)
            let spec = NetworkSpec(observationSize: 60, hiddenSizes: [], activation: .relu, head: head,
                                   convolutionalTorso: torso)
            let network = ActorCriticNetwork(spec: spec, generator: &generator)
            XCTAssertEqual(network.layout.convolutionalTorsoCount, torso.make().parameterCount)
            XCTAssertEqual(network.layout.policy.inputs, torso.make().featureSize)
            let rows = 3
            let observations = GradientCheck.randomFloats(rows * 60, &generator)
            let upstreamPolicy = GradientCheck.randomFloats(rows * head.distributionParameterCount, &generator)
            let upstreamValue = GradientCheck.randomFloats(rows, &generator)
            func loss(_ parameters: [Float]) -> Double {
                outputLoss(ActorCriticNetwork(spec: spec, parameters: parameters), observations, upstreamPolicy,
                           upstreamValue)
            }
            network.forward(observations)
            var gradient = [Float](repeating: 0, count: network.layout.count)
            network.backward(policyOutputGradient: upstreamPolicy, valueGradient: upstreamValue, into: &gradient)
            let layout = network.layout
            for block in [0..<layout.convolutionalTorsoCount, layout.policy.weightOffset..<layout.policy.end,
                          layout.value.weightOffset..<layout.value.end] {
                let (analytic, numeric) = GradientCheck.alongRandomDirection(
                    parameters: network.parameters, analytic: gradient, block: block, generator: &generator,
                    loss: loss)
                XCTAssertEqual(analytic, numeric, accuracy: 2e-2 * max(abs(numeric), 0.5), "\(kind) \(block)")
                XCTAssertGreaterThan(abs(analytic), 1e-3, "\(kind) \(block): no gradient reached it")
            }
        }
    }

    /// With an LSTM core, the backward pass goes through time from the heads to the torso: every parameter's
    /// derivative of L over two sequences of four steps, one of them beginning a new episode at step 2, from a given
    /// initial state, matches central differences.
    func testRecurrentCoreIsTrainedThroughTime() {
        for head in [PolicyHead.categorical(actions: 2), .gaussian(dimensions: 1)] {
            var generator = SeededGenerator(seed: 13)
            let spec = NetworkSpec(observationSize: 3, hiddenSizes: [5], activation: .tanh, head: head, lstmSize: 4)
            let network = ActorCriticNetwork(spec: spec, generator: &generator)
            XCTAssertEqual(network.layout.coreOffset, network.layout.torso[0].end)
            XCTAssertEqual(network.layout.policy.inputs, 4)
            network.parameters = GradientCheck.randomFloats(network.layout.count, &generator, scale: 0.5)
            let (steps, batch) = (4, 2)
            let observations = GradientCheck.randomFloats(steps * batch * 3, &generator)
            let state = GradientCheck.randomFloats(network.stateSize(batch: batch), &generator)
            var starts = [Bool](repeating: false, count: steps * batch)
            starts[2 * batch + 1] = true
            let upstreamPolicy = GradientCheck.randomFloats(steps * batch * head.distributionParameterCount, &generator)
            let upstreamValue = GradientCheck.randomFloats(steps * batch, &generator)
            func run(_ network: ActorCriticNetwork) {
                observations.withUnsafeBufferPointer {
                    network.forward($0, timeSteps: steps, batch: batch, initialState: state, episodeStarts: starts)
                }
            }
            func loss(_ parameters: [Float]) -> Double {
                outputLoss(ActorCriticNetwork(spec: spec, parameters: parameters), run: run, upstreamPolicy,
                           upstreamValue)
            }
            run(network)
            var gradient = [Float](repeating: 0, count: network.layout.count)
            network.backward(policyOutputGradient: upstreamPolicy, valueGradient: upstreamValue, into: &gradient)
            let failures = GradientCheck.mismatches(
                parameters: network.parameters, analytic: gradient, coordinates: Array(0..<network.layout.count),
                loss: loss)
            XCTAssertEqual(failures, [], "\(head)")
            let core = network.layout.coreOffset!..<network.layout.policy.weightOffset
            XCTAssertTrue(core.contains { gradient[$0] != 0 }, "no gradient reached the core")
            XCTAssertTrue((0..<core.lowerBound).contains { abs(gradient[$0]) > 1e-4 }, "no gradient reached the torso")
        }
    }

    /// A recurrent network's state runs on across calls: two calls of two steps from the first's final state give
    /// the outputs of one call of four steps.
    func testRecurrentStateCarriesAcrossCalls() {
        var generator = SeededGenerator(seed: 14)
        let spec = NetworkSpec(observationSize: 3, hiddenSizes: [], activation: .tanh, head: .categorical(actions: 2),
                               lstmSize: 6)
        let network = ActorCriticNetwork(spec: spec, generator: &generator)
        let batch = 3
        let observations = GradientCheck.randomFloats(4 * batch * 3, &generator)
        observations.withUnsafeBufferPointer { network.forward($0, timeSteps: 4, batch: batch) }
        let whole = network.values
        var halves: [Float] = []
        var state: [Float] = []
        for half in 0..<2 {
            let rows = Array(observations[(half * 2 * batch * 3)..<((half + 1) * 2 * batch * 3)])
            rows.withUnsafeBufferPointer { network.forward($0, timeSteps: 2, batch: batch, initialState: state) }
            halves += network.values
            state = network.finalState
        }
        XCTAssertEqual(state.count, network.stateSize(batch: batch))
        for (a, b) in zip(whole, halves) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    /// L = Σ Gp·policyOutputs + Σ Gv·values of `network` on `observations`.
    private func outputLoss(_ network: ActorCriticNetwork, _ observations: [Float], _ policyWeights: [Float],
                            _ valueWeights: [Float]) -> Double {
        outputLoss(network, run: { $0.forward(observations) }, policyWeights, valueWeights)
    }

    /// L = Σ Gp·policyOutputs + Σ Gv·values of `network` after `run` ran it.
    private func outputLoss(_ network: ActorCriticNetwork, run: (ActorCriticNetwork) -> Void, _ policyWeights: [Float],
                            _ valueWeights: [Float]) -> Double {
        run(network)
        return zip(network.policyOutputs, policyWeights).reduce(0) { $0 + Double($1.0 * $1.1) }
            + zip(network.values, valueWeights).reduce(0) { $0 + Double($1.0 * $1.1) }
    }

    /// Bytes become floats in the first layer: uint8 pixels scaled to [0, 1], bool flags as 0 and 1.
    func testByteObservationsBecomeFloatsInTheFirstLayer() {
        var generator = SeededGenerator(seed: 15)
        let floatSpec = NetworkSpec(observationSize: 6, hiddenSizes: [5], activation: .relu,
                                    head: .categorical(actions: 2))
        let floatNetwork = ActorCriticNetwork(spec: floatSpec, generator: &generator)
        for (dtype, values) in [(ObservationDType.uint8, [UInt8](arrayLiteral: 0, 255, 17, 128, 3, 200, 1, 0, 9, 99, 254, 7)),
                                (.bool, [1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0])] {
            var spec = floatSpec
            spec.observationDType = dtype
            let network = ActorCriticNetwork(spec: spec, parameters: floatNetwork.parameters)
            values.withUnsafeBufferPointer { network.forward(.bytes($0), timeSteps: 2, batch: 1) }
            floatNetwork.forward(values.map { Float($0) * (dtype == .uint8 ? 1 / 255 : 1) })
            XCTAssertEqual(network.policyOutputs, floatNetwork.policyOutputs, "\(dtype)")
            XCTAssertEqual(network.values, floatNetwork.values, "\(dtype)")
        }
    }

    func testForwardIsBatchedRowByRow() {
        var generator = SeededGenerator(seed: 3)
        let spec = specs[0]
        let network = ActorCriticNetwork(spec: spec, generator: &generator)
        let observations = GradientCheck.randomFloats(6 * spec.observationSize, &generator)
        network.forward(observations)
        let (batchedPolicy, batchedValues) = (network.policyOutputs, network.values)
        for row in 0..<6 {
            network.forward(Array(observations[(row * 4)..<((row + 1) * 4)]))
            XCTAssertEqual(network.values[0], batchedValues[row], accuracy: 1e-5)
            for j in 0..<3 { XCTAssertEqual(network.policyOutputs[j], batchedPolicy[row * 3 + j], accuracy: 1e-5) }
        }
    }

    func testSameSeedGivesSameParameters() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let spec = specs[0]
        XCTAssertEqual(ActorCriticNetwork(spec: spec, generator: &a).parameters,
                       ActorCriticNetwork(spec: spec, generator: &b).parameters)
        XCTAssertNotEqual(ActorCriticNetwork(spec: spec, generator: &a).parameters,
                          ActorCriticNetwork(spec: spec, generator: &c).parameters)
    }

    func testGemmBackendsAgreeWithNaiveProduct() {
        var generator = SeededGenerator(seed: 5)
        let (m, n, k) = (7, 13, 9)
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a = GradientCheck.randomFloats(m * k, &generator)
                let b = GradientCheck.randomFloats(k * n, &generator)
                var expected = [Float](repeating: 0, count: m * n)
                for i in 0..<m {
                    for j in 0..<n {
                        for p in 0..<k {
                            let x = transposeA ? a[p * m + i] : a[i * k + p]
                            let y = transposeB ? b[j * k + p] : b[p * n + j]
                            expected[i * n + j] += x * y
                        }
                    }
                }
                for backend in GemmBackend.allCases {
                    var c = [Float](repeating: 1, count: m * n)
                    Gemm.multiply(a, transposeA: transposeA, b, transposeB: transposeB, into: &c,
                                  m: m, n: n, k: k, accumulate: true, backend: backend)
                    for i in 0..<(m * n) {
                        XCTAssertEqual(c[i], expected[i] + 1, accuracy: 1e-4, "\(backend) tA=\(transposeA) tB=\(transposeB)")
                    }
                }
            }
        }
    }
}

final class VectorTanhTests: XCTestCase {
    func testMatchesLibmTanhToOneMillionth() {
        var values = stride(from: Float(-12), through: 12, by: 0.001).map { $0 }
        values += [0, -0, 1e-8, -1e-8, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        let expected = values.map { Foundation.tanh(Double($0)) }
        values.withUnsafeMutableBufferPointer { VectorTanh.apply($0) }
        let worst = zip(values, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-6)
    }
}
