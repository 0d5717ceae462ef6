import ShoalCore

/// MLP forward and forward+backward throughput at the default network size, for each GEMM backend.
public enum NetworkBench {
    public static func run(
        spec: NetworkSpec = NetworkSpec(observationSize: 4, hiddenSizes: TrainingConfig().hiddenSizes,
                                        activation: .tanh, head: .categorical(actions: 2)),
        batchSizes: [Int] = [64, 2048], minimumSeconds: Double = 1
    ) -> BenchmarkReport {
        var figures: [BenchmarkReport.Figure] = []
        for backend in GemmBackend.allCases {
            for batch in batchSizes {
                var generator = SeededGenerator(seed: 1)
                let network = ActorCriticNetwork(spec: spec, generator: &generator, backend: backend)
                let observations = (0..<(batch * spec.observationSize)).map { _ in generator.nextGaussian() }
                let policyGradient = [Float](repeating: 0.01, count: batch * spec.head.distributionParameterCount)
                let valueGradient = [Float](repeating: 0.01, count: batch)
                var gradient = [Float](repeating: 0, count: network.layout.count)
                let forwardRate = samplesPerSecond(batch: batch, minimumSeconds: minimumSeconds) {
                    network.forward(observations)
                }
                let trainingRate = samplesPerSecond(batch: batch, minimumSeconds: minimumSeconds) {
                    network.forward(observations)
                    network.backward(policyOutputGradient: policyGradient, valueGradient: valueGradient,
                                     into: &gradient)
                }
                figures.append(.init("\(backend) forward, batch \(batch)", forwardRate, "samples/s"))
                figures.append(.init("\(backend) forward+backward, batch \(batch)", trainingRate, "samples/s"))
            }
        }
        return BenchmarkReport(benchmark: "MLP \(spec.hiddenSizes) \(spec.activation), one core", figures: figures)
    }

    /// Repeats `body` (which processes `batch` samples) for at least `minimumSeconds`; returns samples per second.
    static func samplesPerSecond(batch: Int, minimumSeconds: Double, _ body: () -> Void) -> Double {
        body()  // warm-up: sizes buffers
        let clock = ContinuousClock()
        let start = clock.now
        var iterations = 0
        while (clock.now - start).seconds < minimumSeconds {
            body()
            iterations += 1
        }
        return Double(iterations * batch) / (clock.now - start).seconds
    }
}
