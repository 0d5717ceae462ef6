/// Where a Prometheus endpoint listens: `HOST:PORT` as given to `--prometheus` (`0.0.0.0:9100`, `[::1]:9100`,
/// `localhost:9100`; an empty host means every interface, port 0 any free port).
public struct MetricsAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        (self.host, self.port) = (host, port)
    }

    /// Reads `HOST:PORT`; the error names what is wrong with it.
    public init(parsing text: String) throws(ShoalRuntimeError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw ShoalRuntimeError(.metricsEndpoint, subject: text, reason: "not HOST:PORT, e.g. 0.0.0.0:9100")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = UInt16(text[text.index(after: colon)...]) else {
            throw ShoalRuntimeError(.metricsEndpoint, subject: text,
                                    reason: "no port from 0 to 65535 after the last ':'")
        }
        self.init(host: host, port: port)
    }

    /// The address `offset` ports further on (the children of `shoal train` take the ports after the supervisor's);
    /// port 0 stays 0.
    public func advanced(by offset: Int) throws(ShoalRuntimeError) -> MetricsAddress {
        guard port != 0 else { return self }
        guard let next = UInt16(exactly: Int(port) + offset) else {
            throw ShoalRuntimeError(.metricsEndpoint, subject: description,
                                    reason: "port \(port) + \(offset) is past 65535; choose a lower port")
        }
        return MetricsAddress(host: host, port: next)
    }

    /// `HOST:PORT`, the host bracketed when it is an IPv6 address.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The URL a scraper on this host reads.
    public var url: String {
        let reachable = host.isEmpty || host == "0.0.0.0" || host == "::" ? "localhost" : host
        return "http://\(MetricsAddress(host: reachable, port: port))/metrics"
    }
}
