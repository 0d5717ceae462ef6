import Glibc
import Synchronization

/// SIGINT and SIGTERM turned into shutdown requests. The handler only bumps atomics, which is async-signal-safe;
/// long-running loops (supervisor, learner, actor) read them between steps.
public enum TerminationSignals {
    /// Signals delivered since the process started.
    public static var count: Int { deliveredCount.load(ordering: .acquiring) }
    /// The most recent of them.
    public static var lastSignal: Int32 { lastDelivered.load(ordering: .acquiring) }

    /// Installs the handlers and returns the previous dispositions, for `restore`.
    @discardableResult
    public static func install() -> [(signal: Int32, action: sigaction)] {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            lastDelivered.store(signal, ordering: .releasing)
            deliveredCount.add(1, ordering: .releasing)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        return [SIGINT, SIGTERM].map { signal in
            var previous = sigaction()
            sigaction(signal, &action, &previous)
            return (signal, previous)
        }
    }

    /// Whether a stop was requested by a signal since the process started.
    public static var stopRequested: Bool { count > 0 }

    /// Puts back the dispositions `install` replaced.
    public static func restore(_ previous: [(signal: Int32, action: sigaction)]) {
        for (signal, action) in previous {
            var action = action
            sigaction(signal, &action, nil)
        }
    }
}

private let deliveredCount = Atomic<Int>(0)
private let lastDelivered = Atomic<Int32>(0)
