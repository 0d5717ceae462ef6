import Foundation

/// The `shoal` executable the integration tests run: the one built beside the test bundle, or `$SHOAL_TEST_BINARY`
/// (e.g. a release build, to take the multi-host tests' figures with optimised processes).
enum ShoalBinary {
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["SHOAL_TEST_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("shoal")
    }
}
