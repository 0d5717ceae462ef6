import ShoalCore
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The few pieces of numpy's scalar arithmetic that gymnasium's classic-control code relies on, reproduced to the bit.
enum NumpyScalarMath {
    /// `x ** 2` on a numpy float64 scalar: libm's `pow(x, 2)`.
    @inline(__always)
    static func square(_ x: Double) -> Double { libmPow(x, 2) }

    /// `x ** 2` on a numpy float32 scalar: libm's `powf(x, 2)`.
    @inline(__always)
    static func square(_ x: Float) -> Float { libmPowf(x, 2) }

    /// `x % y` on numpy floats: the remainder takes the sign of the divisor (Python's rule, not C's fmod).
    @inline(__always)
    static func remainder(_ x: Double, _ y: Double) -> Double {
        let truncated = x.truncatingRemainder(dividingBy: y)
        if truncated == 0 { return y < 0 ? -0.0 : 0.0 }
        return (truncated < 0) != (y < 0) ? truncated + y : truncated
    }

    /// A uniform draw from [low, high), as numpy's `uniform(low, high)` computes it from a unit draw.
    @inline(__always)
    static func uniform(_ low: Double, _ high: Double, using generator: inout SeededGenerator) -> Double {
        low + (high - low) * generator.nextUnitDouble()
    }
}

// Why pointers looked up at run time: libm's pow and powf are not correctly rounded, so `x * x` differs from numpy's
// `x ** 2` in the last bit about once in a thousand draws, enough to break bit-exact rewards. A direct call such as
// `pow(x, 2)` is rewritten by the optimiser into `x * x`; a call through a pointer from dlsym is not.
private let libmPow = unsafeBitCast(
    libmSymbol("pow"), to: (@convention(c) (Double, Double) -> Double).self
)
private let libmPowf = unsafeBitCast(
    libmSymbol("powf"), to: (@convention(c) (Float, Float) -> Float).self
)

#if os(Linux)
private let libmName: String? = "libm.so.6"
#else
private let libmName: String? = nil
#endif

private func libmSymbol(_ name: String) -> UnsafeMutableRawPointer {
    guard let symbol = dlsym(dlopen(libmName, RTLD_NOW), name) else {
        fatalError("libm has no \(name): \(String(cString: dlerror()))")
    }
    return symbol
}
