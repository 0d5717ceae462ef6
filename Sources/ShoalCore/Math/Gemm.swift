import COpenBLAS

/// Which implementation performs matrix products.
public enum GemmBackend: String, Sendable, CaseIterable, Codable {
    /// OpenBLAS through its CBLAS interface, pinned to one thread.
    case blas
    /// Loops over contiguous rows that the compiler vectorises.
    case swift

    /// The backend that measured faster at Shoal's shapes on the reference machine (see docs/benchmarks.md).
    public static let preferred: GemmBackend = .blas
}

/// Row-major single-precision matrix products, C = op(A)·op(B) (+ C when accumulating).
///
/// `m`×`k` is the shape of op(A), `k`×`n` of op(B), `m`×`n` of C. Leading dimensions are those of the stored
/// (untransposed) matrices, which are always dense here, so they are implied by the shapes.
public enum Gemm {
    /// Computes C = op(A)·op(B), or C += op(A)·op(B) when `accumulate` is true.
    @inlinable
    public static func multiply(
        _ a: UnsafePointer<Float>, transposeA: Bool = false,
        _ b: UnsafePointer<Float>, transposeB: Bool = false,
        into c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, accumulate: Bool = false, backend: GemmBackend = .preferred
    ) {
        switch backend {
        case .blas:
            BlasGemm.multiply(a, transposeA, b, transposeB, c, m, n, k, accumulate)
        case .swift:
            SwiftGemm.multiply(a, transposeA, b, transposeB, c, m, n, k, accumulate)
        }
    }
}

@usableFromInline
enum BlasGemm {
    /// OpenBLAS would otherwise start one thread per core in every process; Shoal parallelises with processes.
    @usableFromInline
    nonisolated(unsafe) static var pinned = false

    @usableFromInline
    static func multiply(
        _ a: UnsafePointer<Float>, _ transposeA: Bool, _ b: UnsafePointer<Float>, _ transposeB: Bool,
        _ c: UnsafeMutablePointer<Float>, _ m: Int, _ n: Int, _ k: Int, _ accumulate: Bool
    ) {
        if !pinned {
            shoal_openblas_set_threads(1)
            pinned = true
        }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), 1, a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n),
            accumulate ? 1 : 0, c, Int32(n))
    }
}

@usableFromInline
enum SwiftGemm {
    @usableFromInline
    static func multiply(
        _ a: UnsafePointer<Float>, _ transposeA: Bool, _ b: UnsafePointer<Float>, _ transposeB: Bool,
        _ c: UnsafeMutablePointer<Float>, _ m: Int, _ n: Int, _ k: Int, _ accumulate: Bool
    ) {
        if !accumulate { c.update(repeating: 0, count: m * n) }
        switch (transposeA, transposeB) {
        case (false, false):
            // C[i,:] += A[i,p] * B[p,:]: the inner loop runs along contiguous rows of B and C.
            for i in 0..<m {
                let row = c + i * n
                for p in 0..<k { axpy(a[i * k + p], b + p * n, row, n) }
            }
        case (true, false):
            // A is stored [k, m]: C[i,:] += A[p,i] * B[p,:].
            for p in 0..<k {
                let bRow = b + p * n
                for i in 0..<m { axpy(a[p * m + i], bRow, c + i * n, n) }
            }
        case (false, true):
            // B is stored [n, k]: C[i,j] += dot(A[i,:], B[j,:]).
            for i in 0..<m {
                for j in 0..<n { c[i * n + j] += dot(a + i * k, b + j * k, k) }
            }
        case (true, true):
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Float = 0
                    for p in 0..<k { sum += a[p * m + i] * b[j * k + p] }
                    c[i * n + j] += sum
                }
            }
        }
    }

    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        var j = 0
        let a8 = SIMD8<Float>(repeating: alpha)
        while j + 8 <= count {
            let xv = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
            let yv = UnsafeRawPointer(y + j).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + j).storeBytes(of: yv + a8 * xv, as: SIMD8<Float>.self)
            j += 8
        }
        while j < count {
            y[j] += alpha * x[j]
            j += 1
        }
    }

    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var j = 0
        while j + 8 <= count {
            let xv = UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self)
            let yv = UnsafeRawPointer(y + j).loadUnaligned(as: SIMD8<Float>.self)
            acc += xv * yv
            j += 8
        }
        var sum = acc.sum()
        while j < count {
            sum += x[j] * y[j]
            j += 1
        }
        return sum
    }
}
