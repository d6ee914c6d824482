import ArgumentParser

/// How `ondo sentiment predict` prints its scores on stdout. The other sentiment commands print a table or
/// JSON only (`DetailFormat`).
enum PredictionFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case tsv
}
