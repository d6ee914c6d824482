import CRM
import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    @Suite struct Flow {
        @Test func everyReviewGetsOneSentimentRowAndItsCustomerAState() async throws {
            let harness = try await PipelineHarness.make("flow")
            try await harness.addCustomers(1...20)
            for customer in Int64(1)...20 { try await harness.addOrder(id: customer, customer: customer, daysAgo: 10) }
            let server = try harness.startServer()
            try await harness.addReviews(firstId: 1, count: 200, customers: 1...20)
            try await harness.waitForAllReviewsProcessed()
            let invariants = try await harness.invariants()
            print("flow: \(invariants)")
            invariants.expectNoLossNoDuplicate()
            #expect(invariants.scoredReviews == 200)
            let statesAssigned = try await harness.db.withConnection {
                try $0.queryValue(Int.self, "SELECT count(*) FROM crm.customer_state")
            }
            #expect(statesAssigned == 20)
            #expect(try await server.stop().status == 0)
        }

        /// A database (or role) whose default isolation is REPEATABLE READ changes nothing: every transaction that
        /// recomputes states pins READ COMMITTED — the review batches, customer work and the scheduler.
        @Test func aRepeatableReadDefaultChangesNothing() async throws {
            let harness = try await PipelineHarness.make("repeatable_read")
            let app = try #require(harness.db.userName(.app))
            try await harness.db.withConnection { admin in
                try admin.execute(
                    """
                    ALTER ROLE \(identifier: app) IN DATABASE \(identifier: harness.db.name)
                    SET default_transaction_isolation = 'repeatable read'
                    """)
            }
            let sessionDefault = try await harness.db.withConnection(as: .app) {
                try $0.queryValue(String.self, "SELECT current_setting('default_transaction_isolation')")
            }
            #expect(sessionDefault == "repeatable read")

            try await harness.addCustomers(1...10)
            for customer in Int64(1)...10 { try await harness.addOrder(id: customer, customer: customer, daysAgo: 10) }
            let server = try harness.startServer()
            try await harness.addReviews(firstId: 1, count: 60, customers: 1...10)
            try await harness.waitForAllReviewsProcessed()
            let invariants = try await harness.invariants()
            print("repeatable read default: \(invariants)")
            invariants.expectNoLossNoDuplicate()
            try await harness.waitUntil("all customer work completed") { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.customer_work WHERE status <> 'completed'") == 0
            }
            // The scheduler: a customer whose recheck time has passed is recomputed.
            try await harness.db.withConnection { admin in
                try admin.execute(
                    "UPDATE crm.customer_state SET recheck_at = now() - interval '1 minute' WHERE customer_id = 1")
            }
            try await harness.waitUntil("the scheduler recomputed customer 1") { connection in
                try connection.queryValue(
                    Bool.self, "SELECT recheck_at > now() FROM crm.customer_state WHERE customer_id = 1")
            }
            #expect(try await server.stop().status == 0)
        }

        /// Shop transactions at REPEATABLE READ or SERIALIZABLE defer their queue writes (migration 0018); the lease
        /// sweeper of a running server applies them, so their reviews and orders are processed all the same.
        @Test func reviewsAndOrdersFromSnapshotIsolatedShopTransactionsAreProcessed() async throws {
            let harness = try await PipelineHarness.make("deferred_queue_writes")
            try await harness.addCustomers(1...2)
            let server = try harness.startServer()
            let shop = try harness.db.connect(as: .shop)
            defer { shop.close() }
            for (isolation, customer) in [("REPEATABLE READ", Int64(1)), ("SERIALIZABLE", 2)] {
                try shop.execute(PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL " + isolation))
                try shop.execute(
                    """
                    INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                    VALUES (\(customer), \(customer), 1, 1, '배송이 너무 늦고 포장도 엉망이에요')
                    """)
                try shop.execute(
                    "INSERT INTO shop.orders (id, customer_id, total) VALUES (\(customer), \(customer), 12000)")
                try shop.execute("COMMIT")
            }
            try await harness.waitForAllReviewsProcessed()
            try await harness.waitUntil("the orders' customer work completed") { connection in
                try connection.queryValue(
                    Int.self,
                    "SELECT count(*) FROM crm.customer_work WHERE cause = 'order' AND status = 'completed'") == 2
            }
            let invariants = try await harness.invariants()
            print("snapshot-isolated shop transactions: \(invariants)")
            invariants.expectNoLossNoDuplicate()
            #expect(invariants.scoredReviews == 2)
            let left = try await harness.db.withConnection {
                try $0.queryValue(Int.self, "SELECT count(*) FROM crm.deferred_work")
            }
            #expect(left == 0)
            #expect(try await server.stop().status == 0)
        }

        @Test func freshStronglyNegativeDeliveryReviewPutsTheCustomerAtRiskNamingTheReview() async throws {
            let harness = try await PipelineHarness.make("at_risk")
            try await harness.addCustomers(1...1)
            try await harness.addOrder(id: 1, customer: 1, daysAgo: 5)
            let server = try harness.startServer()
            try await harness.waitUntil(customer: 1, isIn: "active")
            try await harness.addReview(id: 77, customer: 1, rating: 1, body: "배송이 너무 늦고 포장도 엉망이에요. 다시는 안 사요")
            try await harness.waitForAllReviewsProcessed()
            let outcome = try await OndoExecutable.run(
                ["customer", "show", "1", "--format", "json"], environment: harness.db.environment(as: .app))
            #expect(outcome.status == 0, "\(outcome.standardError)")
            let json = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
            #expect(json?["state"] as? String == "at_risk")
            let reasons = json?["reasons"] as? [[String: Any]] ?? []
            let first = reasons.first
            #expect(first?["code"] as? String == "negative_review")
            #expect(first?["review_id"] as? Int == 77)
            // Bound first: written inside #expect as `(… as? [String] ?? []).contains(…)`, the macro's expansion made
            // the call optional-chained and the compiler warned "result of call to 'contains' is unused".
            let aspects = first?["aspects"] as? [String] ?? []
            #expect(aspects.contains("delivery"), "\(aspects)")
            let history = json?["history"] as? [[String: Any]] ?? []
            #expect(history.first?["to_state"] as? String == "at_risk")
            #expect(history.first?["cause"] as? String == "review")
            #expect(history.first?["cause_id"] as? Int == 77)
            print(
                "at_risk: reasons \(reasons.map { $0["code"] as? String ?? "?" }), probability \(first?["probability"] ?? "-")"
            )
            try await server.stop()
        }

        @Test func aReviewMovedToAnotherCustomerCountsForTheNewCustomer() async throws {
            let harness = try await PipelineHarness.make("moved_review")
            try await harness.addCustomers(1...2)
            try await harness.addOrder(id: 1, customer: 1, daysAgo: 5)
            try await harness.addOrder(id: 2, customer: 2, daysAgo: 5)
            let server = try harness.startServer()
            try await harness.addReview(id: 78, customer: 1, rating: 1, body: "배송이 너무 늦고 포장도 엉망이에요. 다시는 안 사요")
            try await harness.waitUntil(customer: 1, isIn: "at_risk")
            try await harness.db.withConnection(as: .shop) { connection in
                try connection.execute("UPDATE shop.reviews SET customer_id = 2 WHERE id = 78")
            }
            try await harness.waitUntil("customer 2 is at risk because of the moved review") { connection in
                let row = try connection.query(
                    "SELECT state, reasons -> 0 ->> 'review_id' AS review FROM crm.customer_state WHERE customer_id = 2"
                ).first
                return try row?.decode(String.self, "state") == "at_risk" && row?.decode(String?.self, "review") == "78"
            }
            // Customer 2 can be recomputed (its customer work, from the move) before the review is re-scored: the
            // facts reach the score by review id, so the state is right either way; the re-score follows.
            try await harness.waitUntil("the moved review is re-scored") { connection in
                try connection.queryValue(
                    Int.self, "SELECT coalesce(max(revision), 0) FROM crm.review_sentiment WHERE review_id = 78") >= 2
            }
            let score = try await harness.db.withConnection { connection in
                try connection.query("SELECT customer_id, revision FROM crm.review_sentiment WHERE review_id = 78")
                    .map { [try $0.decode(Int.self, "customer_id"), try $0.decode(Int.self, "revision")] }
            }
            #expect(score == [[2, 2]], "one score, re-scored under the new customer")
            try await harness.waitUntil("customer 1, who no longer wrote it, is recomputed because of the move") {
                connection in
                try connection.query(
                    """
                    SELECT 1 FROM crm.customer_state_history
                    WHERE customer_id = 1 AND from_state = 'at_risk' AND cause = 'review' AND cause_id = 78
                    """
                ).count == 1
            }
            let customerOne = try await harness.db.withConnection { try PipelineHarness.state(of: 1, on: $0) }
            #expect(customerOne == "active")
            (try await harness.invariants()).expectNoLossNoDuplicate()
            try await server.stop()
        }

        /// A review given another id and another customer in one UPDATE (migration 0022): before, only the new id was
        /// queued, so customer 1 stayed at_risk for a review it no longer has (until the scheduler's next look, up to
        /// maximumRecheckHours later) and the old id's score row stayed. The history of the customer it left names
        /// the old id as removed (migration 0025), not as a review that was scored.
        @Test func aReviewGivenAnotherIdAndCustomerNoLongerCountsForTheCustomerItLeft() async throws {
            let harness = try await PipelineHarness.make("renumbered_review")
            try await harness.addCustomers(1...2)
            try await harness.addOrder(id: 1, customer: 1, daysAgo: 5)
            try await harness.addOrder(id: 2, customer: 2, daysAgo: 5)
            let server = try harness.startServer()
            try await harness.addReview(id: 79, customer: 1, rating: 1, body: "배송이 너무 늦고 포장도 엉망이에요. 다시는 안 사요")
            try await harness.waitUntil(customer: 1, isIn: "at_risk")
            try await harness.db.withConnection(as: .shop) { connection in
                try connection.execute("UPDATE shop.reviews SET id = 900, customer_id = 2 WHERE id = 79")
            }
            try await harness.waitUntil("customer 2 is at risk because of review 900") { connection in
                let row = try connection.query(
                    "SELECT state, reasons -> 0 ->> 'review_id' AS review FROM crm.customer_state WHERE customer_id = 2"
                ).first
                return try row?.decode(String.self, "state") == "at_risk"
                    && row?.decode(String?.self, "review") == "900"
            }
            try await harness.waitUntil("customer 1 is recomputed without it", timeout: 20) { connection in
                try connection.query(
                    """
                    SELECT 1 FROM crm.customer_state_history
                    WHERE customer_id = 1 AND from_state = 'at_risk' AND cause = 'review_removed' AND cause_id = 79
                    """
                ).count == 1
            }
            let customerOne = try await harness.db.withConnection { try PipelineHarness.state(of: 1, on: $0) }
            #expect(customerOne == "active")
            try await harness.waitForAllReviewsProcessed()
            try await harness.waitUntil("the old id's work row is completed") { connection in
                try connection.queryValue(
                    String.self, "SELECT status FROM crm.review_work WHERE review_id = 79") == "completed"
            }
            let scores = try await harness.db.withConnection { connection in
                try connection.query("SELECT review_id, customer_id FROM crm.review_sentiment ORDER BY review_id")
                    .map { [try $0.decode(Int64.self, "review_id"), try $0.decode(Int64.self, "customer_id")] }
            }
            #expect(scores == [[900, 2]], "the old id's score row is gone")
            try await server.stop()
        }

        @Test func aCustomerWhoStopsBuyingIsChurnedByTheSchedulerAlone() async throws {
            // Windows of seconds instead of days, so time alone changes the state during the test.
            let day = 86_400.0
            let harness = try await PipelineHarness.make(
                "churn",
                states: [
                    "newCustomerDays": 1 / day, "atRiskAfterDays": 4 / day, "churnAfterDays": 8 / day,
                    "recentNegativeDays": 1 / day,
                ])
            try await harness.addCustomers(1...1)
            // The order is placed once the server has assessed the signup (200 days ago, no order: churned): the
            // windows count from the order, and a server slow to start (a starved machine took over 8 s) would
            // otherwise first see the customer already churned.
            let server = try harness.startServer()
            try await harness.waitUntil(customer: 1, isIn: "churned", timeout: 40)
            try await harness.addOrder(id: 1, customer: 1, daysAgo: 0)
            try await harness.waitUntil("the scheduler churned customer 1 after the order", timeout: 40) { connection in
                try connection.queryValue(
                    Int.self,
                    """
                    SELECT count(*) FROM crm.customer_state_history
                    WHERE customer_id = 1 AND from_state = 'at_risk' AND to_state = 'churned' AND cause = 'scheduler'
                    """) > 0
            }
            let history = try await harness.db.withConnection { connection in
                try connection.query(
                    """
                    SELECT coalesce(from_state, '-') || '>' || to_state || ':' || cause AS step
                    FROM crm.customer_state_history WHERE customer_id = 1 ORDER BY id
                    """
                ).map { try $0.decode(String.self, "step") }
            }
            print("churn: history \(history)")
            #expect(history.first == "->churned:signup")
            #expect(history.contains("churned>active:order"))
            #expect(history.last == "at_risk>churned:scheduler")
            #expect(history.contains("active>at_risk:scheduler"))
            let reviews = try await harness.db.withConnection {
                try $0.queryValue(Int.self, "SELECT count(*) FROM shop.reviews")
            }
            #expect(reviews == 0)
            try await server.stop()
        }

        @Test func badInputIsProcessedOrQuarantinedWithAReason() async throws {  // B1
            let harness = try await PipelineHarness.make("bad_input")
            try await harness.addCustomers(1...3)
            let server = try harness.startServer()
            let bodies: [(Int64, String)] = [
                (1, ""), (2, "   \n\t  "), (3, "👍👍🔥"), (4, "ㅋㅋㅋㅋㅋ"), (5, "Good 배송 very 빠름 ¡olé! 日本語"),
                (6, String(repeating: "가", count: 10_000)), (7, "'; DROP TABLE shop.reviews; -- $1 \\ \" "),
                (8, "\u{200B}\u{FEFF}"),
            ]
            for (id, body) in bodies {
                try await harness.addReview(id: id, customer: 1 + id % 3, rating: 3, body: body)
            }
            try await harness.waitForAllReviewsProcessed()
            let invariants = try await harness.invariants()
            print("bad input: \(invariants)")
            invariants.expectNoLossNoDuplicate()
            let quarantined = try await harness.db.withConnection { connection in
                try connection.query("SELECT review_id, reason FROM crm.review_quarantine ORDER BY review_id").map {
                    "\(try $0.decode(Int64.self, "review_id")):\(try $0.decode(String.self, "reason"))"
                }
            }
            #expect(quarantined == ["1:empty_body", "2:empty_body", "8:empty_body"])
            #expect(invariants.scoredReviews == 5)
            let stored = try await harness.db.withConnection {
                try $0.queryValue(String.self, "SELECT body FROM shop.reviews WHERE id = 7")
            }
            #expect(stored == "'; DROP TABLE shop.reviews; -- $1 \\ \" ")
            #expect(server.isRunning)
            try await server.stop()
        }

        @Test func aReviewForAnUnknownCustomerIsQuarantinedThenProcessedWhenTheCustomerArrives() async throws {  // B2
            let harness = try await PipelineHarness.make("unknown_customer", pipeline: ["unknownReferenceAttempts": 2])
            try await harness.addCustomers(1...1)
            let server = try harness.startServer()
            try await harness.addReview(id: 1, customer: 99, rating: 5, body: "재구매 의사 있어요 최고")
            try await harness.addReview(id: 2, customer: 1, rating: 5, body: "재구매 의사 있어요 최고")
            try await harness.waitUntil("the review is quarantined") { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.review_quarantine WHERE reason = 'unknown_customer'") == 1
            }
            let otherDone = try await harness.db.withConnection {
                try $0.queryValue(String.self, "SELECT status FROM crm.review_work WHERE review_id = 2")
            }
            #expect(otherDone == "completed")
            try await harness.addCustomers(99...99)
            try await harness.waitUntil("the review is scored once its customer exists") { connection in
                try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment WHERE review_id = 1")
                    == 1
                    && connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_quarantine") == 0
                    && connection.queryValue(Int.self, "SELECT count(*) FROM crm.customer_state WHERE customer_id = 99")
                        == 1
            }
            (try await harness.invariants()).expectNoLossNoDuplicate()
            try await server.stop()
        }

        /// A customer whose arrival the shop's trigger could not act on (here: the trigger is off while it is
        /// inserted, as when a worker quarantined the review after the trigger had run) still gets its review
        /// scored: the lease sweeper re-queues quarantined reviews whose customer exists.
        @Test func theSweeperRequeuesAReviewWhoseCustomerArrivedUnseen() async throws {  // B2
            let harness = try await PipelineHarness.make(
                "unknown_customer_unseen", pipeline: ["unknownReferenceAttempts": 1])
            let server = try harness.startServer()
            try await harness.addReview(id: 1, customer: 98, rating: 5, body: "재구매 의사 있어요 최고")
            try await harness.waitUntil("the review is quarantined") { connection in
                try connection.queryValue(
                    Int.self, "SELECT count(*) FROM crm.review_quarantine WHERE reason = 'unknown_customer'") == 1
            }
            try await harness.db.withConnection { admin in
                try admin.execute("ALTER TABLE shop.customers DISABLE TRIGGER customers_enqueue_work_on_insert")
            }
            try await harness.addCustomers(98...98)
            try await harness.db.withConnection { admin in
                try admin.execute("ALTER TABLE shop.customers ENABLE TRIGGER customers_enqueue_work_on_insert")
            }
            try await harness.waitUntil("the sweeper re-queued the review and it was scored") { connection in
                try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment WHERE review_id = 1")
                    == 1
                    && connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_quarantine") == 0
            }
            (try await harness.invariants()).expectNoLossNoDuplicate()
            try await server.stop()
        }

        /// A review backing off while it waits for its customer (not yet quarantined) is claimable as soon as the
        /// shop inserts the customer, not after its retry delay: the requeue finds it through the index of retrying
        /// work (migration 0009).
        @Test func aReviewBackingOffForItsCustomerIsRetriedWhenTheCustomerArrives() async throws {  // B2
            let harness = try await PipelineHarness.make(
                "backing_off_customer",
                pipeline: [
                    "unknownReferenceAttempts": 5,
                    "retry": ["maximumAttempts": 6, "initialDelaySeconds": 120, "maximumDelaySeconds": 300]
                        as [String: any Sendable],
                ])
            try await harness.addCustomers(1...1)  // and the products: only the customer is missing
            let server = try harness.startServer()
            try await harness.addReview(id: 1, customer: 77, rating: 1, body: "배송이 너무 늦고 포장도 엉망이에요")
            try await harness.waitUntil("the review backs off, waiting for its customer") { connection in
                try connection.queryValue(
                    Bool.self,
                    """
                    SELECT coalesce(bool_and(status = 'pending' AND attempts = 1 AND available_at > now() + interval '60 seconds'), false)
                    FROM crm.review_work WHERE review_id = 1
                    """)
            }
            let started = Date()
            try await harness.addCustomers(77...77)
            try await harness.waitUntil("the review is scored once its customer exists") { connection in
                try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment WHERE review_id = 1")
                    == 1
                    && connection.queryValue(Int.self, "SELECT count(*) FROM crm.customer_state WHERE customer_id = 77")
                        == 1
            }
            let seconds = Date().timeIntervalSince(started)
            print(String(format: "backing off: scored %.2f s after its customer arrived (retry delay 120 s)", seconds))
            #expect(seconds < 60)
            (try await harness.invariants()).expectNoLossNoDuplicate()
            try await server.stop()
        }

        @Test func theSameReviewTwiceHasOneEffectAndAnEditIsRescored() async throws {  // B5
            let harness = try await PipelineHarness.make("duplicate")
            try await harness.addCustomers(1...1)
            let server = try harness.startServer()
            try await harness.addReview(id: 5, customer: 1, rating: 5, body: "재구매 의사 있어요 최고")
            let duplicate = await #expect(throws: PostgresError.self) {
                try await harness.addReview(id: 5, customer: 1, rating: 5, body: "재구매 의사 있어요 최고")
            }
            #expect(duplicate?.sqlState == "23505")
            try await harness.waitForAllReviewsProcessed()
            let before = try await harness.db.withConnection {
                try $0.queryValue(
                    Double.self, "SELECT probability::float8 FROM crm.review_sentiment WHERE review_id = 5")
            }
            try await harness.db.withConnection(as: .shop) { connection in
                try connection.execute("UPDATE shop.reviews SET body = '불량품이 왔어요 최악입니다', rating = 1 WHERE id = 5")
            }
            try await harness.waitUntil("the edit is scored") { connection in
                try connection.queryValue(Int.self, "SELECT revision FROM crm.review_sentiment WHERE review_id = 5")
                    == 2
            }
            let after = try await harness.db.withConnection {
                try $0.queryValue(
                    Double.self, "SELECT probability::float8 FROM crm.review_sentiment WHERE review_id = 5")
            }
            print("duplicate: probability \(before) before the edit, \(after) after")
            #expect(before > 0.5 && after < 0.5)
            let invariants = try await harness.invariants()
            invariants.expectNoLossNoDuplicate()
            #expect(invariants.sentimentRows == 1)
            try await server.stop()
        }

        @Test func aLongOpenShopTransactionDoesNotHoldBackLaterReviews() async throws {  // F8
            let harness = try await PipelineHarness.make("open_transaction")
            try await harness.addCustomers(1...2)
            let server = try harness.startServer()
            let slow = try harness.db.connect(as: .shop)
            defer { slow.close() }
            try slow.execute("BEGIN")
            try slow.execute(
                "INSERT INTO shop.reviews (id, customer_id, product_id, rating, body) VALUES (1, 1, 1, 5, '좋아요 만족합니다')")
            let started = Date()
            try await harness.addReview(id: 2, customer: 2, rating: 5, body: "재구매 의사 있어요 최고")
            try await harness.waitUntil("the later review is processed while the first is uncommitted", timeout: 20) {
                connection in
                try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment WHERE review_id = 2")
                    == 1
            }
            let laterSeconds = Date().timeIntervalSince(started)
            try await Task.sleep(for: .seconds(1))
            try slow.execute("COMMIT")
            try await harness.waitForAllReviewsProcessed(timeout: 20)
            print(
                String(
                    format: "open transaction: later review processed after %.2f s; the slow one after its commit",
                    laterSeconds))
            (try await harness.invariants()).expectNoLossNoDuplicate()
            try await server.stop()
        }

        @Test func metricsCountersMoveWhileReviewsAreProcessed() async throws {
            let harness = try await PipelineHarness.make("metrics")
            try await harness.addCustomers(1...5)
            let server = try harness.startServer()
            let port = try await harness.httpPort(of: server)
            let before = try await Curl.get("http://127.0.0.1:\(port)/metrics")
            try await harness.addReviews(firstId: 1, count: 40, customers: 1...5)
            try await harness.waitForAllReviewsProcessed()
            let after = try await Curl.get("http://127.0.0.1:\(port)/metrics")
            let processedBefore = Curl.metric("ondo_reviews_processed_total", in: before) ?? -1
            let processedAfter = Curl.metric("ondo_reviews_processed_total", in: after) ?? -1
            print("metrics: ondo_reviews_processed_total \(processedBefore) → \(processedAfter)")
            #expect(processedBefore == 0)
            #expect(processedAfter == 40)
            #expect(after.contains("ondo_review_batch_seconds_bucket"))
            // The labelled families: one series per label value, the review-caused ones moved.
            let recomputedByReview = Curl.metric(#"ondo_state_recomputations_total{source="review"}"#, in: after) ?? 0
            #expect(recomputedByReview >= 5, "each of the 5 customers recomputed at least once")
            let entered = CustomerState.allCases.compactMap {
                Curl.metric(#"ondo_state_transitions_total{to_state="\#($0.rawValue)"}"#, in: after)
            }
            #expect(entered.count == CustomerState.allCases.count, "one series per state")
            #expect(entered.reduce(0, +) >= 5, "each customer entered its first state")
            for reason in ["empty_body", "unknown_customer", "unknown_product"] {
                #expect(Curl.metric(#"ondo_reviews_quarantined_total{reason="\#(reason)"}"#, in: after) == 0)
            }
            #expect(after.contains("ondo_review_backlog"))
            #expect(try await Curl.get("http://127.0.0.1:\(port)/healthz") == "ok\n")
            #expect(try await Curl.get("http://127.0.0.1:\(port)/readyz") == "ready\n")
            try await server.stop()
        }
    }
}

/// `curl`, as an operator would scrape the endpoint.
enum Curl {
    static func get(_ url: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                    process.arguments = ["-sS", "--max-time", "10", url]
                    let output = Pipe()
                    process.standardOutput = output
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    guard process.terminationStatus == 0 else { throw HarnessError("curl \(url) failed") }
                    continuation.resume(returning: String(decoding: data, as: UTF8.self))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }

    /// The value of an unlabelled metric in Prometheus text.
    static func metric(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap {
            Double($0.split(separator: " ").last ?? "")
        }
    }
}
