/// A 2-D convolution over NHWC tensors, computed as im2col and one matrix product: the patches of a batch,
/// [N·Ho·Wo, k·k·Cin], times the weights, [k·k·Cin, Cout], are the output [N·Ho·Wo, Cout], already NHWC.
///
/// Parameters are the weights [k, k, Cin, Cout] (row-major, so a patch's (row, column, channel) order) followed by the
/// biases [Cout]. Padding is zeros, the same on every side.
public struct Convolution: Sendable, Equatable, Hashable {
    public let inputHeight: Int
    public let inputWidth: Int
    public let inputChannels: Int
    public let outputChannels: Int
    /// Side of the square kernel.
    public let kernel: Int
    public let stride: Int
    public let padding: Int

    /// A convolution of `inputChannels` × `inputHeight` × `inputWidth` inputs that the kernel fits.
    public init(inputHeight: Int, inputWidth: Int, inputChannels: Int, outputChannels: Int, kernel: Int,
                stride: Int = 1, padding: Int = 0) {
        precondition(kernel > 0 && stride > 0 && padding >= 0 && inputChannels > 0 && outputChannels > 0)
        precondition(inputHeight + 2 * padding >= kernel && inputWidth + 2 * padding >= kernel,
                     "a \(kernel)×\(kernel) kernel does not fit a \(inputHeight)×\(inputWidth) input")
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
    }

    public var outputHeight: Int { (inputHeight + 2 * padding - kernel) / stride + 1 }
    public var outputWidth: Int { (inputWidth + 2 * padding - kernel) / stride + 1 }
    /// Floats in one input, one output, one patch.
    public var inputSize: Int { inputHeight * inputWidth * inputChannels }
    public var outputSize: Int { outputHeight * outputWidth * outputChannels }
    public var patchSize: Int { kernel * kernel * inputChannels }
    public var weightCount: Int { patchSize * outputChannels }
    public var parameterCount: Int { weightCount + outputChannels }

    /// output [N, Ho, Wo, Cout] = convolution of `input` [N, H, W, Cin]; `patches` is resized to [N·Ho·Wo, k·k·Cin]
    /// and kept for the backward pass.
    public func forward(
        _ input: UnsafePointer<Float>, batch: Int, parameters: UnsafePointer<Float>, patches: inout [Float],
        into output: UnsafeMutablePointer<Float>, backend: GemmBackend = .preferred
    ) {
        let rows = batch * outputHeight * outputWidth
        resize(&patches, to: rows * patchSize)
        patches.withUnsafeMutableBufferPointer { gather(input, batch: batch, into: $0.baseAddress!) }
        let bias = parameters + weightCount
        for row in 0..<rows {
            (output + row * outputChannels).update(from: bias, count: outputChannels)
        }
        patches.withUnsafeBufferPointer { patches in
            Gemm.multiply(patches.baseAddress!, parameters, into: output, m: rows, n: outputChannels, k: patchSize,
                          accumulate: true, backend: backend)
        }
    }

    /// Adds the loss's gradient with respect to the parameters to `parameterGradient` and, when given, writes its
    /// gradient with respect to the input to `inputGradient` [N, H, W, Cin]; `patches` are the forward pass's.
    public func backward(
        outputGradient: UnsafePointer<Float>, batch: Int, parameters: UnsafePointer<Float>, patches: [Float],
        parameterGradient: UnsafeMutablePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?,
        backend: GemmBackend = .preferred
    ) {
        let rows = batch * outputHeight * outputWidth
        patches.withUnsafeBufferPointer { patches in
            Gemm.multiply(patches.baseAddress!, transposeA: true, outputGradient, into: parameterGradient,
                          m: patchSize, n: outputChannels, k: rows, accumulate: true, backend: backend)
        }
        let biasGradient = parameterGradient + weightCount
        for row in 0..<rows {
            let gradientRow = outputGradient + row * outputChannels
            for channel in 0..<outputChannels { biasGradient[channel] += gradientRow[channel] }
        }
        guard let inputGradient else { return }
        var patchGradient = [Float](repeating: 0, count: rows * patchSize)
        patchGradient.withUnsafeMutableBufferPointer { patchGradient in
            Gemm.multiply(outputGradient, parameters, transposeB: true, into: patchGradient.baseAddress!, m: rows,
                          n: patchSize, k: outputChannels, backend: backend)
            inputGradient.update(repeating: 0, count: batch * inputSize)
            scatter(patchGradient.baseAddress!, batch: batch, into: inputGradient)
        }
    }

    /// im2col: each output position's k×k×Cin input patch as one row, zeros where it overhangs the padding.
    private func gather(_ input: UnsafePointer<Float>, batch: Int, into patches: UnsafeMutablePointer<Float>) {
        var row = patches
        for sample in 0..<batch {
            let image = input + sample * inputSize
            for outY in 0..<outputHeight {
                for outX in 0..<outputWidth {
                    let left = outX * stride - padding
                    let inside = left >= 0 && left + kernel <= inputWidth
                    for dy in 0..<kernel {
                        let y = outY * stride + dy - padding
                        let target = row + dy * kernel * inputChannels
                        guard y >= 0 && y < inputHeight else {
                            target.update(repeating: 0, count: kernel * inputChannels)
                            continue
                        }
                        let source = image + (y * inputWidth + left) * inputChannels
                        if inside {  // the kernel's row is one contiguous run of the input's
                            target.update(from: source, count: kernel * inputChannels)
                            continue
                        }
                        for dx in 0..<kernel {
                            let x = left + dx
                            if x >= 0 && x < inputWidth {
                                (target + dx * inputChannels).update(from: source + dx * inputChannels,
                                                                     count: inputChannels)
                            } else {
                                (target + dx * inputChannels).update(repeating: 0, count: inputChannels)
                            }
                        }
                    }
                    row += patchSize
                }
            }
        }
    }

    /// col2im: adds each patch row back onto the input positions it was gathered from.
    private func scatter(_ patches: UnsafePointer<Float>, batch: Int, into input: UnsafeMutablePointer<Float>) {
        var row = patches
        for sample in 0..<batch {
            let image = input + sample * inputSize
            for outY in 0..<outputHeight {
                for outX in 0..<outputWidth {
                    for dy in 0..<kernel {
                        let y = outY * stride + dy - padding
                        guard y >= 0 && y < inputHeight else { continue }
                        for dx in 0..<kernel {
                            let x = outX * stride + dx - padding
                            guard x >= 0 && x < inputWidth else { continue }
                            let source = row + (dy * kernel + dx) * inputChannels
                            let target = image + (y * inputWidth + x) * inputChannels
                            for channel in 0..<inputChannels { target[channel] += source[channel] }
                        }
                    }
                    row += patchSize
                }
            }
        }
    }
}
