import ArgumentParser
import ShoalRuntime

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a CurveZMQ key pair: DIR/NAME.key (secret, mode 0600) and DIR/NAME.pub (public).",
        discussion: """
            Each file holds one 40-character Z85 key on its own line, after '#' comment lines. Give the learner its \
            .key and the actors' .pub files (--curve-allow); give each actor its own .key and the learner's .pub \
            (--curve-server-key). Existing files are never overwritten.
            """
    )

    @Argument(help: "Name of the key pair, e.g. learner or actor-3.")
    var name: String

    @Option(help: "Directory to write the key files into.")
    var dir: String = "."

    func run() throws {
        let keys = try asUsageError { () throws(ShoalRuntimeError) in
            try CurveKeyFiles.generate(name: name, directory: dir)
        }
        print("wrote \(dir)/\(name).key (secret) and \(dir)/\(name).pub (public key \(keys.publicKey))")
    }
}
