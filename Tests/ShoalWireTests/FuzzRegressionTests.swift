import Foundation
import ShoalWire
import XCTest

/// Frames that broke a property of the fuzz target (fuzz/FuzzWire.swift), with the outcome ShoalWire now gives.
final class FuzzRegressionTests: XCTestCase {
    /// A heartbeat for the fuzz run with a 17-byte stat name and a NaN stat. Its refusal reason used to follow the
    /// order its stats dictionary iterated in, which differs between two decodes of the same frame, so it was
    /// counted as too large or as non-finite at random (fuzz property "decode(_:) is not decode then validate").
    static let heartbeatWithLongNameAndNaN =
        "CAEyUAoXQ2FydFBvbGUtdjFfX2Z1enpfXzFfXzAQAxgBIAIqAWhaDgoDbmFuEQAAAAAAAPh/"
        + "WhwKEW5ubm5ubm5ubm5ubm5ubm5uEQAAAAAAAPA/"

    func testHeartbeatWithLongStatNameAndNaNIsAlwaysRefusedForTheName() throws {
        let frame = try [UInt8](XCTUnwrap(Data(base64Encoded: Self.heartbeatWithLongNameAndNaN)))
        var limits = WireLimits(runID: "CartPole-v1__fuzz__1__0")
        limits.maxTextBytes = 16
        let validator = MessageValidator(limits: limits)
        // Every decode builds a new dictionary with its own order: before the fix, about half of them disagreed.
        for _ in 0..<64 {
            XCTAssertEqual(wireError { try validator.decode(frame) }?.reason, .tooLarge("stats"))
        }
    }
}
