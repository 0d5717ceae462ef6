/// An actor-critic: a shared torso (an MLP, or a convolutional torso over image observations), an optional LSTM core,
/// a policy head and a value head, over one flat parameter vector.
///
/// `forward` runs a batch of N observations [N, O] (for a recurrent network, B sequences of T steps) and keeps the activations it needs for `backward`, which
/// accumulates the gradient of a loss given its derivatives with respect to the outputs. Not thread-safe: each
/// thread or process owns its network.
public final class ActorCriticNetwork {
    public let spec: NetworkSpec
    public let layout: ParameterLayout
    /// The parameters, laid out as `layout` describes.
    public var parameters: [Float]
    public var backend: GemmBackend {
        didSet {
            convolutional?.backend = backend
            core?.backend = backend
        }
    }

    /// Distribution parameters of the last forward pass, [N, P] (`spec.head.distributionParameterCount`).
    public private(set) var policyOutputs: [Float] = []
    /// State values of the last forward pass, [N].
    public private(set) var values: [Float] = []
    /// Rows in the last forward pass.
    public private(set) var batchSize = 0

    /// activations[0] is the input; activations[l + 1] is torso layer l's output after its nonlinearity.
    private var activations: [[Float]]
    /// The convolutional torso, which reads activations[0], when the spec has one (the MLP torso is then empty).
    private let convolutional: ConvolutionalTorso?
    /// The LSTM core between the torso and the heads, when the spec has one.
    private let core: LSTMCore?
    private var headOutputs: [Float] = []
    private var gradientScratch: ([Float], [Float]) = ([], [])

    /// Creates a network with freshly initialised parameters drawn from `generator`.
    public convenience init(spec: NetworkSpec, generator: inout SeededGenerator, backend: GemmBackend = .preferred) {
        let layout = ParameterLayout(spec: spec)
        self.init(spec: spec, parameters: NetworkInitializer.parameters(for: spec, layout: layout, generator: &generator),
                  backend: backend)
    }

    /// Creates a network around existing parameters, which must match the layout's size.
    public init(spec: NetworkSpec, parameters: [Float], backend: GemmBackend = .preferred) {
        let layout = ParameterLayout(spec: spec)
        precondition(parameters.count == layout.count, "parameter count \(parameters.count) ≠ layout \(layout.count)")
        self.spec = spec
        self.layout = layout
        self.parameters = parameters
        self.backend = backend
        self.activations = Array(repeating: [], count: spec.hiddenSizes.count + 1)
        self.convolutional = spec.convolutionalTorso?.make(backend: backend)
        self.core = spec.lstmSize.map { LSTMCore(inputSize: layout.torsoOutputSize, hiddenSize: $0, backend: backend) }
    }

    /// Runs `count` observations ([count, O], row-major) through a feed-forward network, filling `policyOutputs` and
    /// `values`.
    public func forward(_ observations: UnsafeBufferPointer<Float>, count: Int) {
        precondition(core == nil, "a recurrent network runs sequences: forward(_:timeSteps:batch:initialState:...)")
        forward(.floats(observations), timeSteps: count, batch: 1)
    }

    /// `forward(_:timeSteps:batch:initialState:episodeStarts:)` of float observations.
    public func forward(_ observations: UnsafeBufferPointer<Float>, timeSteps: Int, batch: Int,
                        initialState: [Float] = [], episodeStarts: [Bool] = []) {
        forward(.floats(observations), timeSteps: timeSteps, batch: batch, initialState: initialState,
                episodeStarts: episodeStarts)
    }

    /// Runs T×B observations ([T, B, O], time-major; bytes are scaled into floats first) as B sequences of T steps, the core (if any) starting from
    /// `initialState` ([2, B, H], hidden states then cells, or empty for zeros) and zeroing a sequence's state before
    /// each step where `episodeStarts` ([T, B], or empty for none) says an episode began. A feed-forward network
    /// ignores both. Fills `policyOutputs` and `values` ([T, B, …]) and, for a recurrent network, `finalState`.
    public func forward(_ observations: ObservationInput, timeSteps: Int, batch: Int,
                        initialState: [Float] = [], episodeStarts: [Bool] = []) {
        let count = timeSteps * batch
        precondition(observations.count >= count * spec.observationSize, "observation buffer too small")
        batchSize = count
        let size = count * spec.observationSize
        switch observations {
        case .floats(let values):
            activations[0].replaceSubrange(0..., with: values.prefix(size))
        case .bytes(let values):
            resize(&activations[0], to: size)
            let scale = spec.observationDType.scale
            activations[0].withUnsafeMutableBufferPointer { input in
                for i in 0..<size { input[i] = Float(values[i]) * scale }
            }
        }
        run(timeSteps: timeSteps, batch: batch, initialState: initialState, episodeStarts: episodeStarts)
    }

    /// Floats in a recurrent state of `batch` sequences: 2·B·H (0 for a feed-forward network).
    public func stateSize(batch: Int) -> Int { 2 * batch * (spec.lstmSize ?? 0) }

