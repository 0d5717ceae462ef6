import CZeroMQ

/// A libzmq version number.
public struct ZMQVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Incompatible API changes.
    public var major: Int
    /// Backward-compatible features.
    public var minor: Int
    /// Fixes.
    public var patch: Int

    /// Makes a version from its three numbers.
    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    public static func < (lhs: ZMQVersion, rhs: ZMQVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}

/// The version of the libzmq this process loaded (which may differ from the headers it was built against).
public func zmqVersion() -> ZMQVersion {
    var major: Int32 = 0
    var minor: Int32 = 0
    var patch: Int32 = 0
    zmq_version(&major, &minor, &patch)
    return ZMQVersion(Int(major), Int(minor), Int(patch))
}
