import ShoalCore

/// Forward and forward+backward throughput of the convolutional torsos on one core, at the observation shapes they
/// are made for (MinAtar 10×10×4, Atari 84×84×4); `scripts/bench-conv-torch.py` measures PyTorch the same way.
public enum TorsoBench {
    public static func run(batchSizes: [Int] = [32, 256], minimumSeconds: Double = 2) -> BenchmarkReport {
        var figures: [BenchmarkReport.Figure] = []
        for (kind, side) in [(ConvolutionalTorsoKind.minatar, 10), (.nature, 84)] {
            for batch in batchSizes {
                var generator = SeededGenerator(seed: 1)
                let torso = ConvolutionalTorso(kind: kind, height: side, width: side, channels: 4)
                let parameters = (0..<torso.parameterCount).map { _ in 0.02 * generator.nextGaussian() }
                let observations = (0..<(batch * side * side * 4)).map { _ in generator.nextUnitFloat() }
                let featureGradient = [Float](repeating: 0.01, count: batch * torso.featureSize)
                var gradient = [Float](repeating: 0, count: torso.parameterCount)
                let forward = {
                    parameters.withUnsafeBufferPointer {
                        torso.forward(observations, batch: batch, parameters: $0.baseAddress!)
                    }
                }
                let forwardRate = NetworkBench.samplesPerSecond(batch: batch, minimumSeconds: minimumSeconds, forward)
                let trainingRate = NetworkBench.samplesPerSecond(batch: batch, minimumSeconds: minimumSeconds) {
                    forward()
                    parameters.withUnsafeBufferPointer { p in
                        gradient.withUnsafeMutableBufferPointer { g in
                            torso.backward(featureGradient: featureGradient, parameters: p.baseAddress!,
                                           into: g.baseAddress!)
                        }
                    }
                }
                figures.append(.init("\(kind.rawValue) forward, batch \(batch)", forwardRate, "samples/s"))
                figures.append(.init("\(kind.rawValue) forward+backward, batch \(batch)", trainingRate, "samples/s"))
            }
        }
        return BenchmarkReport(benchmark: "convolutional torsos (im2col + OpenBLAS), one core", figures: figures)
    }
}
