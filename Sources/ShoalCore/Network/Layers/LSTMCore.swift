/// A long short-term memory layer unrolled over T steps of B sequences, with its state zeroed where an episode began,
/// and backpropagation through the unroll.
///
/// Gates as PyTorch's `nn.LSTM` (one bias): z = x·W + h·U + b, split into input i = σ(z₁), forget f = σ(z₂), cell
/// g = tanh(z₃) and output o = σ(z₄); c' = f·c + i·g, h' = o·tanh(c'). Parameters are W [I, 4H], U [H, 4H] and
/// b [4H], row-major, gate blocks in that order. No gradient flows into the initial state, which is data (carried
/// from the previous unroll).
public final class LSTMCore {
    public let inputSize: Int
    public let hiddenSize: Int
    public var backend: GemmBackend

    /// h at each step, [T, B, H], after the last forward pass.
    public private(set) var outputs: [Float] = []
    /// The state after the last step, [B, H] each: what the next unroll starts from.
    public private(set) var finalHidden: [Float] = []
    public private(set) var finalCell: [Float] = []

    private var (timeSteps, batch) = (0, 0)
    private var inputs: [Float] = []
    private var resets: [Bool] = []
    /// Per step: the state it started from (zeroed at resets), the activated gates [B, 4H], c' and tanh(c').
    private var previousHidden: [[Float]] = []
    private var previousCell: [[Float]] = []
    private var gates: [[Float]] = []
    private var cells: [[Float]] = []
    private var cellTanhs: [[Float]] = []

    public init(inputSize: Int, hiddenSize: Int, backend: GemmBackend = .preferred) {
        precondition(inputSize > 0 && hiddenSize > 0)
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.backend = backend
    }

    public var parameterCount: Int { Self.parameterCount(inputSize: inputSize, hiddenSize: hiddenSize) }

    public static func parameterCount(inputSize: Int, hiddenSize: Int) -> Int {
        (inputSize + hiddenSize + 1) * 4 * hiddenSize
    }
    private var recurrentOffset: Int { inputSize * 4 * hiddenSize }
    private var biasOffset: Int { (inputSize + hiddenSize) * 4 * hiddenSize }

    /// Fills the core's slice of `parameters`, from `offset`: weights Gaussian with standard deviation 1/√fan-in, biases
    /// 0 but the forget gate's, 1, so that the state is kept from the start (Jozefowicz et al., 2015).
    public func initialize(_ parameters: inout [Float], at offset: Int, generator: inout SeededGenerator) {
        let width = 4 * hiddenSize
        for i in 0..<recurrentOffset {
            parameters[offset + i] = generator.nextGaussian() / Float(inputSize).squareRoot()
        }
        for i in recurrentOffset..<biasOffset {
            parameters[offset + i] = generator.nextGaussian() / Float(hiddenSize).squareRoot()
        }
        for j in 0..<width { parameters[offset + biasOffset + j] = (hiddenSize..<(2 * hiddenSize)).contains(j) ? 1 : 0 }
    }

    /// The state after step t of sequence b in the last forward pass, for each flat index t·B + b of `indices`:
    /// [2, K, H], hidden states then cells.
    public func states(after indices: [Int]) -> [Float] {
        let h = hiddenSize
        var states = [Float](repeating: 0, count: 2 * indices.count * h)
        for (k, index) in indices.enumerated() {
            let (t, b) = (index / batch, index % batch)
            for j in 0..<h {
                states[k * h + j] = outputs[index * h + j]
                states[(indices.count + k) * h + j] = cells[t][b * h + j]
            }
        }
        return states
    }

    /// Runs `inputs` [T, B, I] from the state (`hidden`, `cell`) [B, H]; `resets` [T, B] zeroes a sequence's state
    /// before step t (its episode began there). Fills `outputs`, `finalHidden` and `finalCell`.
    public func forward(_ inputs: [Float], timeSteps: Int, batch: Int, hidden: [Float], cell: [Float], resets: [Bool],
                        parameters: UnsafePointer<Float>) {
        let h = hiddenSize
        precondition(inputs.count == timeSteps * batch * inputSize && resets.count == timeSteps * batch)
        precondition(hidden.count == batch * h && cell.count == batch * h)
        (self.timeSteps, self.batch, self.inputs, self.resets) = (timeSteps, batch, inputs, resets)
        (previousHidden, previousCell, gates, cells, cellTanhs) = ([], [], [], [], [])
        outputs = [Float](repeating: 0, count: timeSteps * batch * h)
        // x·W + b for every step at once, one product; only h·U waits for the previous step.
        var projected = [Float](repeating: 0, count: timeSteps * batch * 4 * h)
        projected.withUnsafeMutableBufferPointer { z in
            for row in 0..<(timeSteps * batch) {
                (z.baseAddress! + row * 4 * h).update(from: parameters + biasOffset, count: 4 * h)
            }
            Gemm.multiply(inputs, parameters, into: z.baseAddress!, m: timeSteps * batch, n: 4 * h, k: inputSize,
                          accumulate: true, backend: backend)
        }
        var (state, memory) = (hidden, cell)
        for t in 0..<timeSteps {
            for b in 0..<batch where resets[t * batch + b] {
                for j in 0..<h { (state[b * h + j], memory[b * h + j]) = (0, 0) }
            }
            var z = Array(projected[(t * batch * 4 * h)..<((t + 1) * batch * 4 * h)])
            z.withUnsafeMutableBufferPointer { z in
                Gemm.multiply(state, parameters + recurrentOffset, into: z.baseAddress!, m: batch, n: 4 * h, k: h,
                              accumulate: true, backend: backend)
            }
            var newMemory = memory
            var squashed = memory
            for b in 0..<batch {
                let row = b * 4 * h
                for j in 0..<h {
                    let (i, f) = (sigmoid(z[row + j]), sigmoid(z[row + h + j]))
                    let (g, o) = (tanhFloat(z[row + 2 * h + j]), sigmoid(z[row + 3 * h + j]))
                    (z[row + j], z[row + h + j], z[row + 2 * h + j], z[row + 3 * h + j]) = (i, f, g, o)
                    newMemory[b * h + j] = f * memory[b * h + j] + i * g
                    squashed[b * h + j] = tanhFloat(newMemory[b * h + j])
                    outputs[(t * batch + b) * h + j] = o * squashed[b * h + j]
                }
            }
            previousHidden.append(state)
            previousCell.append(memory)
            gates.append(z)
            cells.append(newMemory)
            cellTanhs.append(squashed)
            state = Array(outputs[(t * batch * h)..<((t + 1) * batch * h)])
            memory = newMemory
        }
        (finalHidden, finalCell) = (state, memory)
    }

