import Foundation
import Postgres
import TestSupport
import Testing

/// Every bindable type goes to the server and back unchanged, directly and through a table.
@Suite struct TypeRoundTripTests {
    private func database() async throws -> TestDatabase {
        try await TestPostgres.shared.database("TypeRoundTrip")
    }

    private func roundTrip<Value: PostgresCodable & Equatable>(_ value: Value) async throws -> Value {
        try await database().withConnection { conn in try conn.queryValue(Value.self, "SELECT \(value) AS v") }
    }

    @Test func integers() async throws {
        for value in [Int.min, -1, 0, 1, Int.max] { #expect(try await roundTrip(value) == value) }
        for value in [Int64.min, Int64.max] { #expect(try await roundTrip(value) == value) }
        for value in [Int32.min, Int32.max] { #expect(try await roundTrip(value) == value) }
        for value in [Int16.min, Int16.max] { #expect(try await roundTrip(value) == value) }
    }

    @Test func floatingPoint() async throws {
        for value in [0.1, -2.5e-300, 1.7976931348623157e308, 123_456.789, Double.infinity, -Double.infinity] {
            #expect(try await roundTrip(value) == value)
        }
        #expect(try await roundTrip(Double.nan).isNaN)
        #expect(try await roundTrip(Float(3.14159)) == Float(3.14159))
    }

    @Test func decimalsKeepEveryDigit() async throws {
        let values = ["12345678901234567890.123456789", "-0.000001", "0", "99999999999999999999999999999999999999"]
        for text in values {
            let value = try #require(Decimal(string: text))
            #expect(try await roundTrip(value) == value)
        }
        let fromNumeric = try await database().withConnection { conn in
            try conn.queryValue(Decimal.self, "SELECT 1234.50::numeric(12,2)")
        }
        #expect(fromNumeric == Decimal(string: "1234.50"))
        #expect(try await roundTrip(Decimal.nan).isNaN)
    }

    @Test func textInEveryScript() async throws {
        let samples = [
            "", "plain", "한국어 리뷰: 배송이 너무 늦어요 😡", "emoji 👩‍👩‍👧‍👦🇰🇷", "tab\tnew\nline\r\\back\\slash",
            "'; DROP TABLE shop.reviews; --", "$1 $2 \\x00 \"quoted\"", "combining é vs é",
        ]
        for sample in samples { #expect(try await roundTrip(sample) == sample) }
    }

    @Test func oneMegabyteOfKoreanAndEmoji() async throws {
        let unit = "가나다라마바사 아자차카타파하 😀🎉 "
        let text = String(repeating: unit, count: 1_048_576 / unit.utf8.count + 1)
        #expect(text.utf8.count > 1_048_576)
        let (back, bytes, characters) = try await database().withConnection { conn in
            let row = try #require(
                try conn.query("SELECT \(text) AS t, octet_length(\(text)) AS b, char_length(\(text)) AS c").first)
            return (try row.decode(String.self, "t"), try row.decode(Int.self, "b"), try row.decode(Int.self, "c"))
        }
        #expect(back == text)
        #expect(bytes == text.utf8.count)
        #expect(characters == text.unicodeScalars.count)
    }

    @Test func booleansUUIDsAndBytes() async throws {
        #expect(try await roundTrip(true) == true)
        #expect(try await roundTrip(false) == false)
        let id = UUID()
        #expect(try await roundTrip(id) == id)
        let bytes = Data((0...255).map { UInt8($0) } + [0, 0, 255])
        #expect(try await roundTrip(bytes) == bytes)
        #expect(try await roundTrip(Data()) == Data())
    }

    @Test func datesAsTimestamptzToTheMicrosecond() async throws {
        let dates = [
            Date(timeIntervalSince1970: 1_700_000_000.123456), Date(timeIntervalSince1970: -1_234_567.5),
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 253_402_300_799),  // 9999-12-31 23:59:59
        ]
        for date in dates {
            let back = try await roundTrip(date)
            #expect(abs(back.timeIntervalSince1970 - date.timeIntervalSince1970) < 1e-6)
        }
        let (epoch, fromZone) = try await database().withConnection { conn in
            let epoch = try conn.queryValue(
                Double.self, "SELECT extract(epoch FROM \(Date(timeIntervalSince1970: 1_700_000_000.5)))::float8")
            let fromZone = try conn.queryValue(Date.self, "SELECT '2024-03-01 09:30:00+09'::timestamptz")
            return (epoch, fromZone)
        }
        #expect(abs(epoch - 1_700_000_000.5) < 1e-6)
        #expect(fromZone == Date(timeIntervalSince1970: 1_709_253_000))
    }

    @Test func jsonDocuments() async throws {
        struct Aspect: Codable, Equatable {
            var name: String
            var scores: [Double]
        }
        let aspect = Aspect(name: "배송", scores: [0.25, 0.75])
        let json = try PostgresJSON(encoding: aspect)
        let back = try await roundTrip(json)
        #expect(try back.decode(Aspect.self) == aspect)
        let field = try await database().withConnection { conn in
            try conn.queryValue(String.self, "SELECT \(json) ->> 'name'")
        }
        #expect(field == "배송")
    }

    @Test func textAndBigintArrays() async throws {
        let strings = ["a", "b,c", "quote\"d", "back\\slash", "", "NULL", "한국어 🙂", "{brace}", " spaced "]
        #expect(try await roundTrip(strings) == strings)
        #expect(try await roundTrip([String]()) == [])
        let numbers: [Int64] = [Int64.min, 0, 42, Int64.max]
        #expect(try await roundTrip(numbers) == numbers)
        let (length, fromServer) = try await database().withConnection { conn in
            (
                try conn.queryValue(Int.self, "SELECT cardinality(\(strings))"),
                try conn.queryValue([Int64].self, "SELECT ARRAY[3, 1, 2]::int8[]")
            )
        }
        #expect(length == strings.count)
        #expect(fromServer == [3, 1, 2])
    }

    /// `[UUID]` binds as `uuid[]` (no `text[]` and cast) and reads back, from a bind and from a `uuid[]` column; an
    /// element is compared as a uuid, so `= ANY` finds a row by its uuid.
    @Test func uuidArrays() async throws {
        let uuids = [UUID(), try #require(UUID(uuidString: "00000000-0000-0000-0000-000000000000")), UUID()]
        #expect(try await roundTrip(uuids) == uuids)
        #expect(try await roundTrip([UUID]()) == [])
        let (type, found, fromServer) = try await database().withConnection { conn in
            (
                try conn.queryValue(String.self, "SELECT pg_typeof(\(uuids))::text"),
                try conn.queryValue(Bool.self, "SELECT \(uuids[1]) = ANY(\(uuids))"),
                try conn.queryValue(
                    [UUID].self,
                    """
                    SELECT ARRAY['6ba7b810-9dad-11d1-80b4-00c04fd430c8', '6BA7B811-9DAD-11D1-80B4-00C04FD430C8']::uuid[]
                    """)
            )
        }
        #expect(type == "uuid[]")
        #expect(found)
        #expect(
            fromServer.map { $0.uuidString.lowercased() } == [
                "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "6ba7b811-9dad-11d1-80b4-00c04fd430c8",
            ])
    }

    @Test func nullsForEveryTypeThroughATable() async throws {
        let row = try await database().withConnection { conn -> [Bool] in
            try conn.execute(
                """
                CREATE TEMP TABLE everything (
                    i bigint, n numeric, t text, b boolean, d timestamptz, u uuid, j jsonb, ta text[], ia bigint[],
                    f float8, by bytea)
                """)
            let none:
                (Int?, Decimal?, String?, Bool?, Date?, UUID?, PostgresJSON?, [String]?, [Int64]?, Double?, Data?) =
                    (nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)
            try conn.execute(
                """
                INSERT INTO everything VALUES (\(none.0), \(none.1), \(none.2), \(none.3), \(none.4), \(none.5),
                    \(none.6), \(none.7), \(none.8), \(none.9), \(none.10))
                """)
            let row = try #require(try conn.query("SELECT * FROM everything").first)
            return [
                try row.decode(Int?.self, "i") == nil, try row.decode(Decimal?.self, "n") == nil,
                try row.decode(String?.self, "t") == nil, try row.decode(Bool?.self, "b") == nil,
                try row.decode(Date?.self, "d") == nil, try row.decode(UUID?.self, "u") == nil,
                try row.decode(PostgresJSON?.self, "j") == nil, try row.decode([String]?.self, "ta") == nil,
                try row.decode([Int64]?.self, "ia") == nil, try row.decode(Double?.self, "f") == nil,
                try row.decode(Data?.self, "by") == nil,
            ]
        }
        #expect(row.count == 11)
        #expect(row.allSatisfy { $0 })
    }

    @Test func valuesThroughATableKeepTheirTypes() async throws {
        let id = UUID()
        let when = Date(timeIntervalSince1970: 1_650_000_000.25)
        let back = try await database().withConnection { conn in
            try conn.execute("CREATE TEMP TABLE typed (i int4, n numeric(10,2), t text, d timestamptz, u uuid)")
            try conn.execute(
                "INSERT INTO typed VALUES (\(7), \(Decimal(string: "12.30")), \("리뷰"), \(when), \(id))")
            let row = try #require(try conn.query("SELECT * FROM typed").first)
            return (
                try row.decode(Int32.self, "i"), try row.decode(Decimal.self, "n"), try row.decode(String.self, "t"),
                try row.decode(Date.self, "d"), try row.decode(UUID.self, at: 4)
            )
        }
        #expect(back.0 == 7)
        #expect(back.1 == Decimal(string: "12.3"))
        #expect(back.2 == "리뷰")
        #expect(abs(back.3.timeIntervalSince(when)) < 1e-6)
        #expect(back.4 == id)
    }

    @Test func rawRepresentableEnums() async throws {
        #expect(try await roundTrip(WorkStatus.completed) == .completed)
        let db = try await database()
        let error = await #expect(throws: PostgresError.self) {
            try await db.withConnection { conn in try conn.queryValue(WorkStatus.self, "SELECT 'bogus'::text") }
        }
        #expect(error?.code == .decoding)
    }
}

private enum WorkStatus: String, PostgresCodable {
    case pending, completed
}
