import Foundation
@testable import ShoalRuntime
import XCTest

/// What each role's series show, read from the exposition text.
final class PrometheusSeriesTests: XCTestCase {
    /// A learner resumed with the run's totals counts from 0 (no jump for `rate()`), by outcome and reason, with its
    /// run and role on every series.
    func testALearnersCountersStartAtZeroFromRestoredTotalsAndFollowItsReports() {
        let metrics = PrometheusMetrics(runID: "r1", role: .learner)
        var report = learnerReport(received: 100, consumed: 90, stale: 10, envSteps: 64_000)
        let series = LearnerPrometheus(metrics: metrics, start: report)
        XCTAssertEqual(sample(metrics, "shoal_rollouts_received_total"), 0)
        report.counters.received += 30
        report.counters.consumed += 25
        report.counters.drop(.stale, count: 2)
        report.counters.rejected["bad_crc"] = 3
        report.envSteps += 6400
        report.version = 42
        report.medianLag = 3
        report.connectedActors = 2
        series.record(report)
        series.record(report)
        XCTAssertEqual(sample(metrics, "shoal_rollouts_received_total"), 30)
        XCTAssertEqual(sample(metrics, "shoal_rollouts_total", #"outcome="consumed""#), 25)
        XCTAssertEqual(sample(metrics, "shoal_rollouts_total", #"outcome="dropped",reason="stale""#), 2)
        XCTAssertEqual(sample(metrics, "shoal_rollouts_total", #"reason="shutdown""#), 0, "every reason shown")
        XCTAssertEqual(sample(metrics, "shoal_messages_rejected_total", #"reason="bad_crc""#), 3)
        XCTAssertEqual(sample(metrics, "shoal_env_steps_total"), 6400)
        XCTAssertEqual(sample(metrics, "shoal_policy_version"), 42)
        XCTAssertEqual(sample(metrics, "shoal_policy_lag"), 3)
        XCTAssertEqual(sample(metrics, "shoal_actors_connected"), 2)
        XCTAssertGreaterThan(sample(metrics, "process_resident_memory_bytes") ?? 0, 1_000_000)
        let text = exposition(metrics)
        XCTAssertTrue(text.contains("# TYPE shoal_rollouts_total counter\n"), text)
        XCTAssertTrue(text.contains("# HELP shoal_policy_version "), text)
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertTrue(line.contains(#"{run="r1",role="learner""#), "\(line)")
        }
    }

    /// An actor's series carry its id; environment-server counts appear by fault once there are any, and a counter
    /// never goes down.
    func testAnActorsSeriesCarryItsIdAndItsEnvironmentServerFaults() {
        let metrics = PrometheusMetrics(runID: "r1", role: .actor, id: 7)
        let series = ActorPrometheus(metrics: metrics)
        var report = ActorReport(policyVersion: 5, envSteps: 1000, produced: 4, acknowledged: 3, unacknowledged: 1,
                                 resent: 0, rejected: [:])
        series.record(report)
        XCTAssertNil(sample(metrics, "shoal_env_servers_up"), "no servers, no gauge")
        report.environments = ["env_servers_up": 2, "env_faults/timeout": 1, "abandoned/timeout": 1]
        report.envSteps = 1500
        series.record(report)
        report.envSteps = 1200
        series.record(report)
        XCTAssertEqual(sample(metrics, "shoal_env_steps_total", #"actor="7""#), 1500)
        XCTAssertEqual(sample(metrics, "shoal_env_servers_up"), 2)
        XCTAssertEqual(sample(metrics, "shoal_env_server_faults_total", #"fault="timeout""#), 1)
        XCTAssertEqual(sample(metrics, "shoal_unrolls_abandoned_total", #"fault="timeout""#), 1)
        XCTAssertEqual(sample(metrics, "shoal_policy_version"), 5)
    }

    /// A supervisor counts each child's restarts and its children by state, and shows the accounting's balance only
    /// when its host has the learner and the actors.
    func testASupervisorCountsRestartsAndChildrenByState() {
        let metrics = PrometheusMetrics(runID: "r1", role: .supervisor)
        let series = SupervisorPrometheus(metrics: metrics)
        var status = RunStatus(runID: "r1", state: .running, startedAt: 0, supervisorPID: 1, processes: [
            ProcessStatus(name: "learner", role: "learner", id: 0, state: .running),
            ProcessStatus(name: "actor-0", role: "actor", id: 0, state: .backingOff, restarts: 2),
        ])
        series.record(status, ignoredHeartbeats: ["stale": 4])
        XCTAssertEqual(sample(metrics, "shoal_restarts_total", #"child="actor-0""#), 2)
        XCTAssertEqual(sample(metrics, "shoal_children", #"state="backing-off""#), 1)
        XCTAssertEqual(sample(metrics, "shoal_children", #"state="failed""#), 0)
        XCTAssertEqual(sample(metrics, "shoal_heartbeats_ignored_total", #"reason="stale""#), 4)
        XCTAssertNil(sample(metrics, "shoal_rollout_accounting_imbalance"), "no ledger with learner and actors")
        var ledger = RolloutLedger()
        ledger.recordLearner(incarnation: 1, stats: ["consumed": 3])
        ledger.recordActor(id: 0, incarnation: 1, stats: ["produced": 4])
        status.ledger = ledger
        status.accounting = ledger.accounting
        series.record(status, ignoredHeartbeats: [:])
        XCTAssertEqual(sample(metrics, "shoal_rollout_accounting_imbalance"), Double(ledger.accounting.imbalance))
    }

    /// Endpoints on every interface are listed under the host's name, so that a scraper elsewhere reaches them.
    func testTargetsForFileBasedDiscoveryNameThisHostForWildcardAddresses() throws {
        let json = PrometheusTargets.json(["0.0.0.0:9100", "127.0.0.1:9101", "[::]:9102", ":9103"], hostName: "node7")
        let groups = try JSONSerialization.jsonObject(with: Data(json)) as? [[String: [String]]]
        XCTAssertEqual(groups?.first?["targets"], ["node7:9100", "127.0.0.1:9101", "node7:9102", "node7:9103"])
    }

    private func learnerReport(received: Int64, consumed: Int64, stale: Int64, envSteps: Int64) -> LearnerReport {
        var counters = LearnerCounters()
        counters.received = received
        counters.consumed = consumed
        counters.drop(.stale, count: stale)
        return LearnerReport(version: 0, envSteps: envSteps, queueDepth: 0, meanReturn: nil, episodes: 0,
                             elapsedSeconds: 0, counters: counters, connectedActors: 0, medianLag: nil, settled: [:],
                             known: [:])
    }

    private func exposition(_ metrics: PrometheusMetrics) -> String {
        String(decoding: metrics.exposition(), as: UTF8.self)
    }

    /// The value of the first sample of `name` whose labels contain `labels`.
    private func sample(_ metrics: PrometheusMetrics, _ name: String, _ labels: String = "") -> Double? {
        for line in exposition(metrics).split(separator: "\n") where line.hasPrefix("\(name){") {
            let parts = line.split(separator: " ")
            if labels.isEmpty || parts[0].contains(labels) { return Double(parts[1]) }
        }
        return nil
    }
}
