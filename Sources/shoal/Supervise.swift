import ArgumentParser
import Foundation
import ShoalRuntime

struct Supervise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run and watch the processes of a plan on this host (one supervisor per host).",
        discussion: """
            Starts every child of PLAN, restarts those that crash or stop sending heartbeats (exponential backoff, \
            at most maxRestarts within window seconds), writes <run dir>/status.json every statusInterval, and on \
            SIGINT or SIGTERM stops the children by shutdownStage (actors, then the learner): SIGTERM, then SIGKILL \
            after shutdownGrace. A second signal skips the grace periods. Children die with the supervisor.

            PLAN is YAML or JSON; times in seconds; only children, name, role and command are required:

              runID: demo                    # default: the run directory's name
              heartbeatTimeout: 10
              startupTimeout: 60             # until the first heartbeat
              pollInterval: 0.1
              statusInterval: 0.5
              prometheus: 0.0.0.0:9100       # serve the supervisor's metrics (default: nowhere)
              heartbeatEndpoint: tcp://*:5599   # default: ipc in the run dir
              restart: {maxRestarts: 5, window: 60, initialBackoff: 0.25,
                        maxBackoff: 8, jitter: 0.2}
              children:
                - {name: learner, role: learner, command: [shoal, learner]}
                - name: actor-0
                  role: actor
                  id: 0
                  command: [shoal, actor, --id, "0"]
                  environment: {KEY: value}
                  onCleanExit: stayStopped   # completeRun | restart | stayStopped
                  onGiveUp: continueWithout  # failRun | continueWithout
                  shutdownStage: 0
                  shutdownGrace: 5
                  restart: {maxRestarts: 10}

            By default the learner completes the run when it exits 0, fails it when given up, and stops last; an \
            actor stays stopped after exit 0, is left out when given up, and stops first. A command `shoal` runs \
            this very binary. Children get $SHOAL_SUPERVISOR (heartbeat endpoint), $SHOAL_SUPERVISOR_PID, \
            $SHOAL_INCARNATION, $SHOAL_RUN_ID and OPENBLAS_NUM_THREADS=1; their output is appended to \
            <run dir>/logs/<name>.log.

            Exit status: 0 finished, 1 failed, 130 interrupted.
            """
    )

    @Argument(help: "Plan file (YAML or JSON) listing the children.")
    var plan: String

    @Option(name: .customLong("run-dir"), help: "Run directory (status.json, logs); overrides the plan's.")
    var runDirectory: String?

    @Option(help: ArgumentHelp("Serve the supervisor's Prometheus metrics at http://HOST:PORT/metrics (replaces the "
                               + "plan's prometheus).", valueName: "host:port"))
    var prometheus: String?

    func run() throws {
        var plan = try asUsageError { () throws(ShoalRuntimeError) in
            try SupervisionPlan.load(path: self.plan, runDirectory: runDirectory)
        }
        if let prometheus {
            plan.settings.prometheus = try asUsageError { () throws(ShoalRuntimeError) in
                try MetricsAddress(parsing: prometheus)
            }
        }
        let thisBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        for index in plan.children.indices where plan.children[index].executable == "shoal" {
            plan.children[index].executable = thisBinary
        }
        let supervisor = try Supervisor(settings: plan.settings, children: plan.children)
        let outcome = supervisor.run()
        throw ExitCode(outcome.exitCode)
    }
}
