/// The named convolutional torsos (docs/networks.md): stacks of convolutions, max pooling and residual blocks over
/// an [H, W, C] observation, flattened into a ReLU dense layer whose output is the torso's features.
public enum ConvolutionalTorsoKind: String, Sendable, Codable, CaseIterable {
    /// The MinAtar paper's network: conv 16 3×3/1, ReLU, dense 128.
    case minatar
    /// DQN's "Nature" network, IMPALA's shallow one: conv 32 8×8/4, 64 4×4/2, 64 3×3/1 (ReLU after each), dense 512.
    case nature
    /// IMPALA's deep network: stages of 16, 32, 32 channels, each conv 3×3/1 (padded), max-pool 3×3/2 (padded) and
    /// two residual blocks (ReLU, conv 3×3, ReLU, conv 3×3, plus the input); ReLU, dense 256.
    case impalaResnet = "impala-resnet"

    /// The smallest height and width every layer's kernel fits.
    public var minimumSide: Int {
        switch self {
        case .minatar: 3
        case .nature: 36
        case .impalaResnet: 1
        }
    }
}

/// A convolutional torso: forward over a batch of NHWC observations to [N, featureSize] features, and backward to
/// its parameters' gradient. Parameters are each convolution's (weights then biases) in order, then the dense
/// layer's weights [F, D] and biases [D].
public final class ConvolutionalTorso {
    /// A convolution and where its parameters start.
    struct Placed {
        let convolution: Convolution
        let offset: Int
    }

    /// One convolution (ReLU after it or not), an optional max pooling, then residual blocks of two convolutions.
    struct Stage {
        let convolution: Placed
        let reluAfter: Bool
        let pool: MaxPooling?
        let blocks: [(first: Placed, second: Placed)]
        /// Floats in one output of the stage.
        var outputSize: Int { pool?.outputSize ?? convolution.convolution.outputSize }
    }

    /// What one forward pass keeps for the backward pass.
    private struct StageCache {
        var input: [Float] = []
        var patches: [Float] = []
        var convolved: [Float] = []
        var winners: [Int32] = []
        var blocks: [BlockCache] = []
    }

    private struct BlockCache {
        var input: [Float] = []
        var firstPatches: [Float] = []
        var rectifiedOutput: [Float] = []
        var secondPatches: [Float] = []
    }

    public let kind: ConvolutionalTorsoKind
    let stages: [Stage]
    /// Floats of the flattened last stage, the dense layer's inputs.
    public let flattenedSize: Int
    public let featureSize: Int
    let denseOffset: Int
    public let parameterCount: Int
    public var backend: GemmBackend
    /// The features of the last forward pass, [N, featureSize].
    public private(set) var features: [Float] = []
    private var caches: [StageCache]
    private var flattened: [Float] = []
    private var batch = 0

    /// The `kind` torso for observations of `height` × `width` × `channels`.
    public init(kind: ConvolutionalTorsoKind, height: Int, width: Int, channels: Int,
                backend: GemmBackend = .preferred) {
        var offset = 0
        func place(_ convolution: Convolution) -> Placed {
            defer { offset += convolution.parameterCount }
            return Placed(convolution: convolution, offset: offset)
        }
        var (h, w, c) = (height, width, channels)
        func convolution(_ outputs: Int, kernel: Int, stride: Int, padding: Int = 0) -> Placed {
            let layer = Convolution(inputHeight: h, inputWidth: w, inputChannels: c, outputChannels: outputs,
                                    kernel: kernel, stride: stride, padding: padding)
            (h, w, c) = (layer.outputHeight, layer.outputWidth, outputs)
            return place(layer)
        }
        var stages: [Stage] = []
        switch kind {
        case .minatar:
            stages = [Stage(convolution: convolution(16, kernel: 3, stride: 1), reluAfter: true, pool: nil, blocks: [])]
        case .nature:
            stages = [(32, 8, 4), (64, 4, 2), (64, 3, 1)].map { outputs, kernel, stride in
                Stage(convolution: convolution(outputs, kernel: kernel, stride: stride), reluAfter: true, pool: nil,
                      blocks: [])
            }
        case .impalaResnet:
            for outputs in [16, 32, 32] {
                let first = convolution(outputs, kernel: 3, stride: 1, padding: 1)
                let pool = MaxPooling(inputHeight: h, inputWidth: w, channels: c, window: 3, stride: 2, padding: 1)
                (h, w) = (pool.outputHeight, pool.outputWidth)
                let blocks = (0..<2).map { _ in
                    (first: convolution(outputs, kernel: 3, stride: 1, padding: 1),
                     second: convolution(outputs, kernel: 3, stride: 1, padding: 1))
                }
                stages.append(Stage(convolution: first, reluAfter: false, pool: pool, blocks: blocks))
            }
        }
        self.kind = kind
        self.stages = stages
        self.backend = backend
        flattenedSize = h * w * c
        featureSize = switch kind {
        case .minatar: 128
        case .nature: 512
        case .impalaResnet: 256
        }
        denseOffset = offset
        parameterCount = offset + flattenedSize * featureSize + featureSize
        caches = Array(repeating: StageCache(), count: stages.count)
    }