    /// The core's state after the last step of the last forward pass, [2, B, H]; empty for a feed-forward network.
    public var finalState: [Float] { core.map { $0.finalHidden + $0.finalCell } ?? [] }

    /// The core's state after each step `t·B + b` of `indices` in the last forward pass, [2, K, H].
    public func states(after indices: [Int]) -> [Float] { core?.states(after: indices) ?? [] }

    /// The forward pass from the observations in activations[0].
    private func run(timeSteps: Int, batch: Int, initialState: [Float], episodeStarts: [Bool]) {
        let count = timeSteps * batch
        if let offset = layout.observationStatisticsOffset {
            ObservationStatistics.normalize(&activations[0], parameters: parameters, at: offset,
                                            observationSize: spec.observationSize)
        }
        parameters.withUnsafeBufferPointer { params in
            for (l, layer) in layout.torso.enumerated() {
                resize(&activations[l + 1], to: count * layer.outputs)
                dense(layer, params, input: activations[l], output: &activations[l + 1], rows: count)
                applyActivation(&activations[l + 1])
            }
            convolutional?.forward(activations[0], batch: count, parameters: params.baseAddress!)
            if let core, let offset = layout.coreOffset {
                let h = core.hiddenSize
                let state = initialState.isEmpty ? [Float](repeating: 0, count: 2 * batch * h) : initialState
                precondition(state.count == 2 * batch * h, "initial state does not fit \(batch) sequences")
                core.forward(torsoFeatures, timeSteps: timeSteps, batch: batch,
                             hidden: Array(state[0..<(batch * h)]), cell: Array(state[(batch * h)...]),
                             resets: episodeStarts.isEmpty ? [Bool](repeating: false, count: count) : episodeStarts,
                             parameters: params.baseAddress! + offset)
            }
            let features = core?.outputs ?? torsoFeatures
            let head = layout.policy
            resize(&headOutputs, to: count * head.outputs)
            dense(head, params, input: features, output: &headOutputs, rows: count)
            resize(&values, to: count)
            dense(layout.value, params, input: features, output: &values, rows: count)
            writePolicyOutputs(params, rows: count)
        }
    }

    /// What the torso made of the last forward pass's observations.
    private var torsoFeatures: [Float] { convolutional?.features ?? activations[layout.torso.count] }

    /// Convenience overload of `forward` for an array of whole observations of a feed-forward network.
    public func forward(_ observations: [Float]) {
        observations.withUnsafeBufferPointer { forward($0, count: $0.count / spec.observationSize) }
    }

    /// Rescales the value head's last layer so that each output v becomes scale·v + shift, and the values of the last
    /// forward pass with it (PopArt's output-preserving step).
    public func transformValueHead(scale: Float, shift: Float) {
        let layer = layout.value
        for i in layer.weightOffset..<layer.biasOffset { parameters[i] *= scale }
        for i in layer.biasOffset..<layer.end { parameters[i] = parameters[i] * scale + shift }
        for i in values.indices { values[i] = values[i] * scale + shift }
    }

    /// Adds to `gradient` the derivative of a loss with respect to the parameters, given the loss's derivatives
    /// with respect to the last forward pass's outputs: `policyOutputGradient` [N, P] and `valueGradient` [N].
    public func backward(policyOutputGradient: [Float], valueGradient: [Float], into gradient: inout [Float]) {
        let rows = batchSize
        let head = layout.policy
        precondition(policyOutputGradient.count == rows * spec.head.distributionParameterCount)
        precondition(valueGradient.count == rows && gradient.count == layout.count)
        var (headGradient, featureGradient) = gradientScratch
        defer { gradientScratch = (headGradient, featureGradient) }
        splitPolicyGradient(policyOutputGradient, rows: rows, headGradient: &headGradient, into: &gradient)

        resize(&featureGradient, to: rows * layout.featureSize)
        parameters.withUnsafeBufferPointer { params in
            let features = core?.outputs ?? torsoFeatures
            denseBackward(head, params, input: features, outputGradient: headGradient, rows: rows,
                          inputGradient: &featureGradient, accumulateInput: false, gradient: &gradient)
            denseBackward(layout.value, params, input: features, outputGradient: valueGradient, rows: rows,
                          inputGradient: &featureGradient, accumulateInput: true, gradient: &gradient)
            var upstream = featureGradient
            if let core, let offset = layout.coreOffset {
                upstream = gradient.withUnsafeMutableBufferPointer {
                    core.backward(outputGradient: featureGradient, parameters: params.baseAddress! + offset,
                                  parameterGradient: $0.baseAddress! + offset)
                }
            }
            for l in stride(from: layout.torso.count - 1, through: 0, by: -1) {
                let layer = layout.torso[l]
                multiplyByActivationDerivative(&upstream, output: activations[l + 1])
                var inputGradient: [Float] = []
                let needsInput = l > 0
                if needsInput { inputGradient = [Float](repeating: 0, count: rows * layer.inputs) }
                denseBackward(layer, params, input: activations[l], outputGradient: upstream, rows: rows,
                              inputGradient: &inputGradient, accumulateInput: false, gradient: &gradient,
                              computeInputGradient: needsInput)
                upstream = inputGradient
            }
            if let convolutional {
                gradient.withUnsafeMutableBufferPointer {
                    convolutional.backward(featureGradient: upstream, parameters: params.baseAddress!,
                                           into: $0.baseAddress!)
                }
            }
        }
    }

