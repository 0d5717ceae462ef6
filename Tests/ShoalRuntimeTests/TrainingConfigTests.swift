import ShoalCore
import XCTest

@testable import ShoalRuntime

final class TrainingConfigTests: XCTestCase {
    func testOverridesSetTypedFields() throws {
        let config = try TrainingConfig().applying(overrides: [
            "learningRate=0.0005", "hiddenSizes=[32,16]", "env=Pendulum-v1", "activation=relu", "maxSeconds=none",
            "finalLearningRate=0", "learnerGoneSeconds=none",
        ])
        XCTAssertEqual(config.learningRate, 0.0005)
        XCTAssertEqual(config.hiddenSizes, [32, 16])
        XCTAssertEqual(config.env, "Pendulum-v1")
        XCTAssertEqual(config.activation, .relu)
        XCTAssertNil(config.maxSeconds)
        XCTAssertEqual(config.finalLearningRate, 0)
        XCTAssertNil(config.learnerGoneSeconds)
    }

    /// APPO's passes and minibatches are the default's; IMPALA makes one step per batch whatever they say.
    func testImpalaTakesOneStepPerBatch() throws {
        let appo = TrainingConfig().learnerSettings
        XCTAssertEqual(appo.loss.clippedSurrogate, ClippedSurrogate(epsilon: 0.2))
        XCTAssertEqual([appo.epochs, appo.minibatches], [4, 4])
        let impala = try TrainingConfig().applying(overrides: ["algorithm=impala"]).learnerSettings
        XCTAssertNil(impala.loss.clippedSurrogate)
        XCTAssertEqual([impala.epochs, impala.minibatches], [1, 1])
    }

    /// `minibatches: auto` keeps a minibatch at 4 environments whatever the batch's width; a number is taken as it is.
    func testAutoMinibatchesFollowTheBatchWidthAndANumberIsKept() throws {
        func minibatches(_ overrides: [String]) throws -> Int {
            try TrainingConfig().applying(overrides: overrides).learnerSettings.minibatches
        }
        XCTAssertEqual(TrainingConfig().minibatches, .auto)
        XCTAssertEqual(try minibatches([]), 4, "16 built-in environments")
        XCTAssertEqual(try minibatches(["env=gymnasium:CartPole-v1"]), 32, "one server's 128")
        XCTAssertEqual(try minibatches(["env=gymnasium:CartPole-v1", "envsPerServer=2"]), 1)
        XCTAssertEqual(try minibatches(["envsPerActor=1024", "rolloutsPerBatch=2"]), 64, "at most 64")
        XCTAssertEqual(try minibatches(["env=gymnasium:CartPole-v1", "minibatches=8"]), 8)
        let autoAgain = try TrainingConfig().applying(overrides: ["minibatches=8", "minibatches=auto"])
        XCTAssertEqual(autoAgain.minibatches, .auto)
        for bad in ["0", "65", "2.5", "many"] {
            XCTAssertThrowsError(try TrainingConfig().applying(overrides: ["minibatches=\(bad)"])) { error in
                XCTAssertEqual((error as? ShoalRuntimeError)?.subject, "minibatches", "\(error)")
            }
        }
        for config in [TrainingConfig(), try TrainingConfig().applying(overrides: ["minibatches=3"])] {
            XCTAssertEqual(try TrainingConfig(yaml: config.yamlText()), config, "written and read back")
        }
    }

    /// A convolutional torso is refused, naming `torso`, for observations it cannot read; CartPole's are flat.
    func testAConvolutionalTorsoNeedsImageObservations() throws {
        XCTAssertThrowsError(try TrainingConfig().applying(overrides: ["torso=minatar"]).networkSpec()) { error in
            XCTAssertEqual((error as? ShoalRuntimeError)?.subject, "torso", "\(error)")
            XCTAssertTrue("\(error)".contains("[height, width, channels]"), "\(error)")
        }
        let spec = try TrainingConfig().applying(overrides: ["torso=minatar"])
            .networkSpec(for: EnvironmentShape(observationShape: [10, 10, 4], actionSpace: .discrete(3)))
        XCTAssertEqual(spec.convolutionalTorso,
                       ConvolutionalTorsoSpec(kind: .minatar, height: 10, width: 10, channels: 4))
        XCTAssertEqual(spec.hiddenSizes, [])
        XCTAssertThrowsError(try TrainingConfig().applying(overrides: ["torso=nature"])
            .networkSpec(for: EnvironmentShape(observationShape: [10, 10, 4], actionSpace: .discrete(3))))
    }

