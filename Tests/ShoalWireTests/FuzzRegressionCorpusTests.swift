import Foundation
import ShoalCore
import ShoalWire
import XCTest

/// Replays the committed fuzz corpus (fuzz/corpus: the seeds and inputs the fuzzer found interesting) through the
/// receive path of the learner the fuzzer plays, so every decoding path the fuzzer reached stays covered by tests.
final class FuzzRegressionCorpusTests: XCTestCase {
    /// The learner of fuzz/FuzzReceivers.swift: the run and network every seed is made for.
    static let learner = MessageValidator(
        limits: WireLimits(
            runID: "CartPole-v1__fuzz__1__0",
            network: NetworkSpec(
                observationSize: 4, hiddenSizes: [8], activation: .tanh, head: .categorical(actions: 2))))

    func testEveryCorpusInputIsAcceptedOrRefusedTheSameWayInPlace() throws {
        let files = try Self.corpusFiles()
        XCTAssertFalse(files.isEmpty, "fuzz/corpus is empty")
        var acceptedKinds: Set<WireMessage.Kind> = []
        for file in files {
            let name = file.lastPathComponent
            let bytes = try [UInt8](Data(contentsOf: file))
            let received = Result { () throws(WireError) in try Self.learner.decode(bytes) }
            let receivedInPlace = bytes.withUnsafeBytes { frame in
                Result { () throws(WireError) in try Self.learner.decode(frame) }
            }
            switch received {
            case .success(let message):
                acceptedKinds.insert(message.kind)
                XCTAssertEqual(try receivedInPlace.get(), message, name)
                // An accepted message is safe to pass on: it survives a round trip unchanged and is accepted again.
                XCTAssertEqual(try Self.learner.decode(message.encode()), message, name)
            case .failure(let error):
                XCTAssertEqual(wireError { try receivedInPlace.get() }?.reason, error.reason, name)
            }
        }
        // The seeds carry a valid frame of every kind, so each kind's validation is passed through, not only failed.
        XCTAssertEqual(acceptedKinds, Set(WireMessage.Kind.allCases))
    }

    /// Every file in fuzz/corpus, found from this source file's path.
    static func corpusFiles() throws -> [URL] {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let corpus = repository.appendingPathComponent("fuzz/corpus", isDirectory: true)
        return try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
