import Postgres

/// Runs `body` and returns the SQLSTATE it failed with, `nil` when it succeeded, or `"not a server error"`.
///
/// ```swift
/// #expect(sqlState { try conn.execute("SELECT * FROM crm.review_work") } == "42501")
/// ```
public func sqlState(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as PostgresError {
        return error.sqlState ?? "no SQLSTATE (\(error.code))"
    } catch {
        return "not a server error"
    }
}

/// Runs `body` and returns the `PostgresError` it threw, if any.
public func postgresError(_ body: () throws -> Void) -> PostgresError? {
    thrown(PostgresError.self, by: body)
}

/// Runs `body` and returns the error it threw if that is an `E`; nil when it threw nothing or another error.
public func thrown<E: Error>(_ type: E.Type, by body: () throws -> Void) -> E? {
    do {
        try body()
        return nil
    } catch {
        return error as? E
    }
}