    /// Fills the torso's block of `parameters` (from `offset`): weights Gaussian with standard deviation
    /// gain/√fan-in, biases `bias`.
    public func initialize(_ parameters: inout [Float], at offset: Int = 0, gain: Float, bias: Float = 0,
                           generator: inout SeededGenerator) {
        func fill(_ start: Int, weights: Int, biases: Int, fanIn: Int) {
            let deviation = gain / Float(fanIn).squareRoot()
            for i in start..<(start + weights) { parameters[offset + i] = deviation * generator.nextGaussian() }
            for i in (start + weights)..<(start + weights + biases) { parameters[offset + i] = bias }
        }
        for stage in stages {
            for placed in [stage.convolution] + stage.blocks.flatMap({ [$0.first, $0.second] }) {
                let convolution = placed.convolution
                fill(placed.offset, weights: convolution.weightCount, biases: convolution.outputChannels,
                     fanIn: convolution.patchSize)
            }
        }
        fill(denseOffset, weights: flattenedSize * featureSize, biases: featureSize, fanIn: flattenedSize)
    }

    /// Features [N, featureSize] of `batch` observations [N, H, W, C], kept in `features`.
    public func forward(_ input: UnsafePointer<Float>, batch: Int, parameters: UnsafePointer<Float>) {
        self.batch = batch
        let inputSize = stages[0].convolution.convolution.inputSize
        var current = Array(UnsafeBufferPointer(start: input, count: batch * inputSize))
        for (index, stage) in stages.enumerated() {
            var cache = caches[index]
            cache.input = current
            current = forward(stage, cache: &cache, parameters: parameters)
            caches[index] = cache
        }
        // The last ReLU before flattening (IMPALA's; idempotent after the others' own).
        flattened = current.map { max($0, 0) }
        resize(&features, to: batch * featureSize)
        let bias = parameters + denseOffset + flattenedSize * featureSize
        features.withUnsafeMutableBufferPointer { out in
            for row in 0..<batch { (out.baseAddress! + row * featureSize).update(from: bias, count: featureSize) }
            Gemm.multiply(flattened, parameters + denseOffset, into: out.baseAddress!, m: batch, n: featureSize,
                          k: flattenedSize, accumulate: true, backend: backend)
            for i in out.indices { out[i] = max(out[i], 0) }
        }
    }

    /// Adds to `gradient` (the torso's parameter block) the derivative of a loss whose derivative with respect to the
    /// last forward pass's features is `featureGradient` [N, featureSize].
    public func backward(featureGradient: [Float], parameters: UnsafePointer<Float>,
                         into gradient: UnsafeMutablePointer<Float>) {
        precondition(featureGradient.count == batch * featureSize)
        var upstream = zip(featureGradient, features).map { $1 > 0 ? $0 : 0 }
        Gemm.multiply(flattened, transposeA: true, upstream, into: gradient + denseOffset, m: flattenedSize,
                      n: featureSize, k: batch, accumulate: true, backend: backend)
        let biasGradient = gradient + denseOffset + flattenedSize * featureSize
        for row in 0..<batch {
            for j in 0..<featureSize { biasGradient[j] += upstream[row * featureSize + j] }
        }
        var current = [Float](repeating: 0, count: batch * flattenedSize)
        current.withUnsafeMutableBufferPointer { out in
            Gemm.multiply(upstream, parameters + denseOffset, transposeB: true, into: out.baseAddress!, m: batch,
                          n: flattenedSize, k: featureSize, backend: backend)
        }
        upstream = zip(current, flattened).map { $1 > 0 ? $0 : 0 }
        for index in stages.indices.reversed() {
            upstream = backward(stages[index], cache: caches[index], outputGradient: upstream, parameters: parameters,
                                gradient: gradient, needsInputGradient: index > 0)
        }
    }

