/// Orders weights across learner restarts: the learner incarnation first, then the version.
///
/// A learner restarted from a checkpoint may publish again versions it had already published before it crashed;
/// its higher incarnation tells actors these are newer all the same.
public struct WeightsStamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Grows by one each time the learner process is restarted.
    public var learnerIncarnation: UInt32
    /// Strictly increasing within one learner incarnation.
    public var version: UInt64

    public init(learnerIncarnation: UInt32, version: UInt64) {
        self.learnerIncarnation = learnerIncarnation
        self.version = version
    }

    public static func < (lhs: WeightsStamp, rhs: WeightsStamp) -> Bool {
        (lhs.learnerIncarnation, lhs.version) < (rhs.learnerIncarnation, rhs.version)
    }

    public var description: String { "v\(version) (learner incarnation \(learnerIncarnation))" }
}
