import Foundation
import Postgres
import TestSupport
import Testing

/// A value that cannot become the requested type fails with an error naming the column and the type.
@Suite struct DecodingErrorTests {
    private func decodeFailure<Value: PostgresDecodable>(
        _ type: Value.Type, _ sql: PostgresQuery, column: String
    ) async throws -> PostgresError? {
        let db = try await TestPostgres.shared.database("DecodingErrors")
        return await #expect(throws: PostgresError.self) {
            try await db.withConnection { conn in
                let row = try #require(try conn.query(sql).first)
                _ = try row.decode(type, column)
            }
        }
    }

    @Test func wrongTypeNamesColumnAndType() async throws {
        let error = try await decodeFailure(Int64.self, "SELECT 'abc'::text AS customer_name", column: "customer_name")
        #expect(error?.code == .decoding)
        #expect(error?.column == "customer_name")
        #expect(error?.message.contains("customer_name") == true)
        #expect(error?.message.contains("Int64") == true)
        #expect(error?.message.contains("text") == true)
    }

    @Test func nullIntoNonOptionalNamesColumn() async throws {
        let error = try await decodeFailure(String.self, "SELECT NULL::text AS email", column: "email")
        #expect(error?.message.contains("email") == true)
        #expect(error?.message.contains("NULL") == true)
    }

    @Test func overflowNamesColumn() async throws {
        let error = try await decodeFailure(Int32.self, "SELECT 5000000000::int8 AS total", column: "total")
        #expect(error?.message.contains("total") == true)
        #expect(error?.message.contains("Int32") == true)
    }

    @Test func numericWithMoreDigitsThanDecimalHoldsIsRefusedNotRounded() async throws {
        let digits = "12345678901234567890123456789012345678901234567890"
        let error = try await decodeFailure(
            Decimal.self, PostgresQuery(unsafeSQL: "SELECT \(digits)::numeric AS total"), column: "total")
        #expect(error?.code == .decoding)
        #expect(error?.message.contains("total") == true)
        // 38 significant digits still decode exactly, leading and trailing zeros aside.
        let db = try await TestPostgres.shared.database("DecodingErrors")
        let widest = "-0.00123456789012345678901234567890123456780000"
        let value = try await db.withConnection { conn in
            try conn.queryValue(Decimal.self, PostgresQuery(unsafeSQL: "SELECT \(widest)::numeric"))
        }
        #expect(value == Decimal(string: widest))
    }

    @Test func unknownColumnListsTheColumns() async throws {
        let error = try await decodeFailure(Int.self, "SELECT 1 AS id, 2 AS rating", column: "ratng")
        #expect(error?.message.contains("ratng") == true)
        #expect(error?.message.contains("id, rating") == true)
    }

    @Test func decodingErrorNeverShowsTheValue() async throws {
        let error = try await decodeFailure(Int.self, "SELECT 'secret-coupon-XYZ'::text AS code", column: "code")
        #expect(error != nil)
        #expect(error?.description.contains("secret-coupon-XYZ") == false)
        #expect(error?.debugDescription.contains("secret-coupon-XYZ") == false)
    }
}
