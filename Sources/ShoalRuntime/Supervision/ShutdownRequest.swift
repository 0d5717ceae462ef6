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
