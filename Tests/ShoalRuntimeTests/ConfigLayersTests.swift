import Foundation
import XCTest

@testable import ShoalRuntime

/// Defaults, presets, files, overrides and flags, and where each field's value came from.
final class ConfigLayersTests: XCTestCase {
    func testAnEnvironmentWithAPresetGetsItUnlessAFileIsGiven() throws {
        let pendulum = try ConfigLayers(file: nil, overrides: ["env=Pendulum-v1", "learningRate=5e-4"],
                                        flags: ["seed=4"])
        XCTAssertEqual(pendulum.config.targetReturn, -200)
        XCTAssertEqual(pendulum.sources["targetReturn"], .preset("Pendulum-v1"))
        XCTAssertEqual(pendulum.config.learningRate, 5e-4)
        XCTAssertEqual(pendulum.sources["learningRate"], .overrides)
        XCTAssertEqual(pendulum.sources["seed"], .flags)
        XCTAssertEqual(pendulum.sources["hiddenSizes"], .defaults)
        let overridden = try ConfigLayers(file: nil, overrides: ["env=Pendulum-v1", "targetReturn=-150"])
        XCTAssertEqual(overridden.config.targetReturn, -150)
        XCTAssertEqual(overridden.sources["targetReturn"], .overrides, "--set wins over the preset")

        let minAtar = try ConfigLayers(file: nil, overrides: ["env=gymnasium:MinAtar/SpaceInvaders-v1"])
        XCTAssertEqual(minAtar.config.torso, .minatar, "every id of a namespace with a preset")
        XCTAssertEqual(minAtar.sources["torso"], .preset("MinAtar/"))

        let atari = try ConfigLayers(file: nil, overrides: ["env=gymnasium:ALE/Pong-v5"]).config
        XCTAssertEqual([atari.torso.rawValue] + atari.envWrappers, ["nature", "atari"], "the Atari preset")
        XCTAssertEqual(atari.environmentServerCommandLine(endpoint: "ipc:///x", index: 0).suffix(2),
                       ["--wrappers", "atari"], "shoal-env is asked for the Atari pipeline")

        let served = try ConfigLayers(file: nil, overrides: ["env=gymnasium:Pendulum-v1"])
        XCTAssertEqual(served.sources["targetReturn"], .preset("Pendulum-v1"), "gymnasium:<id> of a built-in id")

        let file = try temporaryFile("env: Pendulum-v1\nentropyCost: 0.02\n")
        let fromFile = try ConfigLayers(file: file, overrides: [])
        XCTAssertNil(fromFile.config.targetReturn, "a file is taken as it is, no preset")
        XCTAssertEqual(fromFile.sources["entropyCost"], .file(file))
        XCTAssertEqual(try ConfigLayers(file: nil, overrides: ["env=gymnasium:LunarLander-v3"]).sources.values
            .filter { if case .preset = $0 { true } else { false } }.count, 0, "no preset, the defaults")
    }

    func testAnnotatedYAMLNamesEachSourceAndReadsBackAsTheConfig() throws {
        let layers = try ConfigLayers(file: nil, overrides: ["env=Acrobot-v1", "actors=3"])
        let text = layers.annotatedYAML()
        XCTAssertTrue(text.contains("actors: 3  # --set\n"), text)
        XCTAssertTrue(text.contains("hiddenSizes: [64, 64]  # default\n"), text)
        XCTAssertTrue(text.contains("# preset Acrobot-v1\n"), text)
        XCTAssertEqual(try TrainingConfig(yaml: text), layers.config)
    }

    /// `configs/<name>.yaml` is each preset written out: loading it gives what `--set env=ID` gives.
    func testEachPresetsConfigFileIsThePreset() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for preset in Preset.all {
            let path = root.appendingPathComponent("configs/\(preset.name).yaml").path
            XCTAssertEqual(try TrainingConfig.load(contentsOf: path),
                           try ConfigLayers(file: nil, overrides: ["env=\(preset.example)"]).config, path)
        }
    }

    private func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("layers-\(UUID().uuidString).yaml")
        try text.write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }
}
