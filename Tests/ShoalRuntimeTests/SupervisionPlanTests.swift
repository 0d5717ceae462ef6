import XCTest

@testable import ShoalRuntime

final class SupervisionPlanTests: XCTestCase {
    func testRoleDefaultsAndOverrides() throws {
        let plan = try SupervisionPlan.parse(
            """
            heartbeatTimeout: 2
            restart: {maxRestarts: 7, initialBackoff: 0.1}
            children:
              - {name: learner, role: learner, command: [shoal, learner, --fast]}
              - name: actor-4
                role: actor
                id: 4
                command: [/bin/actor]
                environment: {A: b}
                onGiveUp: failRun
                shutdownGrace: 1.5
                restart: {window: 5}
            """, runDirectory: "/tmp/runs/demo")

        XCTAssertEqual(plan.settings.runID, "demo", "the run id defaults to the directory's name")
        XCTAssertEqual(plan.settings.heartbeatTimeout, .seconds(2))
        XCTAssertEqual(plan.settings.statusPath, "/tmp/runs/demo/status.json")
        let learner = plan.children[0]
        XCTAssertEqual(learner.executable, "shoal")
        XCTAssertEqual(learner.arguments, ["learner", "--fast"])
        XCTAssertEqual(learner.onCleanExit, .completeRun)
        XCTAssertEqual(learner.onGiveUp, .failRun)
        XCTAssertGreaterThan(learner.shutdownStage, plan.children[1].shutdownStage, "actors stop before the learner")
        XCTAssertEqual(learner.restartPolicy.maxRestarts, 7)
        XCTAssertEqual(learner.restartPolicy.window, RestartPolicy.default.window)
        let actor = plan.children[1]
        XCTAssertEqual(actor.id, 4)
        XCTAssertEqual(actor.environment, ["A": "b"])
        XCTAssertEqual(actor.onCleanExit, .stayStopped)
        XCTAssertEqual(actor.onGiveUp, .failRun)
        XCTAssertEqual(actor.shutdownGrace, .seconds(1.5))
        XCTAssertEqual(actor.restartPolicy.window, .seconds(5))
        XCTAssertEqual(actor.restartPolicy.initialBackoff, .milliseconds(100), "top-level restart keys still apply")
    }

    func testProblemsNameTheChildOrTheFile() {
        let cases: [(String, ShoalRuntimeError.Code, String)] = [
            ("children: [{name: x, role: janitor, command: [a]}]", .invalidChildSpec, "x"),
            ("children: [{name: y, role: actor, command: []}]", .invalidChildSpec, "y"),
            ("children: [{name: z, role: actor}]", .unreadablePlan, "plan.yaml"),
        ]
        for (text, code, subject) in cases {
            XCTAssertThrowsError(try SupervisionPlan.parse(text, source: "plan.yaml", runDirectory: "/tmp/r")) {
                let error = $0 as? ShoalRuntimeError
                XCTAssertEqual(error?.code, code, text)
                XCTAssertEqual(error?.subject, subject, text)
            }
        }
        XCTAssertThrowsError(try SupervisionPlan.parse("children: []", source: "p")) {
            XCTAssertTrue("\($0)".contains("--run-dir"), "a missing run directory says how to give one: \($0)")
        }
    }

    func testSpecListsMustNotClash() {
        let actor = ChildSpec(name: "actor-0", role: .actor, id: 0, executable: "/bin/true")
        var sameID = actor
        sameID.name = "actor-zero"
        var badPolicy = actor
        badPolicy.restartPolicy.jitter = 1
        let cases: [[ChildSpec]] = [[], [actor, actor], [actor, sameID], [badPolicy]]
        for specs in cases {
            XCTAssertThrowsError(try specs.validate(), "\(specs.map(\.name))") {
                XCTAssertEqual(($0 as? ShoalRuntimeError)?.code, .invalidChildSpec)
            }
        }
        XCTAssertNoThrow(try [actor].validate())
    }
}
