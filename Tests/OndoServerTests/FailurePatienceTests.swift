import Postgres
import Testing

@testable import OndoServer

/// ``FailurePatience``: how long `ondo reviews rescore` waits out a failing database, and which errors it waits out.
@Suite struct FailurePatienceTests {
    @Test func pausesDoubleUpToTheLongestAndEndWithThePatience() {
        var patience = FailurePatience(patienceSeconds: 20)
        let pauses = [0.0, 1, 2, 4, 8, 13, 18].map { patience.failed(at: 100 + $0) }
        #expect(pauses == [0.25, 0.5, 1, 2, 4, 5, 5])
        #expect(patience.failed(at: 120) == nil, "failures in a row for 20 s: no more tries")
    }

    @Test func aSuccessStartsTheNextRunOfFailuresAfresh() {
        var patience = FailurePatience(patienceSeconds: 20)
        _ = patience.failed(at: 0)
        _ = patience.failed(at: 15)
        patience.succeeded()
        #expect(patience.failed(at: 30) == 0.25)
        #expect(patience.failed(at: 49) != nil, "19 s since this run began, not 49")
    }

    @Test func onlyErrorsARetryMayMendAreWaitedOut() {
        func server(_ state: String) -> PostgresError { PostgresError(code: .server, message: "m", sqlState: state) }
        let mended: [any Error] = [
            PostgresError(code: .connection, message: "cannot connect"),
            PostgresError(code: .connectionClosed, message: "closed"),
            server("57P01"), server("57P03"), server("08006"), server("57014"), server("40P01"), server("40001"),
            server("55P03"),
        ]
        let notMended: [any Error] = [
            server("42501"), server("42P01"), server("23505"), PostgresError(code: .decoding, message: "bad value"),
            CancellationError(),
        ]
        for error in mended { #expect(FailurePatience.isWorthRetrying(error), "\(error)") }
        for error in notMended { #expect(!FailurePatience.isWorthRetrying(error), "\(error)") }
    }
}
