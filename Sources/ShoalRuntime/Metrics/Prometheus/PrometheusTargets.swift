import Foundation
import ShoalCore

/// `prometheus-targets.json` in a run directory: every Prometheus endpoint of the host's processes, in the format of
/// Prometheus's file-based service discovery, so that one scrape config (`file_sd_configs: [{files:
/// [runs/*/prometheus-targets.json]}]`) finds every run's processes as they start.
enum PrometheusTargets {
    static let fileName = "prometheus-targets.json"

    /// The file's content for these addresses (`HOST:PORT`): an address on every interface is given as this host's
    /// name, so that a scraper elsewhere can reach it.
    static func json(_ addresses: [String], hostName: String = ProcessInfo.processInfo.hostName) -> [UInt8] {
        let targets = addresses.map { text -> String in
            guard let address = try? MetricsAddress(parsing: text) else { return text }
            let everywhere = address.host.isEmpty || address.host == "0.0.0.0" || address.host == "::"
            return everywhere ? MetricsAddress(host: hostName, port: address.port).description : address.description
        }
        let group: [[String: [String]]] = [["targets": targets]]
        return Array((try? JSONSerialization.data(withJSONObject: group, options: [.sortedKeys])) ?? Data("[]".utf8))
    }

    /// Every metrics endpoint `status` lists, the supervisor's first; one asked for any free port (`HOST:0`) only
    /// once its process has reported the port it got.
    static func addresses(in status: RunStatus) -> [String] {
        ([status.prometheus] + status.processes.map(\.prometheus)).compactMap { $0 }
            .filter { (try? MetricsAddress(parsing: $0))?.port != 0 }
    }

    /// Writes the file for `addresses` into `directory`, atomically; nothing when there are none.
    static func write(_ addresses: [String], in directory: String) throws {
        guard !addresses.isEmpty else { return }
        try AtomicFile.replace("\(directory)/\(fileName)", with: json(addresses))
    }
}
