import ArgumentParser
import Foundation
import ShoalRuntime

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a run's trained policy as a safetensors file (tensors by name, the architecture in its metadata)."
    )

    @Argument(help: "A run directory (its newest complete checkpoint) or a checkpoint file.")
    var source: String

    @Option(help: "The safetensors file to write.")
    var out: String

    func run() throws {
        do {
            let summary = try PolicyExport.export(source, to: out)
            print("exported \(summary.checkpoint) (policy version \(summary.version)): \(summary.tensors) tensors, "
                  + "\(summary.bytes) bytes to \(out)")
        } catch {
            FileHandle.standardError.write(Data("shoal export: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