    /// List fields take JSON lists or bare words: `envWrappers=[atari,channels-last]`, `envServers=tcp://a:1,tcp://b:2`.
    func testListOverridesTakeBareWords() throws {
        let config = try TrainingConfig().applying(overrides: [
            "env=gymnasium:ALE/Breakout-v5", "envWrappers=[atari, channels-last]", "envServers=tcp://a:1,tcp://b:2", "hiddenSizes=[32]",
        ])
        XCTAssertEqual(config.envWrappers, ["atari", "channels-last"])
        XCTAssertEqual(config.envServers, ["tcp://a:1", "tcp://b:2"])
        XCTAssertEqual(config.hiddenSizes, [32])
        XCTAssertEqual(try TrainingConfig().applying(overrides: ["envServers=[\"tcp://c:3\"]"]).envServers, ["tcp://c:3"])
    }

    /// `core: lstm` puts an LSTM of `lstmSize` units after whichever torso; `none` (the default) leaves it out.
    func testTheCoreIsPartOfTheNetwork() throws {
        XCTAssertNil(try TrainingConfig().networkSpec().lstmSize)
        XCTAssertEqual(try TrainingConfig().applying(overrides: ["core=lstm", "lstmSize=32"]).networkSpec().lstmSize, 32)
        let pixels = try TrainingConfig().applying(overrides: ["torso=minatar", "core=lstm"])
            .networkSpec(for: EnvironmentShape(observationShape: [10, 10, 4], actionSpace: .discrete(3)))
        XCTAssertEqual(pixels.lstmSize, 128)
        XCTAssertNotNil(pixels.convolutionalTorso)
    }

    func testBadValuesNameTheField() {
        let cases: [(String, String, ShoalRuntimeError.Code)] = [
            ("learningRate=fast", "learningRate", .invalidConfigValue),
            ("learningRate=-1", "learningRate", .invalidConfigValue),
            ("envsPerActor=0", "envsPerActor", .invalidConfigValue),
            ("env=Pong-v5", "env", .invalidConfigValue),
            ("activation=sigmoid", "activation", .invalidConfigValue),
            ("algorithm=ppo", "algorithm", .invalidConfigValue),
            ("torso=resnet", "torso", .invalidConfigValue),
            ("core=gru", "core", .invalidConfigValue),
            ("lstmSize=0", "lstmSize", .invalidConfigValue),
            ("envWrappers=atari", "envWrappers", .invalidConfigValue),  // wrappers are for served environments
            ("hiddenSizes=[64,wide]", "hiddenSizes", .invalidConfigValue),
            ("epochs=0", "epochs", .invalidConfigValue),
            ("minibatches=65", "minibatches", .invalidConfigValue),
            ("clipEpsilon=0", "clipEpsilon", .invalidConfigValue),
            ("learningrate=0.1", "learningrate", .unknownConfigField),
            ("hiddenSizes=[64,-1]", "hiddenSizes", .invalidConfigValue),
            ("envsPerActor=1.5", "envsPerActor", .invalidConfigValue),
            ("seed=-3", "seed", .invalidConfigValue),
            ("learnerGoneSeconds=1", "learnerGoneSeconds", .invalidConfigValue),  // not longer than resendSeconds
        ]
        for (override, field, code) in cases {
            XCTAssertThrowsError(try TrainingConfig().applying(overrides: [override]), override) { error in
                guard let error = error as? ShoalRuntimeError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.subject, field, override)
                XCTAssertEqual(error.code, code, override)
                XCTAssertTrue(error.description.contains(field), error.description)
            }
        }
    }
}
