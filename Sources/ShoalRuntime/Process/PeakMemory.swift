import Glibc

/// This process's peak resident memory, for heartbeats and benchmarks.
public enum PeakMemory {
    /// Peak resident set size in mebibytes (getrusage's ru_maxrss, which Linux reports in KiB).
    public static var mebibytes: Double {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1024
    }
}
