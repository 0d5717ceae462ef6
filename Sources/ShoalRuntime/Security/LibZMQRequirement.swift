import ZeroMQ

/// The oldest libzmq Shoal's roles run on: 4.3.3 fixes memory-safety bugs reachable by any peer that can connect,
/// before any authentication (CVE-2020-15166 and the heap overflows of 4.3.2), so older versions are refused.
public enum LibZMQRequirement {
    /// The oldest supported version.
    public static let minimum = ZMQVersion(4, 3, 3)

    /// Throws `.libzmqTooOld` with a message naming both versions if `version` is older than `minimum`.
    public static func check(_ version: ZMQVersion = zmqVersion()) throws(ShoalRuntimeError) {
        guard version < minimum else { return }
        throw ShoalRuntimeError(
            .libzmqTooOld, subject: "\(version)",
            reason: "libzmq \(version) is too old: Shoal needs libzmq \(minimum) or newer, which fixes security bugs "
                + "that unauthenticated peers can trigger; install a newer libzmq (e.g. libzmq5 from your "
                + "distribution's updates or zeromq.org) and restart")
    }
}
