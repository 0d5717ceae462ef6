import Foundation
import XCTest
import ZeroMQ

@testable import ShoalRuntime

final class KeygenFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("shoal-keys-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testKeygenWritesAPrivateSecretFileAndAPublicFileThatReadBack() throws {
        let keys = try CurveKeyFiles.generate(name: "learner", directory: directory)
        let secretMode = try FileManager.default.attributesOfItem(atPath: "\(directory)/learner.key")[.posixPermissions]
        XCTAssertEqual((secretMode as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual(try CurveKeyFiles.readKeyPair("\(directory)/learner.key"), keys)
        XCTAssertEqual(try CurveKeyFiles.readPublicKey("\(directory)/learner.pub"), keys.publicKey)
        let publicText = try String(contentsOfFile: "\(directory)/learner.pub", encoding: .utf8)
        XCTAssertFalse(publicText.contains(keys.secretKey), "the public file leaks the secret key")
    }

    func testKeygenRefusesToOverwriteEitherFile() throws {
        let first = try CurveKeyFiles.generate(name: "actor", directory: directory)
        try FileManager.default.removeItem(atPath: "\(directory)/actor.key")
        XCTAssertThrowsError(try CurveKeyFiles.generate(name: "actor", directory: directory)) { error in
            XCTAssertEqual((error as? ShoalRuntimeError)?.code, .keyFileExists)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(directory)/actor.key"), "wrote half a pair")
        XCTAssertEqual(try CurveKeyFiles.readPublicKey("\(directory)/actor.pub"), first.publicKey)
    }

    func testAllowListIsADirectoryOfPublicKeysOrAFileOfThem() throws {
        let allowed = "\(directory)/allowed"
        try FileManager.default.createDirectory(atPath: allowed, withIntermediateDirectories: true)
        let one = try CurveKeyFiles.generate(name: "one", directory: allowed)
        let two = try CurveKeyFiles.generate(name: "two", directory: allowed)
        XCTAssertEqual(try CurveKeyFiles.readAllowList(allowed), [one.publicKey, two.publicKey])

        let listFile = "\(directory)/allowed.txt"
        let listText = "# actors\n\(one.publicKey)\n\n\(two.publicKey)\n"
        try listText.write(toFile: listFile, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CurveKeyFiles.readAllowList(listFile), [one.publicKey, two.publicKey])

        try "not a key\n".write(toFile: listFile, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CurveKeyFiles.readAllowList(listFile)) { error in
            XCTAssertEqual((error as? ShoalRuntimeError)?.code, .badKeyFile)
        }
        XCTAssertThrowsError(try CurveKeyFiles.readAllowList("\(directory)/missing")) { error in
            XCTAssertEqual((error as? ShoalRuntimeError)?.code, .notFound)
        }
    }
}
