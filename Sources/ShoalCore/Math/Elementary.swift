#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Single-precision elementary functions in one place, so the rest of ShoalCore needs no platform import.

@inline(__always) func expFloat(_ x: Float) -> Float { expf(x) }
@inline(__always) func logFloat(_ x: Float) -> Float { logf(x) }
@inline(__always) func tanhFloat(_ x: Float) -> Float { tanhf(x) }
