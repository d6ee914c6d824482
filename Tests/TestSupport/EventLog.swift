import Foundation
import Postgres

/// Collects a listener's events in the background so tests can wait for one with a timeout.
public final class EventLog: Sendable {
    private let events = LockedBox<[PostgresListener.Event]>([])
    private let ended = LockedBox(false)
    private let consumer: Task<Void, Never>

    /// Starts collecting `stream`.
    public init(_ stream: AsyncStream<PostgresListener.Event>) {
        let events = self.events
        let ended = self.ended
        consumer = Task {
            for await event in stream { events.mutate { $0.append(event) } }
            ended.mutate { $0 = true }
        }
    }

    /// Waits up to `seconds` for an event matching `predicate` (already received or arriving) and removes it. The
    /// default leaves room for a full suite on two cores: there the events are collected by a task that waits for one
    /// of the two cooperative threads, and a listener's first "listening" once took more than 10 s to be seen.
    @discardableResult
    public func waitFor(
        _ what: String, seconds: Double = 30, _ predicate: @Sendable (PostgresListener.Event) -> Bool
    ) async throws -> PostgresListener.Event {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let match = events.mutate { events -> PostgresListener.Event? in
                guard let index = events.firstIndex(where: predicate) else { return nil }
                let event = events[index]
                events.removeSubrange(...index)
                return event
            }
            if let match { return match }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw PostgresError(code: .unexpectedResponse, message: "timed out waiting for \(what)")
    }

    /// Waits up to `seconds` for the stream to finish.
    public func waitForEnd(seconds: Double = 10) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if ended.mutate({ $0 }) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw PostgresError(code: .unexpectedResponse, message: "the event stream did not end")
    }
}
