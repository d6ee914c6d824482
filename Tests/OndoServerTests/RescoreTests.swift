import Foundation
import OndoServer
import Postgres
import Synchronization
import TestSupport
import Testing

/// `Operations.rescore` (`ondo reviews rescore`): re-queues scored reviews and scores them in this process.
@Suite struct RescoreTests {
    /// On a busy shop the queue is never empty: the rescore waits for what it re-queued (and what was queued
    /// before it), not for reviews the shop inserts later — here one that another process holds in flight.
    @Test func rescoreWaitsOnlyForWhatWasQueuedBeforeItsScoringBegan() async throws {
        let db = try await TestPostgres.shared.freshDatabase("rescore_cutoff")
        var configuration = try await RescoreFixture.shop(db, reviews: 6, customers: 2)
        configuration.pipeline.batchSize = 2  // several batches, so the shop writes while the rescore scores
        let operations = try Operations(configuration: configuration, logger: TestPostgres.logger)

        let liveInsert = LockedBox<String?>(nil)
        let scoringReports = LockedBox<[OperatorProgress]>([])
        let requeued = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                try await operations.rescore(since: nil, everyReview: false) { progress in
                    guard progress.phase == "scoring" else { return }
                    let first = scoringReports.mutate { reports in
                        reports.append(progress)
                        return reports.count == 1
                    }
                    guard first else { return }
                    // The shop inserts a review, and another process claims it and keeps it in flight.
                    do {
                        let admin = try db.connect()
                        defer { admin.close() }
                        try admin.execute(
                            """
                            INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                            VALUES (100, 1, 1, 1, '배송이 너무 늦어요')
                            """)
                        try admin.execute(
                            """
                            UPDATE crm.review_work SET status = 'processing', attempts = 1, lease_token = \(UUID()),
                                lease_expires_at = now() + interval '1 hour'
                            WHERE review_id = 100
                            """)
                        liveInsert.mutate { $0 = "inserted" }
                    } catch {
                        liveInsert.mutate { $0 = "failed: \(error)" }
                    }
                }.requeued
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        await operations.close()

        let (scored, inFlight) = try await db.withConnection { connection in
            (
                try connection.queryValue(
                    Int.self, "SELECT count(DISTINCT review_id) FROM crm.review_sentiment WHERE review_id <= 6"),
                try connection.queryValue(String.self, "SELECT status FROM crm.review_work WHERE review_id = 100")
            )
        }
        let reports = scoringReports.mutate { $0 }
        print(
            "rescore: re-queued \(requeued.map(String.init) ?? "- (still waiting after 60 s)"); scoring reports "
                + "\(reports.suffix(3).map { "\($0.done)/\($0.total)" }) (of \(reports.count)); live insert \(liveInsert.mutate { $0 } ?? "-")"
        )
        #expect(liveInsert.mutate { $0 } == "inserted")
        #expect(requeued == 6, "the rescore finished without waiting for the later review")
        #expect(scored == 6)
        #expect(inFlight == "processing")
        #expect(reports.last.map { $0.done == 6 && $0.total == 6 } == true)
    }

    /// The shop writes reviews while the rescore re-queues: the progress never counts past its total
    /// ("20990/20987" before). The walk covers the reviews there were when it began; later ones are queued by
    /// the shop's trigger and need no re-queueing.
    @Test func requeueingProgressNeverCountsPastItsTotalWhileTheShopWrites() async throws {
        let db = try await TestPostgres.shared.freshDatabase("rescore_progress")
        let operations = try Operations(
            configuration: try await RescoreFixture.shop(db, reviews: 6, customers: 1), logger: TestPostgres.logger)

        let reports = LockedBox<[OperatorProgress]>([])
        let liveInsert = LockedBox<String?>(nil)
        let outcome = try await operations.rescore(since: nil, everyReview: false) { progress in
            let first = reports.mutate { reports in
                reports.append(progress)
                return reports.count == 1
            }
            guard first else { return }
            // After the first chunk the shop writes ten more reviews.
            do {
                let shop = try db.connect(as: .shop)
                defer { shop.close() }
                try shop.execute(
                    """
                    INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                    SELECT id, 1, 1, 1, '배송이 너무 늦어요 ' || id FROM generate_series(101, 110) AS id
                    """)
                liveInsert.mutate { $0 = "inserted" }
            } catch {
                liveInsert.mutate { $0 = "failed: \(error)" }
            }
        }
        await operations.close()

        let all = reports.mutate { $0 }
        print("rescore progress: \(all.map { "\($0.phase) \($0.done)/\($0.total)" })")
        #expect(liveInsert.mutate { $0 } == "inserted")
        #expect(outcome.requeued == 6)
        // The ten the shop wrote while the re-queueing ran were queued by its end: waited for, scored.
        #expect(outcome.waitedFor == 16, "\(outcome)")
        #expect(all.first?.phase == "re-queueing")
        #expect(all.allSatisfy { $0.done <= $0.total }, "\(all.map { "\($0.phase) \($0.done)/\($0.total)" })")
    }