    /// Adds the loss's gradient with respect to the parameters to `parameterGradient` and returns its gradient with
    /// respect to the inputs [T, B, I], given its gradient with respect to `outputs` [T, B, H].
    @discardableResult
    public func backward(outputGradient: [Float], parameters: UnsafePointer<Float>,
                         parameterGradient: UnsafeMutablePointer<Float>) -> [Float] {
        let h = hiddenSize
        precondition(outputGradient.count == timeSteps * batch * h)
        // ∂L/∂z of every step, [T, B, 4H]: the input weights' and the inputs' gradients are one product each after
        // the loop, like the forward pass's input projection.
        var gateGradients = [Float](repeating: 0, count: timeSteps * batch * 4 * h)
        var hiddenCarry = [Float](repeating: 0, count: batch * h)
        var cellCarry = hiddenCarry
        for t in stride(from: timeSteps - 1, through: 0, by: -1) {
            let (z, previous) = (gates[t], previousCell[t])
            let base = t * batch * 4 * h
            var cellGradient = [Float](repeating: 0, count: batch * h)
            for b in 0..<batch {
                let row = b * 4 * h
                for j in 0..<h {
                    let k = b * h + j
                    let (i, f, g, o) = (z[row + j], z[row + h + j], z[row + 2 * h + j], z[row + 3 * h + j])
                    let dh = outputGradient[(t * batch + b) * h + j] + hiddenCarry[k]
                    let squashed = cellTanhs[t][k]
                    let dc = dh * o * (1 - squashed * squashed) + cellCarry[k]
                    gateGradients[base + row + j] = dc * g * i * (1 - i)
                    gateGradients[base + row + h + j] = dc * previous[k] * f * (1 - f)
                    gateGradients[base + row + 2 * h + j] = dc * i * (1 - g * g)
                    gateGradients[base + row + 3 * h + j] = dh * squashed * o * (1 - o)
                    cellGradient[k] = dc * f
                }
            }
            gateGradients.withUnsafeBufferPointer { all in
                let dz = all.baseAddress! + base
                Gemm.multiply(previousHidden[t], transposeA: true, dz, into: parameterGradient + recurrentOffset,
                              m: h, n: 4 * h, k: batch, accumulate: true, backend: backend)
                hiddenCarry.withUnsafeMutableBufferPointer { carry in
                    Gemm.multiply(dz, parameters + recurrentOffset, transposeB: true, into: carry.baseAddress!,
                                  m: batch, n: h, k: 4 * h, backend: backend)
                }
            }
            cellCarry = cellGradient
            // A sequence whose state was zeroed at t passes no gradient further back.
            for b in 0..<batch where resets[t * batch + b] {
                for j in 0..<h { (hiddenCarry[b * h + j], cellCarry[b * h + j]) = (0, 0) }
            }
        }
        let rows = timeSteps * batch
        Gemm.multiply(inputs, transposeA: true, gateGradients, into: parameterGradient, m: inputSize, n: 4 * h,
                      k: rows, accumulate: true, backend: backend)
        for row in 0..<rows {
            for j in 0..<(4 * h) { parameterGradient[biasOffset + j] += gateGradients[row * 4 * h + j] }
        }
        var inputGradient = [Float](repeating: 0, count: rows * inputSize)
        inputGradient.withUnsafeMutableBufferPointer { dx in
            Gemm.multiply(gateGradients, parameters, transposeB: true, into: dx.baseAddress!, m: rows, n: inputSize,
                          k: 4 * h, backend: backend)
        }
        return inputGradient
    }

    private func sigmoid(_ x: Float) -> Float { 1 / (1 + expFloat(-x)) }
}
