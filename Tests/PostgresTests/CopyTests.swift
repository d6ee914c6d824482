import Foundation
import Postgres
import TestSupport
import Testing

/// Bulk loads with COPY FROM STDIN.
@Suite(.serialized) struct CopyTests {
    private func database() async throws -> TestDatabase {
        try await TestPostgres.shared.database("Copy")
    }

    private static let phrases = [
        "배송이 빨라요", "품질이 별로예요\t탭", "사이즈가 작아요\n줄바꿈", "가격 대비 좋아요 👍", "\\역슬래시\r", "포장 😡",
    ]

    private static func body(_ index: Int) -> String {
        "\(index): " + phrases[index % phrases.count]
    }

    @Test func loadsOneHundredThousandKoreanRows() async throws {
        let rowCount = 100_000
        let bodies = (0..<rowCount).map(Self.body)
        let expectedBytes = bodies.reduce(0) { $0 + $1.utf8.count }
        let expectedCharacters = bodies.reduce(0) { $0 + $1.unicodeScalars.count }
        let started = Date()
        let (copied, count, bytes, characters, samples, nulls) = try await database().withConnection { conn in
            try conn.execute("CREATE TEMP TABLE bulk (id bigint, body text, rating int, tags text[])")
            let copied = try conn.copyFrom(table: "bulk", columns: ["id", "body", "rating", "tags"]) { writer in
                for index in 0..<rowCount {
                    let rating: Int? = index % 7 == 0 ? nil : index % 5 + 1
                    try writer.append([index, bodies[index], rating, ["태그", "a\tb"]])
                }
            }
            let row = try #require(
                try conn.query(
                    """
                    SELECT count(*) AS n, sum(octet_length(body)) AS bytes, sum(char_length(body)) AS chars,
                           count(*) FILTER (WHERE rating IS NULL) AS nulls FROM bulk
                    """
                ).first)
            let samples = try conn.query(
                "SELECT id, body, tags FROM bulk WHERE id IN (0, 1, 2, 3, 4, 5, 99999) ORDER BY id"
            )
            .map {
                (
                    try $0.decode(Int.self, "id"), try $0.decode(String.self, "body"),
                    try $0.decode([String].self, "tags")
                )
            }
            return (
                copied, try row.decode(Int.self, "n"), try row.decode(Int.self, "bytes"),
                try row.decode(Int.self, "chars"),
                samples, try row.decode(Int.self, "nulls")
            )
        }
        let seconds = Date().timeIntervalSince(started)
        print(
            "ondo tests: COPY loaded \(copied) rows (\(expectedBytes / 1024) KiB of Korean text) in "
                + "\(String(format: "%.2f", seconds)) s (\(Int(Double(copied) / seconds)) rows/s)")
        #expect(copied == rowCount)
        #expect(count == rowCount)
        #expect(bytes == expectedBytes)
        #expect(characters == expectedCharacters)
        #expect(nulls == (0..<rowCount).filter { $0 % 7 == 0 }.count)
        #expect(samples.count == 7)
        for (id, body, tags) in samples {
            #expect(body == Self.body(id))
            #expect(tags == ["태그", "a\tb"])
        }
    }

    @Test func serverErrorDuringCopySurfacesAndConnectionStaysUsable() async throws {
        let (error, afterwards, count) = try await database().withConnection { conn in
            try conn.execute("CREATE TEMP TABLE strict_numbers (n int NOT NULL)")
            var caught: PostgresError?
            do {
                try conn.copyFrom(table: "strict_numbers", columns: ["n"]) { writer in
                    for index in 0..<50_000 { try writer.append([index == 40_000 ? "not a number" : String(index)]) }
                }
            } catch let error as PostgresError { caught = error }
            return (
                caught, try conn.queryValue(Int.self, "SELECT 1"),
                try conn.queryValue(Int.self, "SELECT count(*) FROM strict_numbers")
            )
        }
        #expect(error?.code == .server)
        #expect(error?.sqlState == "22P02")
        #expect(afterwards == 1)
        #expect(count == 0)
    }

    @Test func throwingWriterAbortsTheCopy() async throws {
        struct Stop: Error {}
        let (threw, count) = try await database().withConnection { conn in
            try conn.execute("CREATE TEMP TABLE partial (n int)")
            var threw = false
            do {
                try conn.copyFrom(table: "partial", columns: ["n"]) { writer in
                    for index in 0..<10 { try writer.append([index]) }
                    throw Stop()
                }
            } catch is Stop { threw = true }
            return (threw, try conn.queryValue(Int.self, "SELECT count(*) FROM partial"))
        }
        #expect(threw)
        #expect(count == 0)
    }

    @Test func wrongNumberOfValuesIsRefused() async throws {
        let db = try await database()
        let error = await #expect(throws: PostgresError.self) {
            try await db.withConnection { conn in
                try conn.execute("CREATE TEMP TABLE pairs (a int, b int)")
                try conn.copyFrom(table: "pairs", columns: ["a", "b"], rows: [[1, 2], [3]])
            }
        }
        #expect(error?.code == .misuse)
    }
}
