import Foundation
import ShoalWire
import ZeroMQ

/// The child's half of the heartbeat channel: a PUSH socket to the supervisor on which `beat(...)` sends at most one
/// heartbeat per interval. It never blocks the caller: a beat that cannot be queued at once is dropped and counted.
public final class HeartbeatSender {
    /// The supervisor's heartbeat endpoint.
    public let endpoint: String
    /// Shortest time between two heartbeats sent.
    public let interval: Duration
    /// Heartbeats queued for sending.
    public private(set) var sentCount = 0
    /// Heartbeats dropped because the queue to the supervisor was full (or the socket failed).
    public private(set) var droppedCount = 0
    private var heartbeat: Heartbeat
    private let socket: ZMQSocket
    private var nextBeat = ContinuousClock.now

    /// Connects to the supervisor at `endpoint`; `heartbeat` gives the identity (run, role, id, incarnation) every
    /// beat carries. The pid and host are filled in here.
    public init(endpoint: String, identity heartbeat: Heartbeat, interval: Duration, context: ZMQContext)
        throws(ZMQError)
    {
        // A tiny queue: a beat that cannot go now is worthless later. A short linger lets the last beat, which
        // carries the final counts for the run's accounting, leave before exit, without ever waiting long.
        socket = try ZMQSocket(.push, context: context, options: SocketOptions(
            sendHighWaterMark: 4, linger: .milliseconds(100)))
        do {
            try socket.connect(endpoint)
        } catch {
            socket.close()
            throw error
        }
        self.endpoint = endpoint
        self.interval = interval
        self.heartbeat = heartbeat
        self.heartbeat.pid = getpid()
        self.heartbeat.host = ProcessInfo.processInfo.hostName
    }

    /// A sender set up from the variables a supervisor gives its children ($SHOAL_SUPERVISOR, $SHOAL_RUN_ID,
    /// $SHOAL_INCARNATION), or nil when this process was not started by a supervisor.
    public static func fromEnvironment(
        role: ProcessRole, id: UInt32, interval: Duration, context: ZMQContext
    ) throws(ZMQError) -> HeartbeatSender? {
        guard let endpoint = SupervisedEnvironment.value(SupervisedEnvironment.supervisorEndpoint),
            let runID = SupervisedEnvironment.value(SupervisedEnvironment.runID)
        else { return nil }
        let incarnation = SupervisedEnvironment.value(SupervisedEnvironment.incarnation).flatMap(UInt32.init) ?? 1
        let identity = Heartbeat(
            runID: runID, role: role, id: id, pid: 0, host: "", incarnation: incarnation, timestampNanos: 0)
        return try HeartbeatSender(endpoint: endpoint, identity: identity, interval: interval, context: context)
    }

    /// Sends a heartbeat with these figures if `interval` has passed since the last one; returns whether it did.
    /// Cheap enough to call on every step of a loop.
    @discardableResult
    public func beat(
        policyVersion: UInt64 = 0, environmentSteps: UInt64 = 0, queueDepth: UInt32 = 0, stats: [String: Double] = [:]
    ) -> Bool {
        let now = ContinuousClock.now
        guard now >= nextBeat else { return false }
        nextBeat = now + interval
        heartbeat.timestampNanos = Int64(Date().timeIntervalSince1970 * 1e9)
        heartbeat.policyVersion = policyVersion
        heartbeat.environmentSteps = environmentSteps
        heartbeat.queueDepth = queueDepth
        heartbeat.stats = stats
        guard (try? socket.send(heartbeat.encode(), timeout: .zero)) == .sent else {
            droppedCount += 1
            return false
        }
        sentCount += 1
        return true
    }

    /// Closes the socket; unsent beats are discarded.
    public func close() {
        socket.close()
    }
}
