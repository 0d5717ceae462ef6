import Foundation
import XCTest

import ReferenceFixtures
@testable import ShoalCore

final class VTraceTests: XCTestCase {
    private struct ReferenceFile: Decodable {
        let cases: [ReferenceCase]
    }

    private struct ReferenceCase: Decodable {
        let log_rhos: [Double]
        let discounts: [Double]
        let rewards: [Double]
        let values: [Double]
        let bootstrap_value: Double
        let lambda_: Double
        let clip_rho_threshold: Double
        let clip_pg_rho_threshold: Double
        let vs: [Double]
        let pg_advantages: [Double]
    }

    /// rlax's outputs, from every reference file (Tests/Fixtures/reference/vtrace and $SHOAL_VTRACE_CASES).
    func testMatchesRlaxReferenceCases() throws {
        var checked = 0
        for file in try ReferenceFixtures.jsonFiles("vtrace", extraCasesVariable: "SHOAL_VTRACE_CASES") {
            let reference = try JSONDecoder().decode(ReferenceFile.self, from: Data(contentsOf: file))
            XCTAssertFalse(reference.cases.isEmpty, "\(file.path) has no cases")
            for (n, c) in reference.cases.enumerated() {
                let settings = VTraceSettings(
                    lambda: Float(c.lambda_), clipRhoThreshold: Float(c.clip_rho_threshold),
                    clipPolicyGradientRhoThreshold: Float(c.clip_pg_rho_threshold))
                let result = VTrace.targets(
                    logRhos: c.log_rhos.map(Float.init), discounts: c.discounts.map(Float.init),
                    rewards: c.rewards.map(Float.init), values: c.values.map(Float.init),
                    bootstrapValues: [Float(c.bootstrap_value)], timeSteps: c.rewards.count, batchSize: 1,
                    settings: settings)
                let where_ = "\(file.lastPathComponent) case \(n)"
                assertClose(result.vs, c.vs, "vs, \(where_)")
                assertClose(result.policyGradientAdvantages, c.pg_advantages, "pg_advantages, \(where_)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0)
    }

    /// Batched [T, B] input agrees with the paper's formula written as a direct sum, column by column.
    func testBatchedMatchesDirectSumOfThePaper() {
        var generator = SeededGenerator(seed: 7)
        let (t, b) = (9, 5)
        let settings = VTraceSettings(lambda: 0.9, clipRhoThreshold: 1.2, clipPolicyGradientRhoThreshold: 0.8)
        func random(_ count: Int, _ scale: Float = 1) -> [Float] {
            (0..<count).map { _ in scale * (2 * generator.nextUnitFloat() - 1) }
        }
        let logRhos = random(t * b, 1.5)
        let discounts = (0..<(t * b)).map { _ in generator.nextUnitFloat() < 0.2 ? Float(0) : 0.97 }
        let rewards = random(t * b)
        let values = random(t * b)
        let bootstrap = random(b)
        let result = VTrace.targets(logRhos: logRhos, discounts: discounts, rewards: rewards, values: values,
                                    bootstrapValues: bootstrap, timeSteps: t, batchSize: b, settings: settings)
        for column in 0..<b {
            let at = { (array: [Float], step: Int) in Double(array[step * b + column]) }
            let value = { (step: Int) in step == t ? Double(bootstrap[column]) : at(values, step) }
            let rho = { (step: Int) in exp(at(logRhos, step)) }
            // v_s = V(x_s) + Σ_{u≥s} (Π_{i=s}^{u−1} γ_i c_i) δ_u, with δ_u = ρ̄_u (r_u + γ_u V(x_{u+1}) − V(x_u)).
            var vs = [Double](repeating: 0, count: t + 1)
            vs[t] = value(t)
            for s in 0..<t {
                var sum = value(s)
                var product = 1.0
                for u in s..<t {
                    let delta = min(Double(settings.clipRhoThreshold), rho(u))
                        * (at(rewards, u) + at(discounts, u) * value(u + 1) - value(u))
                    sum += product * delta
                    product *= at(discounts, u) * Double(settings.lambda) * min(1, rho(u))
                }
                vs[s] = sum
            }
            for s in 0..<t {
                let lambda = Double(settings.lambda)
                let bootstrapTarget = lambda * vs[s + 1] + (1 - lambda) * value(s + 1)
                let advantage = min(Double(settings.clipPolicyGradientRhoThreshold), rho(s))
                    * (at(rewards, s) + at(discounts, s) * bootstrapTarget - value(s))
                XCTAssertEqual(Double(result.vs[s * b + column]), vs[s], accuracy: 1e-4 * max(1, abs(vs[s])))
                XCTAssertEqual(Double(result.policyGradientAdvantages[s * b + column]), advantage,
                               accuracy: 1e-4 * max(1, abs(advantage)))
            }
        }
    }

    private func assertClose(_ actual: [Float], _ expected: [Double], _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, label, file: file, line: line)
        for (a, e) in zip(actual, expected) where abs(Double(a) - e) > 1e-4 * abs(e) + 1e-6 {
            XCTFail("\(label): \(a) vs rlax \(e) (relative \(abs(Double(a) - e) / abs(e)))", file: file, line: line)
            return
        }
    }
}
