extension Duration {
    /// This duration in whole milliseconds, rounded up so a wait never ends before it was asked to,
    /// clamped to 0 ... Int32.max (libzmq's option and poll timeouts are C ints).
    var wholeMillisecondsRoundedUp: Int32 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let (fraction, remainder) = attoseconds.quotientAndRemainder(dividingBy: attosecondsPerMillisecond)
        let milliseconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !milliseconds.overflow else { return .max }
        let total = milliseconds.partialValue + fraction + (remainder > 0 ? 1 : 0)
        return Int32(clamping: total)
    }
}
