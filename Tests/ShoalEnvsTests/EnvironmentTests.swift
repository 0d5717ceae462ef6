import ShoalCore
import ShoalEnvs
import XCTest

final class EnvironmentTests: XCTestCase {
    func testRegistryNamesUnknownIdAndKnownOnes() {
        XCTAssertThrowsError(try EnvironmentRegistry.builtIn.factory(for: "CartPole-v9")) { error in
            guard let error = error as? EnvironmentError else { return XCTFail("unexpected error \(error)") }
            XCTAssertEqual(error.code, .unknownEnvironment)
            XCTAssertEqual(error.context, "CartPole-v9")
            XCTAssertTrue(error.message.contains("CartPole-v9"))
            for id in EnvironmentRegistry.builtIn.ids {
                XCTAssertTrue(error.message.contains(id), "message should list \(id): \(error.message)")
            }
        }
    }

    func testFactoriesDescribeWhatTheyMake() throws {
        for id in EnvironmentRegistry.builtIn.ids {
            let factory = try EnvironmentRegistry.builtIn.factory(for: id)
            XCTAssertEqual(factory.id, id)
            var environment = factory.makeEnvironment()
            XCTAssertEqual(environment.observationSpace, factory.observationSpace)
            XCTAssertEqual(environment.actionSpace, factory.actionSpace)
            XCTAssertEqual(environment.reset(seed: 1).count, factory.observationSpace.count)
            let vector = factory.makeVectorEnvironment(batchSize: 3, seed: 1)
            XCTAssertEqual(vector.observations.count, 3 * factory.observationSpace.count)
        }
    }

    func testSetStateRejectsWrongCount() {
        var pendulum = Pendulum()
        XCTAssertThrowsError(try pendulum.setState([0, 1, 2])) { error in
            XCTAssertEqual((error as? EnvironmentError)?.code, .invalidState)
        }
        XCTAssertNoThrow(try pendulum.setState([0.5, -1]))
        XCTAssertEqual(pendulum.stateValues, [0.5, -1])
    }

    func testPendulumClipsTorque() throws {
        var clipped = Pendulum()
        var limit = Pendulum()
        try clipped.setState([1, 0.5])
        try limit.setState([1, 0.5])
        XCTAssertEqual(clipped.step([7.5]), limit.step([2]))
        XCTAssertEqual(clipped.step([-30]), limit.step([-2]))
    }

    func testResetsDrawFromGymnasiumRanges() {
        var generator = SeededGenerator(seed: 123)
        var cartPole = CartPole(), acrobot = Acrobot(), mountainCar = MountainCar(), pendulum = Pendulum()
        for _ in 0..<500 {
            _ = cartPole.reset(using: &generator)
            XCTAssertTrue(cartPole.stateValues.allSatisfy { (-0.05..<0.05).contains($0) })
            _ = acrobot.reset(using: &generator)
            XCTAssertTrue(acrobot.stateValues.allSatisfy { (-0.1...0.1).contains($0) && Double(Float($0)) == $0 })
            _ = mountainCar.reset(using: &generator)
            XCTAssertTrue((-0.6..<(-0.4)).contains(mountainCar.state.position))
            XCTAssertEqual(mountainCar.state.velocity, 0)
            _ = pendulum.reset(using: &generator)
            XCTAssertTrue((-Double.pi..<Double.pi).contains(pendulum.state.theta))
            XCTAssertTrue((-1.0..<1.0).contains(pendulum.state.thetaDot))
        }
    }
}
