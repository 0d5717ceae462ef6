#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Set when the process is asked to stop (SIGINT or SIGTERM); long-running loops check it between steps.
public enum ShutdownSignal {
    private static let requested = Atomic<Bool>(false)
    private static let received = Atomic<Int32>(0)

    /// Installs handlers for SIGINT and SIGTERM that only record the request (async-signal-safe).
    public static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                ShutdownSignal.received.store(number, ordering: .relaxed)
                ShutdownSignal.requested.store(true, ordering: .releasing)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }

    /// Whether a stop was requested.
    public static var isRequested: Bool { requested.load(ordering: .acquiring) }

    /// The signal that requested the stop, 0 if none.
    public static var signalNumber: Int32 { received.load(ordering: .relaxed) }

    /// Requests a stop from code (e.g. a learner that reached its target).
    public static func request() { requested.store(true, ordering: .releasing) }
}
