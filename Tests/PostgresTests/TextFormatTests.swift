import Foundation
import Postgres
import Testing

/// The text encodings that need no server: connection-string redaction and bind texts.
@Suite struct TextFormatTests {
    @Test func connectionStringDescriptionHidesThePassword() throws {
        let uri = try PostgresConnectionString("postgresql://shop_user:s3cr3t@db.example.com:6543/ondo?sslmode=require")
        #expect(uri.description == "postgresql://shop_user@db.example.com:6543/ondo")
        #expect(uri["password"] == "s3cr3t")
        let keywords = try PostgresConnectionString("host=/tmp/sock dbname='my db' user=o\\'brien password=x")
        #expect(keywords["dbname"] == "my db")
        #expect(keywords["user"] == "o'brien")
        #expect(!keywords.description.contains("password"))
        let rebuilt = try PostgresConnectionString(keywords.conninfo)
        #expect(rebuilt == keywords)
    }

    @Test func invalidConnectionStringErrorDoesNotEchoIt() {
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnectionString("postgresql://u:topsecret@host/db?nonsense_option=1")
        }
        #expect(error?.code == .configuration)
        #expect(error?.description.contains("topsecret") == false)
    }

    @Test func bindTexts() throws {
        #expect(try Date(timeIntervalSince1970: 0).postgresText() == "1970-01-01 00:00:00.000000+00")
        #expect(try Date(timeIntervalSince1970: -0.5).postgresText() == "1969-12-31 23:59:59.500000+00")
        #expect(try Date(timeIntervalSince1970: 951_782_400).postgresText() == "2000-02-29 00:00:00.000000+00")
        #expect(throws: PostgresError.self) { try Date(timeIntervalSince1970: -1e12).postgresText() }
        #expect(Double.infinity.postgresText() == "Infinity")
        #expect(Data([0x00, 0xAB]).postgresText() == "\\x00ab")
        #expect(try ["a\"b", "c\\d"].postgresText() == #"{"a\"b","c\\d"}"#)
        #expect(try [Int64(1), -2].postgresText() == "{1,-2}")
    }

    @Test func arrayTextParsing() throws {
        let decoded = try [String].decode(postgresText: #"{plain,"with space","q\"uote",""}"#, type: .textArray)
        #expect(decoded == ["plain", "with space", "q\"uote", ""])
        #expect(try [Int64].decode(postgresText: "[0:1]={5,6}", type: .int8Array) == [5, 6])
        #expect(try [String].decode(postgresText: "{}", type: .textArray) == [])
        #expect(
            try [String].decode(postgresText: #"{"NULL",nul,NULLS,"null"}"#, type: .textArray)
                == ["NULL", "nul", "NULLS", "null"], "quoted NULL is text; only a bare NULL is NULL")
        #expect(throws: PostgresDecodingFailure.self) {
            try [String].decode(postgresText: "{a,null}", type: .textArray)
        }
        #expect(throws: PostgresDecodingFailure.self) {
            try [String].decode(postgresText: "{a,NULL}", type: .textArray)
        }
        #expect(throws: PostgresDecodingFailure.self) {
            try [String].decode(postgresText: "{{a},{b}}", type: .textArray)
        }
    }

    @Test func timestampParsingAcceptsOffsetsAndFractions() throws {
        let base = 1_709_253_000.0  // 2024-03-01 00:30:00 UTC
        let cases: [(String, Double)] = [
            ("2024-03-01 09:30:00+09", base), ("2024-03-01 00:30:00.5+00", base + 0.5),
            ("2024-03-01 06:00:00+05:30", base), ("2024-03-01 00:30:00.000001-00", base + 0.000001),
            ("2024-03-01", base - 1_800),
            // The server writes at most 6 fraction digits; more are cut to microseconds, not a crash.
            ("2024-03-01 00:30:00.1234567+00", base + 0.123456), ("2024-03-01 00:30:00.123456789+00", base + 0.123456),
        ]
        for (text, expected) in cases {
            let date = try Date.decode(postgresText: text, type: .timestamptz)
            #expect(abs(date.timeIntervalSince1970 - expected) < 1e-6, "\(text)")
        }
        #expect(try Date.decode(postgresText: "infinity", type: .timestamptz) == .distantFuture)
        #expect(throws: PostgresDecodingFailure.self) {
            try Date.decode(postgresText: "0044-03-15 00:00:00+00 BC", type: .timestamptz)
        }
    }
}
