import Foundation

/// The `shoal` executable that `swift build` put beside the test binary (the IntegrationTests target depends on it).
enum ShoalBinary {
    static var url: URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testBinary.deletingLastPathComponent().appendingPathComponent("shoal")
    }
}
