import Testing

@testable import Postgres

/// The `connect_timeout` libpq is given. A timeout of 0 was raised to libpq's minimum of 2 s, while in libpq (and to
/// a user who writes it) 0 means no limit: it is now passed on as no timeout at all.
@Suite struct ConnectTimeoutParameterTests {
    private func connectTimeout(_ seconds: Int?) throws -> [String] {
        let configuration = PostgresConfiguration(
            connectionString: "host=/nowhere dbname=ondo user=nobody", connectTimeout: seconds)
        return try configuration.connectParameters().filter { $0.0 == "connect_timeout" }.map(\.1)
    }

    @Test func zeroOrNoneWaitsIndefinitelyOneIsLibpqsMinimumOfTwo() throws {
        #expect(try connectTimeout(0) == [])
        #expect(try connectTimeout(nil) == [])
        #expect(try connectTimeout(1) == ["2"])
        #expect(try connectTimeout(2) == ["2"])
        #expect(try connectTimeout(10) == ["10"])
    }
}
