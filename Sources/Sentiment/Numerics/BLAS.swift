import CBLAS

/// Row-major single-precision matrix products through OpenBLAS, on raw buffers.
enum BLAS {
    /// `C[m×n] = alpha · op(A) · op(B) + beta · C`, all row-major; `op` transposes when asked.
    @inline(__always)
    static func gemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            // An empty inner dimension contributes nothing; only the beta scaling remains.
            for row in 0..<m {
                let line = c + row * ldc
                for column in 0..<n { line[column] = beta == 0 ? 0 : beta * line[column] }
            }
            return
        }
        // Every product waits for the kernel selection: switching kernels while another thread is inside
        // cblas_sgemm crashes it (see BLASRuntime). After the first call this is one atomic load.
        BLASRuntime.prepare()
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// How many threads OpenBLAS itself may use for one matrix product.
public enum BLASThreads {
    /// Sets OpenBLAS's own thread count; 1 when the caller parallelises over the batch itself.
    public static func set(_ count: Int) {
        BLASRuntime.prepare()
        openblas_set_num_threads(Int32(max(1, count)))
    }
}
