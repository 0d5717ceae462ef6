import Foundation
import Glibc

/// The HTTP side of a Prometheus endpoint, kept small: one thread accepts one connection at a time and answers
/// `GET /metrics` with the exposition `body()` returns; `/` says where the metrics are, other paths get 404, other
/// methods 405 and a request that is not HTTP 400. Every answer closes its connection. A client is cut off when its
/// request takes more than two seconds or 8 KiB; nothing a client sends can stop the server.
public final class MetricsHTTPServer: Sendable {
    /// Where it listens, with the port actually bound (when port 0 asked for any).
    public let address: MetricsAddress
    private let listener: Int32
    private let finished = DispatchSemaphore(value: 0)

    /// Binds `address` and starts answering; `body` is called on the server's thread for each scrape.
    public init(address: MetricsAddress, body: @escaping @Sendable () -> [UInt8]) throws(ShoalRuntimeError) {
        let (listener, port) = try Self.listen(on: address)
        self.listener = listener
        self.address = MetricsAddress(host: address.host, port: port)
        let (finished, intro) = (finished, Array("Shoal metrics for Prometheus: GET /metrics\n".utf8))
        let thread = Thread {
            while let connection = Self.accept(listener) {
                Self.answer(connection, body: body, intro: intro)
                Glibc.close(connection)
            }
            finished.signal()
        }
        thread.name = "prometheus-http"
        thread.start()
    }

    /// Stops accepting, waits for the connection being answered, and releases the port. Call it once.
    public func stop() {
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        finished.wait()
        Glibc.close(listener)
    }

    /// Fails, naming the address, if it cannot be bound now (in use, or not this host's): what `shoal train` checks
    /// of its children's ports before starting them, rather than have a child fail on it again and again.
    public static func checkBindable(_ address: MetricsAddress) throws(ShoalRuntimeError) {
        let (listener, _) = try listen(on: address)
        Glibc.close(listener)
    }

    // MARK: - Sockets

    private static func listen(on address: MetricsAddress) throws(ShoalRuntimeError) -> (Int32, UInt16) {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(address.host.isEmpty ? nil : address.host, "\(address.port)", &hints, &found)
        guard status == 0, let info = found else {
            throw ShoalRuntimeError(.metricsEndpoint, subject: "\(address)",
                                    reason: "cannot resolve the host: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(info) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure(address, "socket") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, Glibc.listen(fd, 16) == 0 else {
            let error = failure(address, "bind")
            Glibc.close(fd)
            throw error
        }
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        // sin_port and sin6_port sit at the same offset, after the family.
        let port = withUnsafePointer(to: &bound) { pointer in
            pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        return (fd, port)
    }

    private static func failure(_ address: MetricsAddress, _ call: String) -> ShoalRuntimeError {
        ShoalRuntimeError(.metricsEndpoint, subject: "\(address)",
                          reason: "\(call): \(String(cString: strerror(errno)))")
    }

    /// The next connection, with two-second send and receive timeouts; nil once the listener is shut down.
    private static func accept(_ listener: Int32) -> Int32? {
        while true {
            let connection = Glibc.accept(listener, nil, nil)
            if connection >= 0 {
                _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
                var timeout = timeval(tv_sec: 2, tv_usec: 0)
                for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
                    setsockopt(connection, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
                }
                return connection
            }
            // The listener shut down (stop()) ends the server. Anything else — interrupted, a connection reset
            // before it was taken, out of descriptors or memory for a moment — is tried again shortly.
            if errno == EINVAL || errno == EBADF { return nil }
            if errno != EINTR && errno != ECONNABORTED { usleep(10_000) }
        }
    }

    // MARK: - HTTP

    static let maximumRequestBytes = 8192

    private static func answer(_ connection: Int32, body: () -> [UInt8], intro: [UInt8]) {
        guard let head = readHead(connection) else { return }
        let response: [UInt8]
        switch MetricsRequest(head: head) {
        case nil:
            response = reply("400 Bad Request", body: Array("not an HTTP request\n".utf8))
        case let request? where request.method != "GET" && request.method != "HEAD":
            response = reply("405 Method Not Allowed", body: [], extraHeaders: "Allow: GET, HEAD\r\n")
        case let request?:
            let content: [UInt8]
            let status: String
            switch request.path {
            case "/metrics": (status, content) = ("200 OK", body())
            case "/": (status, content) = ("200 OK", intro)
            default: (status, content) = ("404 Not Found", Array("no such page; metrics are at /metrics\n".utf8))
            }
            response = reply(status, body: content, sendBody: request.method == "GET",
                             contentType: request.path == "/metrics" ? exposition : "text/plain; charset=utf-8")
        }
        write(response, to: connection)
    }

    /// The request line and headers, up to the blank line; nil if the client closed, sent too much before it, or
    /// took more than two seconds in all (however it trickles its bytes).
    private static func readHead(_ connection: Int32) -> [UInt8]? {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        let deadline = ContinuousClock.now + .seconds(2)
        while received.count < maximumRequestBytes, ContinuousClock.now < deadline {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            received += chunk[..<count]
            if let end = received.firstRange(of: [13, 10, 13, 10]) { return Array(received[..<end.lowerBound]) }
        }
        return nil
    }

    static let exposition = "text/plain; version=0.0.4; charset=utf-8"

    private static func reply(_ status: String, body: [UInt8], sendBody: Bool = true,
                              contentType: String = "text/plain; charset=utf-8", extraHeaders: String = "") -> [UInt8] {
        let head = "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
            + extraHeaders + "Connection: close\r\n\r\n"
        return Array(head.utf8) + (sendBody ? body : [])
    }

    private static func write(_ bytes: [UInt8], to connection: Int32) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { return }
            sent += count
        }
    }
}

/// The parts of an HTTP request line a metrics endpoint looks at.
struct MetricsRequest: Equatable {
    var method: String
    /// The target without its query string.
    var path: String

    /// Reads the request line of `head`; nil when it is not `METHOD TARGET HTTP/x.y`.
    init?(head: [UInt8]) {
        let lineEnd = head.firstRange(of: [13, 10])?.lowerBound ?? head.endIndex
        guard let line = String(bytes: head[..<lineEnd], encoding: .utf8) else { return nil }
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/"), !parts[0].isEmpty, parts[1].hasPrefix("/") else {
            return nil
        }
        method = String(parts[0])
        path = String(parts[1].prefix { $0 != "?" })
    }
}
