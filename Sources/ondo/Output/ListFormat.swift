import ArgumentParser

/// How a listing prints on stdout.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv
}

/// How a single record prints on stdout.
enum DetailFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}
