/// An actor's request for a snapshot of the learner's newest weights (on joining, after a gap, after silence).
public struct WeightsRequest: Sendable, Equatable, Hashable {
    /// The run the actor belongs to.
    public var runID: String
    /// The asking actor.
    public var actorID: UInt32
    /// The asking actor's incarnation.
    public var incarnation: UInt32
    /// The weights the actor holds, or nil when it holds none yet.
    public var held: WeightsStamp?

    public init(runID: String, actorID: UInt32, incarnation: UInt32, held: WeightsStamp?) {
        self.runID = runID
        self.actorID = actorID
        self.incarnation = incarnation
        self.held = held
    }
}
