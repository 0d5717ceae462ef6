import CZeroMQ
import Synchronization

/// A libzmq context: owns the I/O threads that every socket created from it uses.
///
/// Contexts are thread-safe in libzmq, so this type is `Sendable`: share one per process and create sockets from
/// any thread. Call `close()` when done; it waits for every socket to be closed and for their linger to expire.
/// Releasing an unclosed context is a bug that trips an assertion in debug builds (release builds close it).
public final class ZMQContext: @unchecked Sendable {
    // `@unchecked`: the handle is a raw pointer, but libzmq documents context calls as thread-safe,
    // and `isClosed` is guarded by an atomic.
    let handle: UnsafeMutableRawPointer
    private let closed = Atomic<Bool>(false)

    /// Creates a context whose sockets share `ioThreads` background I/O threads (one is enough below ~1 GB/s).
    public init(ioThreads: Int = 1) throws(ZMQError) {
        guard ioThreads >= 1 else {
            throw ZMQError(
                code: .invalidArgument, operation: "ZMQContext(ioThreads: \(ioThreads))",
                message: "a context needs at least one I/O thread")
        }
        let handle = try zmqCreate("zmq_ctx_new()") { zmq_ctx_new() }
        do {
            try zmqCheck("zmq_ctx_set(ZMQ_IO_THREADS, \(ioThreads))") {
                zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(clamping: ioThreads))
            }
        } catch {
            zmq_ctx_term(handle)
            throw error
        }
        self.handle = handle
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Makes every blocking call on this context's sockets, in any thread, fail with `.contextTerminated`,
    /// so their owners can close them; new sockets cannot be created. Safe to call from any thread, repeatedly.
    public func shutdown() {
        guard !isClosed else { return }
        // zmq_ctx_shutdown fails only with EFAULT (an invalid context), which `handle` cannot be.
        zmq_ctx_shutdown(handle)
    }

    /// Terminates the context: waits until all its sockets are closed, then until each socket's pending
    /// messages are sent or its linger period expires. Idempotent.
    ///
    /// Blocks forever if a socket is never closed: close sockets first, or call `shutdown()` to make threads
    /// blocked in them give up.
    public func close() {
        guard closed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        // EINTR is retried by zmqCall; the only other failure, EFAULT, is a precondition there.
        _ = try? zmqCall("zmq_ctx_term") { zmq_ctx_term(handle) }
    }

    deinit {
        assert(isClosed, "ZMQContext released without close(): call close() once its sockets are closed")
        if !isClosed {
            // Sockets hold their context, so every socket wrapper is gone (and its socket closed) by now.
            zmq_ctx_term(handle)
        }
    }
}
