/// Upper bounds on what an actor accepts from an environment server, so that a buggy or hostile server cannot make
/// it allocate without limit.
public struct EnvLimits: Sendable, Equatable {
    /// Most environments one server may host.
    public var maxEnvs: Int = 4096
    /// Most elements in one observation (84×84×4 frames are 28,224) or one space's shape.
    public var maxObservationElements: Int = 1 << 22
    /// Largest reply, in bytes (set ZMQ_MAXMSGSIZE to the same).
    public var maxMessageBytes: Int = 256 << 20
    /// Longest name or message kept; longer text (a long traceback) is cut, not refused.
    public var maxTextBytes: Int = 64 << 10

    public init() {}
}
