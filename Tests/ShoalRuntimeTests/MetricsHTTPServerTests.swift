import Foundation
import Glibc
@testable import ShoalRuntime
import XCTest

/// The Prometheus endpoint's HTTP side against a raw TCP client: what it answers, and that bad requests get a clear
/// status and leave it serving.
final class MetricsHTTPServerTests: XCTestCase {
    private var server: MetricsHTTPServer!

    override func setUpWithError() throws {
        server = try MetricsHTTPServer(address: MetricsAddress(host: "127.0.0.1", port: 0)) {
            Array("shoal_up 1\n".utf8)
        }
    }

    override func tearDown() {
        server.stop()
    }

    func testAScrapeGetsTheExpositionWithPrometheusContentType() throws {
        XCTAssertNotEqual(server.address.port, 0, "port 0 binds a free port and reports it")
        let response = try exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: text/plain\r\n\r\n")
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 200 OK\r\n"), response)
        XCTAssertTrue(response.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), response)
        XCTAssertTrue(response.contains("Content-Length: 11\r\n"), response)
        XCTAssertTrue(response.hasSuffix("\r\n\r\nshoal_up 1\n"), response)
        XCTAssertTrue(try exchange("GET /metrics?x=1 HTTP/1.0\r\n\r\n").hasSuffix("shoal_up 1\n"), "query ignored")
    }

    func testHeadOmitsTheBodyAndOtherPathsAndMethodsAreRefused() throws {
        let head = try exchange("HEAD /metrics HTTP/1.1\r\n\r\n")
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 200 OK") && head.hasSuffix("\r\n\r\n"), head)
        XCTAssertTrue(try exchange("GET / HTTP/1.1\r\n\r\n").contains("GET /metrics"))
        XCTAssertTrue(try exchange("GET /nothing HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 404 "))
        let post = try exchange("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        XCTAssertTrue(post.hasPrefix("HTTP/1.1 405 ") && post.contains("Allow: GET, HEAD\r\n"), post)
    }

    /// Garbage, an oversized head and a client that hangs up early each end their own connection only.
    func testBadRequestsAreAnsweredOrCutOffAndTheServerGoesOn() throws {
        XCTAssertTrue(try exchange("\u{16}\u{3}\u{1}garbage\r\n\r\n").hasPrefix("HTTP/1.1 400 "))
        XCTAssertTrue(try exchange("GET metrics\r\n\r\n").hasPrefix("HTTP/1.1 400 "))
        XCTAssertEqual(try exchange("GET /metrics HTTP/1.1\r\nX: " + String(repeating: "a", count: 20_000)), "",
                       "a head past 8 KiB is cut off unanswered")
        XCTAssertEqual(try exchange("GET /met", hangUp: true), "")
        XCTAssertTrue(try exchange("GET /metrics HTTP/1.1\r\n\r\n").hasSuffix("shoal_up 1\n"), "still serving")
    }

    /// A client trickling its request a byte at a time (each within the receive timeout) is cut off after two
    /// seconds in all, unanswered, and the next scrape is answered.
    func testATricklingClientIsCutOffAfterTwoSeconds() throws {
        let fd = try connect()
        defer { close(fd) }
        let started = ContinuousClock.now
        var cutOff = false
        for byte in Array("GET /metrics HTTP/1.1\r\n".utf8) {
            if [byte].withUnsafeBytes({ send(fd, $0.baseAddress, 1, Int32(MSG_NOSIGNAL)) }) < 0 {
                cutOff = true
                break
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        XCTAssertTrue(cutOff || receiveAll(fd).isEmpty, "no answer to a request never finished")
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5),
                          "the whole request, not each byte, has two seconds")
        XCTAssertTrue(try exchange("GET /metrics HTTP/1.1\r\n\r\n").hasSuffix("shoal_up 1\n"))
    }

    func testAddressesParseAndNameWhatIsWrong() throws {
        XCTAssertEqual(try MetricsAddress(parsing: "0.0.0.0:9100"), MetricsAddress(host: "0.0.0.0", port: 9100))
        XCTAssertEqual(try MetricsAddress(parsing: "[::1]:9100"), MetricsAddress(host: "::1", port: 9100))
        XCTAssertEqual(try MetricsAddress(parsing: ":9100").host, "")
        XCTAssertEqual(try MetricsAddress(parsing: "[::1]:9100").description, "[::1]:9100")
        XCTAssertEqual(MetricsAddress(host: "0.0.0.0", port: 9100).url, "http://localhost:9100/metrics")
        XCTAssertEqual(try MetricsAddress(parsing: "h:9100").advanced(by: 3).port, 9103)
        for bad in ["9100", "host:", "host:99999", "host:port"] {
            XCTAssertThrowsError(try MetricsAddress(parsing: bad)) { error in
                XCTAssertTrue("\(error)".contains("prometheus endpoint '\(bad)'"), "\(error)")
            }
        }
        XCTAssertThrowsError(try MetricsAddress(host: "h", port: 65534).advanced(by: 2))
        XCTAssertThrowsError(try MetricsHTTPServer(address: server.address) { [] }) { error in
            XCTAssertTrue("\(error)".contains("bind"), "a port in use is named: \(error)")
        }
    }

    /// Sends `request` on a new connection (then half-closes it, or hangs up at once with `hangUp`) and returns
    /// everything the server wrote before closing.
    private func exchange(_ request: String, hangUp: Bool = false) throws -> String {
        let fd = try connect()
        defer { close(fd) }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if hangUp { return "" }
        shutdown(fd, Int32(SHUT_WR))
        return String(decoding: receiveAll(fd), as: UTF8.self)
    }

    private func connect() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = server.address.port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        return fd
    }

    /// What the server writes until it closes the connection.
    private func receiveAll(_ fd: Int32) -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return received }
            received += chunk[..<count]
        }
    }
}
