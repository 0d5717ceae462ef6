import Foundation
import XCTest

@testable import ShoalRuntime

final class ConfigFileTests: XCTestCase {
    func testFieldsLeftOutKeepTheirDefaults() throws {
        let config = try TrainingConfig(yaml: """
            learningRate: 3e-4
            hiddenSizes: [32, 16]
            targetReturn: null
            activation: relu
            name: 2024
            maxEnvSteps: 1_000_000
            seed: 18446744073709551615
            """)
        XCTAssertEqual(config.learningRate, 3e-4)
        XCTAssertEqual(config.hiddenSizes, [32, 16])
        XCTAssertNil(config.targetReturn)
        XCTAssertEqual(config.activation, .relu)
        XCTAssertEqual(config.name, "2024")
        XCTAssertEqual(config.maxEnvSteps, 1_000_000)
        XCTAssertEqual(config.seed, .max)
        var expected = TrainingConfig()
        (expected.learningRate, expected.hiddenSizes, expected.targetReturn) = (3e-4, [32, 16], nil)
        (expected.activation, expected.name, expected.maxEnvSteps, expected.seed) = (.relu, "2024", 1_000_000, .max)
        XCTAssertEqual(config, expected)
    }

    func testEmptyFileIsTheDefaultConfig() throws {
        XCTAssertEqual(try TrainingConfig(yaml: ""), TrainingConfig())
        XCTAssertEqual(try TrainingConfig(yaml: "# only a comment\n"), TrainingConfig())
    }

    func testOverridesApplyOnTopOfTheFile() throws {
        let path = try temporaryFile("learningRate: 0.01\nenvsPerActor: 4\n")
        let config = try TrainingConfig.load(contentsOf: path).applying(overrides: ["learningRate=0.5"])
        XCTAssertEqual(config.learningRate, 0.5)
        XCTAssertEqual(config.envsPerActor, 4)
    }

    func testBadFilesNameTheFieldTheValueAndTheLine() {
        let cases: [(yaml: String, field: String, value: String, code: ConfigError.Code)] = [
            ("learningrate: 0.1", "learningrate", "0.1", .unknownField),
            ("lr: {a: 1}", "lr", "{a: 1}", .unknownField),
            ("learningRate: fast", "learningRate", "fast", .invalidValue),
            ("learningRate: -1", "learningRate", "-1", .invalidValue),
            ("learningRate: .nan", "learningRate", ".nan", .invalidValue),
            ("envsPerActor: 0", "envsPerActor", "0", .invalidValue),
            ("envsPerActor: 1.5", "envsPerActor", "1.5", .invalidValue),
            ("hiddenSizes: 64", "hiddenSizes", "64", .invalidValue),
            ("hiddenSizes: [64, x]", "hiddenSizes", "[64, x]", .invalidValue),
            ("activation: sigmoid", "activation", "sigmoid", .invalidValue),
            ("env: null", "env", "null", .invalidValue),
            ("targetReturn: {a: 1}", "targetReturn", "{a: 1}", .invalidValue),
            ("maxSeconds: yes", "maxSeconds", "yes", .invalidValue),
        ]
        for (yaml, field, value, code) in cases {
            // The bad line is the third, after two good ones.
            let text = "seed: 3\nname: test\n\(yaml)\n"
            XCTAssertThrowsError(try TrainingConfig(yaml: text, source: "bad.yaml"), yaml) { error in
                guard let error = error as? ConfigError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.code, code, yaml)
                XCTAssertEqual(error.field, field, yaml)
                XCTAssertEqual(error.value, value, yaml)
                XCTAssertTrue(error.description.contains(field), error.description)
                XCTAssertTrue(error.description.contains("bad.yaml:3"), error.description)
            }
        }
    }

    func testDuplicateFieldsAreRejected() {
        XCTAssertThrowsError(try TrainingConfig(yaml: "seed: 1\nname: x\nseed: 2\n", source: "twice.yaml")) { error in
            guard let error = error as? ConfigError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .unreadableFile)
            XCTAssertEqual(error.field, "twice.yaml")
            XCTAssertTrue(error.description.contains("'seed'"), error.description)
        }
    }

    func testUnreadableFilesSayWhy() {
        let cases = ["- a list\n- not a mapping\n", "learningRate: [1, 2\n", "just text\n"]
        for text in cases {
            XCTAssertThrowsError(try TrainingConfig(yaml: text, source: "odd.yaml"), text) { error in
                XCTAssertEqual((error as? ConfigError)?.code, .unreadableFile, text)
                XCTAssertEqual((error as? ConfigError)?.field, "odd.yaml", text)
            }
        }
        let missing = NSTemporaryDirectory() + "/no-such-config-\(UUID()).yaml"
        XCTAssertThrowsError(try TrainingConfig.load(contentsOf: missing)) { error in
            XCTAssertEqual((error as? ConfigError)?.code, .unreadableFile)
            XCTAssertEqual((error as? ConfigError)?.field, missing)
        }
    }

    func testYAMLTextRoundTrips() throws {
        var config = TrainingConfig()
        XCTAssertEqual(try TrainingConfig(yaml: config.yamlText()), config)
        config.name = "yes"  // a YAML 1.1 boolean when plain
        config.env = "Pendulum-v1"
        config.seed = .max
        config.hiddenSizes = [7]
        config.activation = .relu
        config.optimizer = .rmsprop
        config.gemm = .swift
        config.finalLearningRate = 1e-5
        config.targetReturn = nil
        config.maxEnvSteps = nil
        config.maxSeconds = 12.25
        XCTAssertEqual(try TrainingConfig(yaml: config.yamlText()), config)
        for name in ["a: b", "# x", "null", "12", "[1]", "quote\"and\\slash", "line\nbreak", " padded ", ""] {
            config.name = name
            XCTAssertEqual(try TrainingConfig(yaml: config.yamlText()).name, name, config.yamlText())
        }
    }

    func testYAMLTextRoundTripsArbitraryFloats() throws {
        var state: UInt32 = 0x9E37_79B9
        var config = TrainingConfig()
        for _ in 0..<200 {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            // Positive normal floats of every magnitude, where a lossy decimal spelling would show.
            config.learningRate = Float(bitPattern: 0x0080_0000 + state % (0x7F7F_FFFF - 0x0080_0000))
            config.discount = Float(bitPattern: state % 0x3F80_0000)
            let text = config.yamlText()
            XCTAssertEqual(try TrainingConfig(yaml: text), config, text)
        }
    }

    func testYAMLTextWritesEveryFieldWithNullForUnset() throws {
        var config = TrainingConfig()
        config.maxSeconds = nil
        let lines = config.yamlText().split(separator: "\n")
        XCTAssertEqual(lines.map { String($0.prefix { $0 != ":" }) }.sorted(), TrainingConfig.allKeys)
        XCTAssertTrue(lines.contains("maxSeconds: null"))
    }

    func testExampleConfigHasEveryFieldCommentedAndIsTheDefault() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent("configs/cartpole.yaml").path
        XCTAssertEqual(try TrainingConfig.load(contentsOf: path), TrainingConfig())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var keys: [String] = []
        for (index, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") {
            let key = String(line.prefix { $0 != ":" })
            keys.append(key)
            XCTAssertTrue(index > 0 && lines[index - 1].hasPrefix("# "), "\(key) has no comment above it")
        }
        XCTAssertEqual(keys.sorted(), TrainingConfig.allKeys)
    }

    private func temporaryFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "/shoal-config-\(UUID()).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
