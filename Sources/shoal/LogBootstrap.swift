import Logging

/// Sends every log line to standard error (a supervisor redirects each child's to its log file).
/// Called once, first thing in a command's `run()`.
func bootstrapLogging() {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .info
        return handler
    }
}
