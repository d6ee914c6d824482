import CRM
import Foundation
import Postgres

/// Applies claimed customer work (an order or a signup changed a customer): recomputes each customer's
/// state and completes the work, in one transaction fenced by the lease token.
public struct CustomerWorkStore: Sendable {
    /// Recomputes the states.
    public let states: CustomerStateStore
    private let queue = WorkQueue(.customers)

    /// Creates the store.
    public init(states: CustomerStateStore) {
        self.states = states
    }

    /// What one batch changed.
    public struct Outcome: Sendable {
        /// Customers whose work completed.
        public var completed: [Int64] = []
        /// Customers whose lease was lost: nothing written for them.
        public var fenced: [Int64] = []
        /// State transitions.
        public var transitions: [StateTransition] = []

        /// Nothing yet.
        public init() {}
    }

    /// Recomputes the leased customers and completes their work (call outside any transaction).
    public func apply(_ customerIds: [Int64], token: UUID, on connection: PostgresConnection) throws -> Outcome {
        try connection.withTransaction(.readCommitted) { connection in
            var outcome = Outcome()
            let owned = try queue.lockLeased(customerIds, token: token, on: connection)
            outcome.fenced = customerIds.filter { !owned.contains($0) }
            guard !owned.isEmpty else { return outcome }
            var causes: [Int64: StateChangeCause] = [:]
            for row in try connection.query(
                """
                SELECT customer_id, cause, cause_id FROM crm.customer_work WHERE customer_id = ANY(\(Array(owned)))
                """)
            {
                let id = try row.decode(Int64.self, "customer_id")
                causes[id] =
                    StateChangeCause(
                        kind: try row.decode(String.self, "cause"), referenceId: try row.decode(Int64?.self, "cause_id")
                    ) ?? .recompute
            }
            // Unknown customers (an order before its customer) complete with no effect; the signup re-queues them.
            outcome.transitions = try states.recompute(causes, lockWait: .wait, on: connection).transitions
            outcome.completed = owned.sorted()
            try queue.complete(outcome.completed, token: token, on: connection)
            return outcome
        }
    }
}
