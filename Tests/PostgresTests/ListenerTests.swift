import Foundation
import Postgres
import TestSupport
import Testing

/// LISTEN/NOTIFY, including reconnection after the server kills the listening session.
@Suite struct ListenerTests {
    @Test func receivesNotifyAndRelistensAfterTermination() async throws {
        let db = try await TestPostgres.shared.database("Listener")
        let channel = "ondo \"test\" 채널"
        var configuration = db.configuration()
        configuration.applicationName = "ondo-listener-test"
        let listener = PostgresListener(
            configuration: configuration, channels: [channel], logger: TestPostgres.logger,
            initialReconnectDelay: .milliseconds(50))
        let log = EventLog(listener.events)
        listener.start()

        try await log.waitFor("listening") { if case .listening = $0 { true } else { false } }
        try await notify(db, channel: channel, payload: "첫 번째 🙂")
        let first = try await log.waitFor("first notification") { event in
            if case .notification(let note) = event { note.payload == "첫 번째 🙂" } else { false }
        }
        if case .notification(let note) = first { #expect(note.channel == channel) }

        let killed = try await db.withConnection { admin in
            try admin.queryValue(
                Int.self,
                """
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE application_name = 'ondo-listener-test'
                """)
        }
        #expect(killed == 1)
        try await log.waitFor("connection lost") { if case .connectionLost = $0 { true } else { false } }
        try await log.waitFor("reconnected") { if case .reconnected = $0 { true } else { false } }
        try await notify(db, channel: channel, payload: "after reconnect")
        try await log.waitFor("notification after reconnect") { event in
            if case .notification(let note) = event { note.payload == "after reconnect" } else { false }
        }

        listener.stop()
        try await log.waitForEnd()
        let remaining = try await db.withConnection { admin in
            try admin.queryValue(
                Int.self, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ondo-listener-test'")
        }
        #expect(remaining == 0)
    }

    @Test func stopBeforeStartEndsTheStream() async throws {
        let db = try await TestPostgres.shared.database("Listener")
        let listener = PostgresListener(configuration: db.configuration(), channels: ["x"], logger: TestPostgres.logger)
        let log = EventLog(listener.events)
        listener.stop()
        try await log.waitForEnd()
    }

    private func notify(_ db: TestDatabase, channel: String, payload: String) async throws {
        try await db.withConnection { conn in try conn.execute("SELECT pg_notify(\(channel), \(payload))") }
    }
}
