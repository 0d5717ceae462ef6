/// A fast, seedable random number generator (xoshiro256**) whose whole state can be saved and restored,
/// so a run resumed from a checkpoint draws the same numbers it would have drawn.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The four state words; never all zero.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator from a seed, expanding it with SplitMix64 as the xoshiro authors recommend.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// Restores a generator from words saved with `stateWords`; returns nil for an impossible (all-zero or short) state.
    public init?(stateWords: [UInt64]) {
        guard stateWords.count == 4, stateWords.contains(where: { $0 != 0 }) else { return nil }
        state = (stateWords[0], stateWords[1], stateWords[2], stateWords[3])
    }

    /// The state as four words, for checkpoints.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / Float(1 << 24))
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * (1.0 / Double(UInt64(1) << 53))
    }

    /// A standard normal sample (Box–Muller).
    public mutating func nextGaussian() -> Float {
        let u1 = max(nextUnitDouble(), Double.leastNormalMagnitude)
        let u2 = nextUnitDouble()
        return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
    }

    /// A generator for a derived stream (e.g. one per environment), independent of this one's future draws.
    public func derived(stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: state.0 ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ rotateLeft(state.2, 13))
    }

    public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.stateWords == rhs.stateWords
    }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
#endif
