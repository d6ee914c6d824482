import ArgumentParser

/// How a command prints its result on stdout.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case tsv
}
