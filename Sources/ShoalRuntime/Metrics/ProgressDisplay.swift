#if canImport(Glibc)
import Glibc
#endif

/// Shows training progress: one line rewritten in place on a terminal, plain log lines otherwise.
public struct ProgressDisplay {
    private let interactive: Bool

    /// Writes to standard error, which is rewritten in place only when it is a terminal.
    public init() {
        interactive = isatty(STDERR_FILENO) == 1
    }

    public func show(_ progress: TrainingProgress) {
        let line = Self.format(progress)
        if interactive {
            writeStandardError("\r\u{1B}[2K" + line)
        } else {
            writeStandardError(line + "\n")
        }
    }

    /// Ends the in-place line so that later output starts on a fresh line.
    public func finish() {
        if interactive { writeStandardError("\n") }
    }

    /// One line of progress: time, steps, speed, return, lag and the last update's losses.
    public static func format(_ progress: TrainingProgress) -> String {
        var fields = [
            "t=\(fixed(progress.elapsedSeconds, 1))s",
            "steps=\(progress.envSteps)",
            "sps=\(Int(progress.stepsPerSecond.rounded()))",
            "return=\(progress.meanReturn.map { fixed(Double($0), 1) } ?? "-")",
            "episodes=\(progress.episodes)",
            "updates=\(progress.updates)",
            "lag=\(fixed(progress.policyLag, 1))",
        ]
        if let queueDepth = progress.queueDepth { fields.append("queue=\(queueDepth)") }
        if let restarts = progress.restarts { fields.append("restarts=\(restarts)") }
        if let update = progress.lastUpdate {
            fields.append("entropy=\(fixed(Double(update.entropy), 3))")
            fields.append("value_loss=\(fixed(Double(update.baselineLoss), 3))")
        }
        return fields.joined(separator: " ")
    }
}

/// Writes text to standard error unbuffered (progress must show even when stdout is redirected).
func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}

/// `value` with `digits` digits after the point.
func fixed(_ value: Double, _ digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled) - whole * Int(scale)
    let sign = value < 0 && scaled > 0 ? "-" : ""
    guard digits > 0 else { return "\(sign)\(whole)" }
    let fractionText = String(fraction)
    return "\(sign)\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
}
