import Glibc
import Synchronization

/// Asks a running supervisor, from any thread, to stop its children in order and return `.interrupted`.
/// A second request during the shutdown cuts the grace periods short.
public final class ShutdownRequest: Sendable {
    private let requests = Atomic<Int>(0)

    /// Makes a request nobody has made yet.
    public init() {}

    /// Requests the shutdown (again).
    public func request() {
        requests.add(1, ordering: .releasing)
    }

    /// How many times `request()` was called.
    var count: Int { requests.load(ordering: .acquiring) }
}

/// SIGINT and SIGTERM turned into shutdown requests. The handler only bumps atomics, which is async-signal-safe; the
/// supervisor's loop, which wakes every poll interval, reads them.
enum SupervisorSignals {
    /// Signals delivered since the process started.
    static var count: Int { deliveredCount.load(ordering: .acquiring) }
    /// The most recent of them.
    static var lastSignal: Int32 { lastDelivered.load(ordering: .acquiring) }

    /// Installs the handlers and returns the previous dispositions, for `restore`.
    static func install() -> [(signal: Int32, action: sigaction)] {
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

    /// Puts back the dispositions `install` replaced.
    static func restore(_ previous: [(signal: Int32, action: sigaction)]) {
        for (signal, action) in previous {
            var action = action
            sigaction(signal, &action, nil)
        }
    }
}

private let deliveredCount = Atomic<Int>(0)
private let lastDelivered = Atomic<Int32>(0)
