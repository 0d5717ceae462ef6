import ShoalWire
import XCTest

@testable import ShoalRuntime

/// One host's plan: which processes it runs, how actors find the servers beside them, and that the YAML `shoal plan`
/// writes is read back by `shoal supervise` as the same children.
final class HostPlanTests: XCTestCase {
    private func plan(env: String, learner: Bool, keys: String? = nil) throws -> HostPlan {
        var config = try TrainingConfig().applying(overrides: ["env=\(env)", "envServersPerActor=2"])
        config.envsPerServer = 16
        var plan = HostPlan(
            config: config, runID: "run-1", configPath: "/runs/run-1/config.yaml", executable: "shoal",
            learner: learner ? .init(rollouts: "tcp://*:5555", weights: "tcp://*:5556",
                                     checkpoints: "/runs/d/checkpoints", metrics: nil) : nil,
            actorIDs: 3..<5, learnerEndpoints: ActorEndpoints(learner: "tcp://gpu0:5555", weights: "tcp://gpu0:5556"),
            socketDirectory: "/tmp/shoal-sockets.abc")
        plan.keyDirectory = keys
        return plan
    }

    func testServedEnvironmentPutsServersBesideEachActor() throws {
        let children = try plan(env: "gymnasium:CartPole-v1", learner: false).children
        XCTAssertEqual(children.map(\.name), ["actor-3", "actor-4", "env-3-0", "env-3-1", "env-4-0", "env-4-1"])
        XCTAssertEqual(children.filter { $0.role == .envServer }.map(\.id), [6, 7, 8, 9])
        let actor4 = try XCTUnwrap(children.first { $0.name == "actor-4" })
        let servers = try XCTUnwrap(actor4.arguments.firstIndex(of: "--env-servers"))
        XCTAssertEqual(actor4.arguments[servers + 1],
                       "ipc:///tmp/shoal-sockets.abc/env-4-0.sock,ipc:///tmp/shoal-sockets.abc/env-4-1.sock")
        let server = try XCTUnwrap(children.first { $0.name == "env-4-1" })
        XCTAssertEqual(server.executable, "python3")
        XCTAssertEqual(Array(server.arguments.prefix(6)),
                       ["-m", "shoal_env", "serve", "ipc:///tmp/shoal-sockets.abc/env-4-1.sock", "--env",
                        "gymnasium:CartPole-v1"])
        XCTAssertTrue(server.arguments.joined(separator: " ").contains("--num-envs 16"))
    }

    func testBuiltInEnvironmentHasNoServersAndKeysGoToTheirRoles() throws {
        let children = try plan(env: "CartPole-v1", learner: true, keys: "/k").children
        XCTAssertEqual(children.map(\.name), ["learner", "actor-3", "actor-4"])
        XCTAssertFalse(children[1].arguments.contains("--env-servers"))
        XCTAssertTrue(children[0].arguments.joined(separator: " ")
            .contains("--curve-secret-key /k/learner.key --curve-allow /k/actor.pub"))
        XCTAssertTrue(children[1].arguments.joined(separator: " ")
            .contains("--curve-secret-key /k/actor.key --curve-server-key /k/learner.pub"))
    }

    func testYAMLIsReadBackAsTheSameChildren() throws {
        let plan = try plan(env: "exec:/opt/my env/server", learner: true, keys: "/k")
        let text = plan.yaml(heartbeatEndpoint: "ipc:///tmp/shoal-sockets.abc/supervisor.sock")
        let read = try SupervisionPlan.parse(text, runDirectory: "/runs/d")
        XCTAssertEqual(read.children, plan.children)
        XCTAssertEqual(read.settings.heartbeatEndpoint, "ipc:///tmp/shoal-sockets.abc/supervisor.sock")
        XCTAssertEqual(read.settings.runID, "run-1")
    }

    /// With a Prometheus address, the supervisor reads it from the plan and each process takes the next port: the
    /// learner, the actors in id order, then shoal-env's environment servers (not other programs').
    func testPrometheusPortsFollowTheSupervisorsInThePlan() throws {
        var plan = try plan(env: "gymnasium:CartPole-v1", learner: true)
        plan.prometheus = MetricsAddress(host: "0.0.0.0", port: 9100)
        XCTAssertEqual(plan.children.map(\.prometheus), (9101...9107).map { "0.0.0.0:\($0)" })
        var exec = try self.plan(env: "exec:/opt/my-env", learner: false)
        exec.prometheus = plan.prometheus
        XCTAssertEqual(exec.children.map(\.prometheus), ["0.0.0.0:9102", "0.0.0.0:9103", nil, nil, nil, nil])
        let read = try SupervisionPlan.parse(plan.yaml(), runDirectory: "/runs/d")
        XCTAssertEqual(read.settings.prometheus, MetricsAddress(host: "0.0.0.0", port: 9100))
        XCTAssertEqual(read.children.map(\.prometheus), plan.children.map(\.prometheus))
        plan.prometheus = MetricsAddress(host: "0.0.0.0", port: 65533)
        XCTAssertThrowsError(try plan.validatePrometheusPorts(), "seven processes past 65533")
    }
}