    /// A quarantined review (here an empty body) has no score from any model, so every rescore re-queued it, the
    /// pipeline quarantined it again, and the command said "re-queued 1 review and scored it" (with 300,000 empty
    /// bodies, each rescore walked them all through the pipeline). It is left alone now, with `--all` too; a
    /// quarantine row of an older revision (the review was edited since) does not hold a review back.
    @Test(arguments: [false, true]) func quarantinedReviewsAreNotReQueued(everyReview: Bool) async throws {
        let db = try await TestPostgres.shared.freshDatabase("rescore_quarantined")
        let configuration = try await RescoreFixture.shop(db, reviews: 3, customers: 1)
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                VALUES (4, 1, 1, 3, ''), (5, 1, 1, 3, '')
                """)
            try shop.execute("UPDATE shop.reviews SET body = '좋아요 잘 맞아요' WHERE id = 5")
        }
        try await db.withConnection { admin in
            try admin.execute(
                "UPDATE crm.review_work SET status = 'completed', completed_at = now() WHERE review_id IN (4, 5)")
            // 4 as its current revision was quarantined; 5 as it was before the shop wrote its text.
            try admin.execute(
                """
                INSERT INTO crm.review_quarantine (review_id, customer_id, product_id, revision, reason)
                SELECT review_id, 1, 1, CASE review_id WHEN 5 THEN revision - 1 ELSE revision END, 'empty_body'
                FROM crm.review_work WHERE review_id IN (4, 5)
                """)
        }
        let operations = try Operations(configuration: configuration, logger: TestPostgres.logger)
        let outcome = try await operations.rescore(since: nil, everyReview: everyReview) { _ in }
        await operations.close()

        let (quarantinedWork, quarantineRows) = try await db.withConnection { connection in
            (
                try connection.queryValue(
                    String.self, "SELECT status || ' ' || attempts FROM crm.review_work WHERE review_id = 4"),
                try connection.queryValue(Int.self, "SELECT count(*) FROM crm.review_quarantine WHERE review_id = 4")
            )
        }
        #expect(outcome.requeued == 4, "reviews 1–3 and 5, not 4: \(outcome)")
        #expect(outcome.summary == "re-queued 4 reviews and scored them")
        #expect(quarantinedWork == "completed 0", "review 4's work row is as it was")
        #expect(quarantineRows == 1)
    }

    /// The shop may write id 0 and negative ids. The re-queueing walk began after id 0, so it never re-queued those
    /// reviews ("re-queued 1 review" of 4) and its progress stopped short of its total.
    @Test func reviewsWithIdZeroAndNegativeIdsAreReQueued() async throws {
        let db = try await TestPostgres.shared.freshDatabase("rescore_negative_ids")
        let configuration = try await RescoreFixture.shop(db, reviews: 1, customers: 1)
        try await db.withConnection(as: .shop) { shop in
            try shop.execute(
                """
                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                VALUES (0, 1, 1, 5, '재구매 의사 있어요'), (-7, 1, 1, 5, '최고예요'),
                       (-9223372036854775808, 1, 1, 5, '좋아요 잘 맞아요')
                """)
        }
        try await db.withConnection { admin in
            try admin.execute("UPDATE crm.review_work SET status = 'completed', completed_at = now()")
        }
        let operations = try Operations(configuration: configuration, logger: TestPostgres.logger)
        let lastProgress = Mutex<OperatorProgress?>(nil)
        let outcome = try await operations.rescore(since: nil, everyReview: false) { progress in
            if progress.phase == "re-queueing" { lastProgress.withLock { $0 = progress } }
        }
        await operations.close()
        #expect(outcome.requeued == 4, "\(outcome)")
        let walked = lastProgress.withLock { $0 }
        #expect(walked?.done == 4 && walked?.total == 4, "\(String(describing: walked))")
        let scored = try await db.withConnection { connection in
            try connection.queryValue(Int.self, "SELECT count(DISTINCT review_id) FROM crm.review_sentiment")
        }
        #expect(scored == 4)
    }
}

/// The sentence `ondo reviews rescore` ends with. It said "re-scored 0 reviews" after its progress bar had scored
/// a backlog of 2: the count was of the re-queued reviews only.
@Suite struct RescoreOutcomeTests {
    @Test func theSummarySaysWhatWasReQueuedAndWhatWasScored() {
        let backlog = "; scored the 2 queued by then (the backlog included)"
        #expect(RescoreOutcome(requeued: 0, waitedFor: 2).summary == "re-queued 0 reviews" + backlog)
        #expect(RescoreOutcome(requeued: 1, waitedFor: 1).summary == "re-queued 1 review and scored it")
        #expect(RescoreOutcome(requeued: 6, waitedFor: 6).summary == "re-queued 6 reviews and scored them")
        #expect(RescoreOutcome(requeued: 0, waitedFor: 0).summary == "re-queued 0 reviews")
        #expect(
            RescoreOutcome(requeued: 6, waitedFor: 16).summary
                == "re-queued 6 reviews; scored the 16 queued by then (the backlog included)")
    }

    /// "re-queued 1200 reviews" was not grouped as every other count of `ondo` is.
    @Test func theSummaryGroupsItsCounts() {
        #expect(RescoreOutcome(requeued: 1200, waitedFor: 1200).summary == "re-queued 1,200 reviews and scored them")
        #expect(
            RescoreOutcome(requeued: 1200, waitedFor: 16000).summary
                == "re-queued 1,200 reviews; scored the 16,000 queued by then (the backlog included)")
    }
}
