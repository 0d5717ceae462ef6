@testable import ShoalCore
import XCTest

final class NamedTensorsTests: XCTestCase {
    /// Every architecture's named tensors tile its parameter vector: in order, without gaps or overlaps, to the end.
    func testNamedTensorsCoverEveryParameterOnce() {
        let specs = [
            NetworkSpec(observationSize: 4, hiddenSizes: [8, 6], activation: .tanh, head: .categorical(actions: 2),
                        normalizeObservations: true, returnNormalization: .popart),
            NetworkSpec(observationSize: 3, hiddenSizes: [5], activation: .tanh, head: .gaussian(dimensions: 2),
                        lstmSize: 4),
        ] + ConvolutionalTorsoKind.allCases.map { kind in
            NetworkSpec(observationSize: 40 * 40 * 2, hiddenSizes: [], activation: .relu,
                        head: .categorical(actions: 3),
                        convolutionalTorso: ConvolutionalTorsoSpec(kind: kind, height: 40, width: 40, channels: 2),
                        lstmSize: kind == .minatar ? 16 : nil, observationDType: .uint8)
        }
        for spec in specs {
            let layout = ParameterLayout(spec: spec)
            let tensors = layout.namedTensors(spec: spec)
            XCTAssertEqual(Set(tensors.map(\.name)).count, tensors.count, "names are unique")
            var next = 0
            for tensor in tensors {
                XCTAssertEqual(tensor.range.lowerBound, next, "\(tensor.name) follows the one before")
                XCTAssertEqual(tensor.range.count, tensor.shape.reduce(1, *), tensor.name)
                next = tensor.range.upperBound
            }
            XCTAssertEqual(next, layout.count, "\(spec): the tensors end where the parameters do")
        }
    }

    /// The names a reader rebuilds the network from.
    func testTheImpalaResnetsTensorsAreNamedByStageAndBlock() {
        let spec = NetworkSpec(observationSize: 84 * 84 * 4, hiddenSizes: [], activation: .relu,
                               head: .categorical(actions: 6),
                               convolutionalTorso: ConvolutionalTorsoSpec(kind: .impalaResnet, height: 84, width: 84,
                                                                          channels: 4))
        let names = ParameterLayout(spec: spec).namedTensors(spec: spec).map(\.name)
        XCTAssertEqual(Array(names.prefix(6)), [
            "torso.stage0.conv.weight", "torso.stage0.conv.bias", "torso.stage0.block0.conv0.weight",
            "torso.stage0.block0.conv0.bias", "torso.stage0.block0.conv1.weight", "torso.stage0.block0.conv1.bias",
        ])
        XCTAssertEqual(Array(names.suffix(6)), [
            "torso.dense.weight", "torso.dense.bias", "policy.weight", "policy.bias", "value.weight", "value.bias",
        ])
    }
}
