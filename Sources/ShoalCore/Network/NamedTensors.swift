/// One named piece of a network's parameter vector, with its shape: what `shoal export` writes.
public struct NamedTensor: Sendable, Equatable {
    public let name: String
    public let shape: [Int]
    /// Where its elements are in the parameter vector, row-major.
    public let range: Range<Int>
}

extension ParameterLayout {
    /// Every parameter of a network of `spec`, once each, in vector order: convolutions as
    /// `torso.stage<s>.conv.weight` [k, k, Cin, Cout] (and `.block<b>.conv<0|1>` of residual blocks), the torso's dense
    /// layers (`torso.dense` after convolutions, `torso.layer<i>` of the MLP) [inputs, outputs], `core.input_weight`
    /// [I, 4H], `core.recurrent_weight` [H, 4H] and `core.bias` [4H] (gates i, f, g, o), `policy.*` and `value.*`
    /// (a Gaussian head's `policy.log_std` after them), then the running statistics (`observations.*`, `returns.*`).
    public func namedTensors(spec: NetworkSpec) -> [NamedTensor] {
        var tensors: [NamedTensor] = []
        func add(_ name: String, _ shape: [Int], at start: Int) {
            tensors.append(NamedTensor(name: name, shape: shape, range: start..<(start + shape.reduce(1, *))))
        }
        func dense(_ name: String, _ layer: Dense) {
            add("\(name).weight", [layer.inputs, layer.outputs], at: layer.weightOffset)
            add("\(name).bias", [layer.outputs], at: layer.biasOffset)
        }
        if let torso = spec.convolutionalTorso?.make() {
            func convolution(_ name: String, _ placed: ConvolutionalTorso.Placed) {
                let layer = placed.convolution
                add("\(name).weight", [layer.kernel, layer.kernel, layer.inputChannels, layer.outputChannels],
                    at: placed.offset)
                add("\(name).bias", [layer.outputChannels], at: placed.offset + layer.weightCount)
            }
            for (s, stage) in torso.stages.enumerated() {
                convolution("torso.stage\(s).conv", stage.convolution)
                for (b, block) in stage.blocks.enumerated() {
                    convolution("torso.stage\(s).block\(b).conv0", block.first)
                    convolution("torso.stage\(s).block\(b).conv1", block.second)
                }
            }
            add("torso.dense.weight", [torso.flattenedSize, torso.featureSize], at: torso.denseOffset)
            let denseBias = torso.denseOffset + torso.flattenedSize * torso.featureSize
            add("torso.dense.bias", [torso.featureSize], at: denseBias)
        }
        for (i, layer) in torso.enumerated() { dense("torso.layer\(i)", layer) }
        if let offset = coreOffset, let h = spec.lstmSize {
            add("core.input_weight", [torsoOutputSize, 4 * h], at: offset)
            add("core.recurrent_weight", [h, 4 * h], at: offset + torsoOutputSize * 4 * h)
            add("core.bias", [4 * h], at: offset + (torsoOutputSize + h) * 4 * h)
        }
        dense("policy", policy)
        dense("value", value)
        if let offset = logStdOffset { add("policy.log_std", [policy.outputs], at: offset) }
        if let offset = observationStatisticsOffset {
            let o = spec.observationSize
            add("observations.mean", [o], at: offset)
            add("observations.variance", [o], at: offset + o)
            add("observations.count", [1], at: offset + 2 * o)
        }
        if let offset = returnStatisticsOffset {
            add("returns.mean", [1], at: offset)
            add("returns.second_moment", [1], at: offset + 1)
            add("returns.updates", [1], at: offset + 2)
        }
        return tensors
    }
}
