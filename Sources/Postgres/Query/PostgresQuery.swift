/// A SQL statement whose interpolated values become bind parameters.
///
/// ```swift
/// let query: PostgresQuery = "SELECT name FROM shop.customers WHERE id = \(id) AND email = \(email)"
/// // sent as: SELECT name FROM shop.customers WHERE id = $1 AND email = $2
/// ```
///
/// Values never become SQL text. Identifiers that cannot be bound (a table or channel name) are interpolated
/// with `\(identifier: name)` and escaped by libpq (`PQescapeIdentifier`) when the query runs. A query can
/// embed another query (`\(fragment)`), whose binds are renumbered, to build statements piece by piece.
public struct PostgresQuery: Sendable, Hashable, CustomStringConvertible {
    enum Fragment: Sendable, Hashable {
        case sql(String)
        case bind(Int)
        case identifier(String)
    }

    var fragments: [Fragment]
    /// Why a value could not be encoded during interpolation (which cannot throw); reported when the query runs.
    var encodingFailure: String?
    /// The bind values in `$1, $2, …` order.
    public private(set) var binds: [PostgresBind]

    /// A statement from trusted, static SQL text with explicit binds for its `$n` placeholders.
    ///
    /// Never build `sql` from user input; interpolate values into a `PostgresQuery` instead.
    public init(unsafeSQL sql: String, binds: [PostgresBind] = []) {
        self.fragments = [.sql(sql)]
        self.binds = binds
    }

    /// Appends another query (its binds are renumbered after this one's).
    public mutating func append(_ other: PostgresQuery) {
        let offset = binds.count
        encodingFailure = encodingFailure ?? other.encodingFailure
        binds.append(contentsOf: other.binds)
        for fragment in other.fragments {
            if case .bind(let index) = fragment {
                fragments.append(.bind(index + offset))
            } else {
                fragments.append(fragment)
            }
        }
    }

    /// Concatenates two queries.
    public static func + (lhs: PostgresQuery, rhs: PostgresQuery) -> PostgresQuery {
        var result = lhs
        result.append(rhs)
        return result
    }

    /// The SQL with `$n` placeholders, identifiers quoted (for display; execution escapes them through libpq).
    public var sql: String {
        render { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    }

    /// The SQL text and the number of redacted binds; never the bind values.
    public var description: String {
        binds.isEmpty ? sql : "\(sql) [\(binds.count) bind value(s) redacted]"
    }

    /// Renders the SQL, escaping identifiers with `escape`.
    func render(escapingIdentifiers escape: (String) throws -> String) rethrows -> String {
        var text = ""
        for fragment in fragments {
            switch fragment {
            case .sql(let sql): text += sql
            case .bind(let index): text += "$\(index + 1)"
            case .identifier(let name): text += try escape(name)
            }
        }
        return text
    }
}

extension PostgresQuery: ExpressibleByStringInterpolation {
    /// A query without binds.
    public init(stringLiteral value: String) {
        self.fragments = [.sql(value)]
        self.binds = []
    }

    /// A query built by interpolation.
    public init(stringInterpolation: StringInterpolation) {
        self.fragments = stringInterpolation.query.fragments
        self.binds = stringInterpolation.query.binds
        self.encodingFailure = stringInterpolation.query.encodingFailure
    }

    /// Collects literal SQL and turns each interpolated value into the next bind.
    public struct StringInterpolation: StringInterpolationProtocol {
        /// Literal text is SQL.
        public typealias StringLiteralType = String

        var query = PostgresQuery(unsafeSQL: "")

        /// Starts an empty query.
        public init(literalCapacity: Int, interpolationCount: Int) {
            query.fragments = []
        }

        /// Appends SQL text.
        public mutating func appendLiteral(_ literal: String) {
            query.fragments.append(.sql(literal))
        }

        /// Appends a bind parameter for a value.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            appendBind { try PostgresBind(Optional(value)) }
        }

        /// Appends a bind parameter for an optional value; `nil` is SQL NULL.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            appendBind { try PostgresBind(value) }
        }

        /// Appends an identifier (table, column, channel name), escaped by libpq when the query runs.
        public mutating func appendInterpolation(identifier: String) {
            query.fragments.append(.identifier(identifier))
        }

        /// Appends another query; its binds follow this query's.
        public mutating func appendInterpolation(_ fragment: PostgresQuery) {
            query.append(fragment)
        }

        private mutating func appendBind(_ make: () throws -> PostgresBind) {
            do {
                query.binds.append(try make())
                query.fragments.append(.bind(query.binds.count - 1))
            } catch let error as PostgresError {
                query.encodingFailure = query.encodingFailure ?? error.message
            } catch {
                query.encodingFailure = query.encodingFailure ?? "\(error)"
            }
        }
    }
}
