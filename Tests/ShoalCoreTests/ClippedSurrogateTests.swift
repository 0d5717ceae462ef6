import Foundation
import XCTest

import ReferenceFixtures
@testable import ShoalCore

final class ClippedSurrogateTests: XCTestCase {
    private struct ReferenceFile: Decodable {
        let cases: [ReferenceCase]
    }

    private struct ReferenceCase: Decodable {
        let log_pi: [Double]
        let log_mu: [Double]
        let advantages: [Double]
        let epsilon: Double
        let loss: Double
        let grad_log_pi: [Double]
    }

    /// rlax's clipped_surrogate_pg_loss and its jax.grad, from every reference file (Tests/Fixtures/reference/ppo and
    /// $SHOAL_PPO_CASES), to the README's tolerances: relative 1e-4 on the loss, absolute 1e-5 on each gradient entry.
    func testMatchesRlaxReferenceCases() throws {
        var checked = 0
        for file in try ReferenceFixtures.jsonFiles("ppo", extraCasesVariable: "SHOAL_PPO_CASES") {
            let reference = try JSONDecoder().decode(ReferenceFile.self, from: Data(contentsOf: file))
            XCTAssertFalse(reference.cases.isEmpty, "\(file.path) has no cases")
            for (n, c) in reference.cases.enumerated() {
                let (loss, gradient) = ClippedSurrogate(epsilon: Float(c.epsilon)).lossAndGradient(
                    logPi: c.log_pi.map(Float.init), logMu: c.log_mu.map(Float.init),
                    advantages: c.advantages.map(Float.init))
                let where_ = "\(file.lastPathComponent) case \(n)"
                XCTAssertEqual(Double(loss), c.loss, accuracy: 1e-4 * max(abs(c.loss), 1e-3), "loss, \(where_)")
                XCTAssertEqual(gradient.count, c.grad_log_pi.count, where_)
                for (i, (got, expected)) in zip(gradient, c.grad_log_pi).enumerated() {
                    XCTAssertEqual(Double(got), expected, accuracy: 1e-5, "grad_log_pi[\(i)], \(where_)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0)
    }

    /// Inside the range the objective is ρ·A with derivative ρ·A; beyond it, in the direction the advantage rewards,
    /// it is held at (1 ± ε)·A with derivative 0; in the other direction the unclipped, worse term counts.
    func testClipsOnlyTheImprovingSide() {
        let surrogate = ClippedSurrogate(epsilon: 0.2)
        let inside = surrogate.objective(logRatio: log(1.1), advantage: 2)
        XCTAssertEqual(inside.value, 2.2, accuracy: 1e-5)
        XCTAssertEqual(inside.derivative, 2.2, accuracy: 1e-5)
        XCTAssertFalse(inside.outside)
        let held = surrogate.objective(logRatio: log(1.5), advantage: 2)
        XCTAssertEqual(held.value, 2.4, accuracy: 1e-5)
        XCTAssertEqual(held.derivative, 0)
        XCTAssertTrue(held.outside)
        let worse = surrogate.objective(logRatio: log(0.5), advantage: 2)
        XCTAssertEqual(worse.value, 1.0, accuracy: 1e-5)
        XCTAssertEqual(worse.derivative, 1.0, accuracy: 1e-5)
        let heldNegative = surrogate.objective(logRatio: log(0.5), advantage: -2)
        XCTAssertEqual(heldNegative.value, -1.6, accuracy: 1e-5)
        XCTAssertEqual(heldNegative.derivative, 0)
    }
}
