import CBLAS
import Foundation

/// Makes sure OpenBLAS runs kernels that fit the CPU.
///
/// OpenBLAS picks its kernels from the CPU model when it is loaded. A CPU newer than the OpenBLAS
/// release (Debian 12 ships 0.3.21, which does not know Emerald/Sapphire Rapids) falls back to the
/// generic SSE3 "Prescott" kernels: measured here at about 30 GFLOP/s against 150 with the AVX-512
/// ("SkylakeX") kernels on the same core. When OpenBLAS reports that fallback and the CPU's flags
/// show AVX-512 (or AVX2 + FMA), the matching kernel family is selected instead. An explicit
/// `OPENBLAS_CORETYPE` in the environment is always respected.
///
/// It also sets OpenBLAS to one thread: the engine's matrices are small and it spreads work over
/// the cores itself (batches in prediction, mini-batch shards in training); OpenBLAS's own threads
/// would only compete with those (see ``BLASThreads``).
public enum BLASRuntime {
    /// OpenBLAS's kernel family after ``prepare()``, e.g. "SkylakeX".
    public static var coreName: String {
        _ = prepared
        return openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// Runs the kernel check once per process (later calls do nothing; a concurrent first call waits for it).
    /// Every matrix product calls it first: selecting kernels swaps OpenBLAS's kernel table, and a thread inside
    /// `cblas_sgemm` meanwhile crashes (a C loop of 64×64 products on one thread while another switched kernels
    /// segfaulted in 1 of 3 runs; a test process, whose layer tests call products directly while another test
    /// loads a model, crashed so once).
    public static func prepare() { _ = prepared }

    private static let prepared: Bool = {
        openblas_set_num_threads(1)
        return selectKernels()
    }()

    private static func selectKernels() -> Bool {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
            let current = openblas_get_corename().map({ String(cString: $0) }),
            current.lowercased() == "prescott"
        else { return false }
        let flags = cpuFlags()
        let target: String
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) {
            target = "SkylakeX"
        } else if ["avx2", "fma"].allSatisfy(flags.contains) {
            target = "Haswell"
        } else {
            return false
        }
        return ondo_openblas_select_core(target) != 0
    }

    /// Fails when this build needs CPU features the machine lacks (release builds on x86-64 are
    /// compiled for AVX2 and FMA unless built with `ONDO_PORTABLE_BUILD=1`).
    static func checkCPU() throws(SentimentModelError) {
        #if ONDO_REQUIRES_AVX2
            let flags = cpuFlags()
            guard flags.isEmpty || (flags.contains("avx2") && flags.contains("fma")) else {
                throw .unsupportedCPU(
                    "this build of Ondo needs a CPU with AVX2 and FMA; rebuild it with ONDO_PORTABLE_BUILD=1")
            }
        #endif
    }

    /// The CPU feature flags from /proc/cpuinfo (empty where there is none).
    static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let colon = line.firstIndex(of: ":")
        else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
