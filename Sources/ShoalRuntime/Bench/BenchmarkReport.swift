/// The figures one benchmark measured, printed by `shoal bench` and copied into docs/benchmarks.md.
public struct BenchmarkReport: Sendable, CustomStringConvertible {
    /// One measured figure.
    public struct Figure: Sendable {
        public var name: String
        public var value: Double
        public var unit: String

        public init(_ name: String, _ value: Double, _ unit: String) {
            self.name = name
            self.value = value
            self.unit = unit
        }
    }

    public var benchmark: String
    public var figures: [Figure]

    public init(benchmark: String, figures: [Figure]) {
        self.benchmark = benchmark
        self.figures = figures
    }

    public var description: String {
        let width = figures.map(\.name.count).max() ?? 0
        let lines = figures.map { figure in
            let padded = figure.name + String(repeating: " ", count: width - figure.name.count)
            return "  \(padded)  \(formatted(figure.value)) \(figure.unit)"
        }
        return ([benchmark] + lines).joined(separator: "\n")
    }
}

private func formatted(_ value: Double) -> String {
    if value >= 100 { return String(Int(value.rounded())) }
    let scaled = (value * 1000).rounded() / 1000
    return String(scaled)
}
