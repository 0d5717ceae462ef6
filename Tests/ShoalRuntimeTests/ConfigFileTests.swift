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
        let cases: [(yaml: String, field: String, value: String, code: ShoalRuntimeError.Code)] = [
            ("learningrate: 0.1", "learningrate", "0.1", .unknownConfigField),
            ("lr: {a: 1}", "lr", "{a: 1}", .unknownConfigField),
            ("learningRate: fast", "learningRate", "fast", .invalidConfigValue),
            ("learningRate: -1", "learningRate", "-1", .invalidConfigValue),
            ("learningRate: .nan", "learningRate", ".nan", .invalidConfigValue),
            ("envsPerActor: 0", "envsPerActor", "0", .invalidConfigValue),
            ("envsPerActor: 1.5", "envsPerActor", "1.5", .invalidConfigValue),
            ("hiddenSizes: 64", "hiddenSizes", "64", .invalidConfigValue),
            ("hiddenSizes: [64, x]", "hiddenSizes", "[64, x]", .invalidConfigValue),
            ("activation: sigmoid", "activation", "sigmoid", .invalidConfigValue),
            ("env: null", "env", "null", .invalidConfigValue),
            ("targetReturn: {a: 1}", "targetReturn", "{a: 1}", .invalidConfigValue),
            ("maxSeconds: yes", "maxSeconds", "yes", .invalidConfigValue),
        ]
        for (yaml, field, value, code) in cases {
            // The bad line is the third, after two good ones.
            let text = "seed: 3\nname: test\n\(yaml)\n"
            XCTAssertThrowsError(try TrainingConfig(yaml: text, source: "bad.yaml"), yaml) { error in
                guard let error = error as? ShoalRuntimeError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.code, code, yaml)
                XCTAssertEqual(error.subject, field, yaml)
                XCTAssertEqual(error.value, value, yaml)
                XCTAssertTrue(error.description.contains(field), error.description)
                XCTAssertTrue(error.description.contains("bad.yaml:3"), error.description)
            }
        }
    }

    func testDuplicateFieldsAreRejected() {
        XCTAssertThrowsError(try TrainingConfig(yaml: "seed: 1\nname: x\nseed: 2\n", source: "twice.yaml")) { error in
            guard let error = error as? ShoalRuntimeError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, .unreadableConfig)
            XCTAssertEqual(error.subject, "twice.yaml")
            XCTAssertTrue(error.description.contains("'seed'"), error.description)
        }
    }

    func testUnreadableFilesSayWhy() {
        let cases = ["- a list\n- not a mapping\n", "learningRate: [1, 2\n", "just text\n"]
        for text in cases {
            XCTAssertThrowsError(try TrainingConfig(yaml: text, source: "odd.yaml"), text) { error in
                XCTAssertEqual((error as? ShoalRuntimeError)?.code, .unreadableConfig, text)
                XCTAssertEqual((error as? ShoalRuntimeError)?.subject, "odd.yaml", text)
            }
        }
        let missing = NSTemporaryDirectory() + "/no-such-config-\(UUID()).yaml"
        XCTAssertThrowsError(try TrainingConfig.load(contentsOf: missing)) { error in
            XCTAssertEqual((error as? ShoalRuntimeError)?.code, .unreadableConfig)
            XCTAssertEqual((error as? ShoalRuntimeError)?.subject, missing)
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

    /// configs/cartpole.yaml is what `shoal train` runs with nothing given: the defaults and CartPole's preset.
    func testExampleConfigHasEveryFieldCommentedAndIsWhatShoalTrainRuns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent("configs/cartpole.yaml").path
        XCTAssertEqual(try TrainingConfig.load(contentsOf: path), try ConfigLayers(file: nil, overrides: []).config)
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
