/// Max pooling over NHWC tensors, channel by channel, with square windows; positions in the padding never win (as
/// 'SAME' padding with −∞ in TensorFlow and PyTorch's `MaxPool2d(padding:)`).
public struct MaxPooling: Sendable, Equatable, Hashable {
    public let inputHeight: Int
    public let inputWidth: Int
    public let channels: Int
    /// Side of the square window.
    public let window: Int
    public let stride: Int
    public let padding: Int

    /// Pooling of `channels` × `inputHeight` × `inputWidth` inputs; padding must be less than the window.
    public init(inputHeight: Int, inputWidth: Int, channels: Int, window: Int, stride: Int, padding: Int = 0) {
        precondition(window > 0 && stride > 0 && padding >= 0 && padding < window && channels > 0)
        precondition(inputHeight + 2 * padding >= window && inputWidth + 2 * padding >= window,
                     "a \(window)×\(window) window does not fit a \(inputHeight)×\(inputWidth) input")
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.channels = channels
        self.window = window
        self.stride = stride
        self.padding = padding
    }

    public var outputHeight: Int { (inputHeight + 2 * padding - window) / stride + 1 }
    public var outputWidth: Int { (inputWidth + 2 * padding - window) / stride + 1 }
    public var inputSize: Int { inputHeight * inputWidth * channels }
    public var outputSize: Int { outputHeight * outputWidth * channels }

    /// output [N, Ho, Wo, C] = the maximum of each window of `input` [N, H, W, C]; `winners` is resized to the output's
    /// count and holds, for the backward pass, the index in `input` each maximum came from.
    public func forward(_ input: UnsafePointer<Float>, batch: Int, winners: inout [Int32],
                        into output: UnsafeMutablePointer<Float>) {
        if winners.count != batch * outputSize { winners = [Int32](repeating: 0, count: batch * outputSize) }
        winners.withUnsafeMutableBufferPointer { winners in
            var out = 0
            for sample in 0..<batch {
                let base = sample * inputSize
                for outY in 0..<outputHeight {
                    // The window clipped to the input: padding never wins, and every window holds an input position.
                    let top = outY * stride - padding
                    let rows = max(top, 0)..<min(top + window, inputHeight)
                    for outX in 0..<outputWidth {
                        let left = outX * stride - padding
                        let columns = max(left, 0)..<min(left + window, inputWidth)
                        for channel in 0..<channels {
                            var best = base + (rows.lowerBound * inputWidth + columns.lowerBound) * channels + channel
                            for y in rows {
                                for x in columns {
                                    let index = base + (y * inputWidth + x) * channels + channel
                                    if input[index] > input[best] { best = index }
                                }
                            }
                            output[out] = input[best]
                            winners[out] = Int32(best)
                            out += 1
                        }
                    }
                }
            }
        }
    }

    /// Writes the gradient with respect to the input [N, H, W, C]: each output's gradient goes to its window's winner.
    public func backward(outputGradient: UnsafePointer<Float>, batch: Int, winners: [Int32],
                         inputGradient: UnsafeMutablePointer<Float>) {
        inputGradient.update(repeating: 0, count: batch * inputSize)
        for (out, winner) in winners.enumerated() { inputGradient[Int(winner)] += outputGradient[out] }
    }
}