    private func forward(_ stage: Stage, cache: inout StageCache, parameters: UnsafePointer<Float>) -> [Float] {
        let convolution = stage.convolution.convolution
        resize(&cache.convolved, to: batch * convolution.outputSize)
        convolution.forward(cache.input, batch: batch, parameters: parameters + stage.convolution.offset,
                            patches: &cache.patches, into: &cache.convolved, backend: backend)
        if stage.reluAfter { rectify(&cache.convolved) }
        var output = cache.convolved
        if let pool = stage.pool {
            output = [Float](repeating: 0, count: batch * pool.outputSize)
            pool.forward(cache.convolved, batch: batch, winners: &cache.winners, into: &output)
        }
        if cache.blocks.count != stage.blocks.count {
            cache.blocks = Array(repeating: BlockCache(), count: stage.blocks.count)
        }
        for (index, block) in stage.blocks.enumerated() {
            var blockCache = cache.blocks[index]
            blockCache.input = output
            var rectified = output
            rectify(&rectified)
            var hidden = [Float](repeating: 0, count: output.count)
            block.first.convolution.forward(rectified, batch: batch, parameters: parameters + block.first.offset,
                                            patches: &blockCache.firstPatches, into: &hidden, backend: backend)
            rectify(&hidden)
            blockCache.rectifiedOutput = hidden
            var residual = [Float](repeating: 0, count: output.count)
            block.second.convolution.forward(hidden, batch: batch, parameters: parameters + block.second.offset,
                                             patches: &blockCache.secondPatches, into: &residual, backend: backend)
            for i in output.indices { output[i] += residual[i] }
            cache.blocks[index] = blockCache
        }
        return output
    }

    /// The gradient with respect to the stage's input (empty when not needed), after adding its parameters'.
    private func backward(_ stage: Stage, cache: StageCache, outputGradient: [Float], parameters: UnsafePointer<Float>,
                          gradient: UnsafeMutablePointer<Float>, needsInputGradient: Bool) -> [Float] {
        var upstream = outputGradient
        for (index, block) in stage.blocks.enumerated().reversed() {
            let blockCache = cache.blocks[index]
            var hiddenGradient = [Float](repeating: 0, count: upstream.count)
            block.second.convolution.backward(
                outputGradient: upstream, batch: batch, parameters: parameters + block.second.offset,
                patches: blockCache.secondPatches, parameterGradient: gradient + block.second.offset,
                inputGradient: &hiddenGradient, backend: backend)
            for i in hiddenGradient.indices where blockCache.rectifiedOutput[i] <= 0 { hiddenGradient[i] = 0 }
            var inputGradient = [Float](repeating: 0, count: upstream.count)
            block.first.convolution.backward(
                outputGradient: hiddenGradient, batch: batch, parameters: parameters + block.first.offset,
                patches: blockCache.firstPatches, parameterGradient: gradient + block.first.offset,
                inputGradient: &inputGradient, backend: backend)
            for i in upstream.indices where blockCache.input[i] > 0 { upstream[i] += inputGradient[i] }
        }
        if let pool = stage.pool {
            var convolvedGradient = [Float](repeating: 0, count: cache.convolved.count)
            pool.backward(outputGradient: upstream, batch: batch, winners: cache.winners,
                          inputGradient: &convolvedGradient)
            upstream = convolvedGradient
        }
        if stage.reluAfter {
            for i in upstream.indices where cache.convolved[i] <= 0 { upstream[i] = 0 }
        }
        let (convolution, offset) = (stage.convolution.convolution, stage.convolution.offset)
        var inputGradient = [Float](repeating: 0, count: needsInputGradient ? cache.input.count : 0)
        inputGradient.withUnsafeMutableBufferPointer { inputGradient in
            convolution.backward(outputGradient: upstream, batch: batch, parameters: parameters + offset,
                                 patches: cache.patches, parameterGradient: gradient + offset,
                                 inputGradient: needsInputGradient ? inputGradient.baseAddress : nil, backend: backend)
        }
        return inputGradient
    }

    private func rectify(_ values: inout [Float]) {
        for i in values.indices where values[i] < 0 { values[i] = 0 }
    }
}
