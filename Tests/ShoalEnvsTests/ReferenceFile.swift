import Foundation
import XCTest

/// One file of `Tests/Fixtures/reference/envs/`: episodes recorded with gymnasium (format in that folder's README).
struct ReferenceFile: Decodable {
    var env: String
    var maxEpisodeSteps: Int
    var stateLayout: String
    var episodes: [ReferenceEpisode]
}

/// One recorded episode: the state after reset, then per step the action and what gymnasium returned.
struct ReferenceEpisode: Decodable {
    var state: [Double]
    var initialObservation: [Double]
    var actions: [ReferenceAction]
    var observations: [[Double]]
    var rewards: [Double]
    var terminated: [Bool]
    var truncated: [Bool]
}

/// An action as recorded: a bare index for discrete environments, a list of values for continuous ones.
struct ReferenceAction: Decodable {
    var values: [Double]

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([Double].self) {
            values = list
        } else {
            values = [try container.decode(Double.self)]
        }
    }
}

extension ReferenceFile {
    /// Reads one reference file (snake_case keys).
    init(contentsOf url: URL) throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        self = try decoder.decode(ReferenceFile.self, from: Data(contentsOf: url))
    }
}
