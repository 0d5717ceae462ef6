import Foundation
import XCTest

/// The `shoal` executable built beside the test bundle, and helpers to run it as a real child process.
enum ShoalBinary {
    /// Path of the `shoal` executable in the build products folder.
    static var url: URL {
        let products = Bundle.main.bundleURL.deletingLastPathComponent()
        let candidate = products.appendingPathComponent("shoal")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        // xctest bundles run from <products>/<Package>PackageTests.xctest on Linux.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            let sibling = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("shoal")
            if FileManager.default.isExecutableFile(atPath: sibling.path) { return sibling }
        }
        return candidate
    }
}
