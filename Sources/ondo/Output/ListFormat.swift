import ArgumentParser

/// How a listing prints on stdout.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv
}

/// How a single record or report prints on stdout: a table or JSON.
enum DetailFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}