    // MARK: - Layers

    private func dense(
        _ layer: ParameterLayout.Dense, _ params: UnsafeBufferPointer<Float>, input: [Float], output: inout [Float],
        rows: Int
    ) {
        let base = params.baseAddress!
        output.withUnsafeMutableBufferPointer { out in
            for r in 0..<rows {
                (out.baseAddress! + r * layer.outputs).update(from: base + layer.biasOffset, count: layer.outputs)
            }
            input.withUnsafeBufferPointer { x in
                Gemm.multiply(x.baseAddress!, base + layer.weightOffset, into: out.baseAddress!,
                              m: rows, n: layer.outputs, k: layer.inputs, accumulate: true, backend: backend)
            }
        }
    }

    private func denseBackward(
        _ layer: ParameterLayout.Dense, _ params: UnsafeBufferPointer<Float>, input: [Float], outputGradient: [Float],
        rows: Int, inputGradient: inout [Float], accumulateInput: Bool, gradient: inout [Float],
        computeInputGradient: Bool = true
    ) {
        let (n, k) = (layer.outputs, layer.inputs)
        gradient.withUnsafeMutableBufferPointer { grad in
            let g = grad.baseAddress!
            input.withUnsafeBufferPointer { x in
                outputGradient.withUnsafeBufferPointer { dy in
                    // dW += Xᵀ·dY, db += Σ_rows dY.
                    Gemm.multiply(x.baseAddress!, transposeA: true, dy.baseAddress!, into: g + layer.weightOffset,
                                  m: k, n: n, k: rows, accumulate: true, backend: backend)
                    for r in 0..<rows {
                        for j in 0..<n { g[layer.biasOffset + j] += dy[r * n + j] }
                    }
                    guard computeInputGradient else { return }
                    // dX (+)= dY·Wᵀ.
                    inputGradient.withUnsafeMutableBufferPointer { dx in
                        Gemm.multiply(dy.baseAddress!, params.baseAddress! + layer.weightOffset, transposeB: true,
                                      into: dx.baseAddress!, m: rows, n: k, k: n, accumulate: accumulateInput,
                                      backend: backend)
                    }
                }
            }
        }
    }

    // MARK: - Heads

    /// Copies head outputs to `policyOutputs`, appending the log standard deviations for Gaussian heads.
    private func writePolicyOutputs(_ params: UnsafeBufferPointer<Float>, rows: Int) {
        guard let logStdOffset = layout.logStdOffset else {
            swap(&policyOutputs, &headOutputs)
            return
        }
        let d = layout.policy.outputs
        resize(&policyOutputs, to: rows * 2 * d)
        for r in 0..<rows {
            for j in 0..<d {
                policyOutputs[r * 2 * d + j] = headOutputs[r * d + j]
                policyOutputs[r * 2 * d + d + j] = params[logStdOffset + j]
            }
        }
    }

    /// Splits ∂L/∂(policy outputs) into the head's part and, for Gaussian heads, the log-std parameters' part.
    private func splitPolicyGradient(
        _ policyOutputGradient: [Float], rows: Int, headGradient: inout [Float], into gradient: inout [Float]
    ) {
        guard let logStdOffset = layout.logStdOffset else {
            headGradient = policyOutputGradient
            return
        }
        let d = layout.policy.outputs
        resize(&headGradient, to: rows * d)
        for r in 0..<rows {
            for j in 0..<d {
                headGradient[r * d + j] = policyOutputGradient[r * 2 * d + j]
                gradient[logStdOffset + j] += policyOutputGradient[r * 2 * d + d + j]
            }
        }
    }

    // MARK: - Nonlinearity

    private func applyActivation(_ x: inout [Float]) {
        switch spec.activation {
        case .tanh:
            x.withUnsafeMutableBufferPointer { VectorTanh.apply($0) }
        case .relu:
            x.withUnsafeMutableBufferPointer { buffer in
                for i in buffer.indices { buffer[i] = max(buffer[i], 0) }
            }
        }
    }

    /// Multiplies a gradient by the nonlinearity's derivative, expressed through the layer's output y.
    private func multiplyByActivationDerivative(_ gradient: inout [Float], output: [Float]) {
        switch spec.activation {
        case .tanh:
            for i in gradient.indices { gradient[i] *= 1 - output[i] * output[i] }
        case .relu:
            for i in gradient.indices where output[i] <= 0 { gradient[i] = 0 }
        }
    }
}

/// Gives `array` `count` elements (zeros) unless it has them already: scratch buffers reused across passes.
@inline(__always)
func resize(_ array: inout [Float], to count: Int) {
    if array.count != count { array = [Float](repeating: 0, count: count) }
}
