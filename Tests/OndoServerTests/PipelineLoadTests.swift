import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// RELIABILITY.md's load checks, bounded for CI: a steady insert load (L1), a burst of ten times that
    /// rate (L2), and the whole run as a short soak (L3). `ONDO_LOAD_SECONDS` lengthens the steady phase for a
    /// real soak on a developer's machine.
    @Suite struct Load {
        static let steadyRate = 40.0
        static let burstSeconds = 3.0
        static let shopConnections = 3
        static var steadySeconds: Double {
            ProcessInfo.processInfo.environment["ONDO_LOAD_SECONDS"].flatMap(Double.init) ?? 12
        }

        @Test func steadyLoadThenABurstThenDrained() async throws {  // L1, L2, L3
            let harness = try await PipelineHarness.make("load", pipeline: ["batchSize": 256, "leaseSeconds": 6])
            try await harness.addCustomers(1...200)
            let server = try harness.startServer()
            _ = try await harness.httpPort(of: server)
            let sampler = LoadSampler(harness: harness, serverPID: server.pid)
            let sampling = Task { try await sampler.run() }

            let steady = try await ShopLoad.insert(
                into: harness, firstId: 1, rate: Self.steadyRate, seconds: Self.steadySeconds,
                connections: Self.shopConnections)
            let steadySamples = sampler.samples()
            let burst = try await ShopLoad.insert(
                into: harness, firstId: 1_000_000, rate: 10 * Self.steadyRate, seconds: Self.burstSeconds,
                connections: Self.shopConnections)
            let burstEnded = Date()
            try await harness.waitForAllReviewsProcessed(timeout: 120)
            let drainSeconds = Date().timeIntervalSince(burstEnded)
            try await Task.sleep(for: .seconds(1))  // a last sample with the queue empty
            sampling.cancel()
            let samples = sampler.samples()
            let pickup = try await harness.pickupLatency()
            let queue = try await harness.queueTableFootprint()
            let invariants = try await harness.invariants()

            // L1: the backlog stays bounded under steady load (at most about two seconds' worth of reviews).
            let steadyBacklog = steadySamples.dropFirst(2).map(\.backlog).max() ?? 0
            print(
                String(
                    format:
                        "L1 steady %.0f/s for %.0f s: %d reviews (%.0f/s reached); backlog at most %d; pickup p50 %.1f ms, p99 %.1f ms; "
                        + "shop insert p50 %.1f ms, p99 %.1f ms",
                    Self.steadyRate, Self.steadySeconds, steady.count, steady.rate, steadyBacklog, pickup.p50 * 1000,
                    pickup.p99 * 1000,
                    steady.percentile(0.5) * 1000, steady.percentile(0.99) * 1000))
            #expect(steadyBacklog <= Int(2 * Self.steadyRate), "backlog bounded under steady load")

            // L2: the burst drains afterwards, and the shop's inserts barely notice it.
            print(
                String(
                    format:
                        "L2 burst %.0f/s for %.0f s: %d reviews (%.0f/s reached); drained %.1f s after it; shop insert p50 %.1f ms, "
                        + "p99 %.1f ms (steady p50 %.1f ms)",
                    10 * Self.steadyRate, Self.burstSeconds, burst.count, burst.rate, drainSeconds,
                    burst.percentile(0.5) * 1000,
                    burst.percentile(0.99) * 1000, steady.percentile(0.5) * 1000))
            #expect(drainSeconds < 30, "the burst's backlog drains")
            #expect(burst.rate > 5 * Self.steadyRate, "the shop really did burst")
            #expect(
                burst.percentile(0.5) < max(4 * steady.percentile(0.5), 0.010),
                "the shop's median insert stays within 4× its steady latency (or 10 ms)")

            // L3: memory and connections flat, the queue table proportional to its rows.
            let settled = samples.dropFirst(4)
            let memory = (first: settled.first?.residentBytes ?? 0, last: samples.last?.residentBytes ?? 0)
            let connections = samples.map(\.ondoConnections)
            print(
                String(
                    format:
                        "L3 soak %.0f s: resident memory %.1f → %.1f MB; ondo connections %d–%d; review_work %d rows "
                        + "in %d kB (%.0f bytes a row, %d dead tuples); %@",
                    samples.last.map { $0.at.timeIntervalSince(samples[0].at) } ?? 0, Double(memory.first) / 1e6,
                    Double(memory.last) / 1e6, connections.min() ?? 0, connections.max() ?? 0, queue.rows,
                    queue.bytes / 1024, Double(queue.bytes) / Double(max(queue.rows, 1)), queue.deadTuples,
                    invariants.description))
            #expect(memory.last < memory.first + 40_000_000, "resident memory grows by less than 40 MB")
            #expect((connections.max() ?? 0) <= 9, "the pool (8) and the listener, never more")
            // The pool grows to what the busiest moment needed (the burst may need one more than the steady load);
            // once the load has stopped, no connection is opened any more.
            let duringLoad = samples.filter { $0.at <= burstEnded }.map(\.ondoConnections).max() ?? 0
            #expect((connections.last ?? 0) <= duringLoad, "connections are reused, not leaked")
            #expect(queue.bytes / max(queue.rows, 1) < 2_048, "no runaway bloat: under 2 kB of table and indexes a row")
            invariants.expectNoLossNoDuplicate()

            #expect(try await server.stop().status == 0)
        }
    }
}

/// What the shop's connections measured while inserting.
struct ShopLoad: Sendable {
    /// Seconds each insert (its own transaction) took, as the shop saw it.
    var latencies: [Double]
    /// Seconds from the first insert to the last.
    var seconds: Double

    var count: Int { latencies.count }
    /// The rate the shop actually reached.
    var rate: Double { Double(count) / max(seconds, 1e-9) }

    /// The `p`-th percentile of the insert latencies (nearest rank).
    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let sorted = latencies.sorted()
        return sorted[min(Int((p * Double(sorted.count)).rounded(.up)), sorted.count) - 1]
    }

    /// Inserts reviews at `rate` per second in all for `seconds`, spread over `connections` shop connections,
    /// each review its own transaction, ids from `firstId`.
    static func insert(
        into harness: PipelineHarness, firstId: Int64, rate: Double, seconds: Double, connections: Int
    ) async throws -> ShopLoad {
        let perConnection = Int(rate * seconds) / connections
        let interval = Double(connections) / rate
        let began = Date()
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for lane in 0..<connections {
                group.addTask {
                    try await harness.db.withConnection(as: .shop) { connection in
                        let start = Date()
                        var measured: [Double] = []
                        for index in 0..<perConnection {
                            let due = start.addingTimeInterval(Double(index) * interval)
                            let wait = due.timeIntervalSinceNow
                            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                            let id = firstId + Int64(index * connections + lane)
                            let sample = SampleReviews.all[Int(id) % SampleReviews.all.count]
                            let began = Date()
                            try connection.execute(
                                """
                                INSERT INTO shop.reviews (id, customer_id, product_id, rating, body)
                                VALUES (\(id), \(1 + id % 200), \(1 + id % 5), \(sample.rating), \(sample.body))
                                """)
                            measured.append(Date().timeIntervalSince(began))
                        }
                        return measured
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return ShopLoad(latencies: latencies, seconds: Date().timeIntervalSince(began))
    }
}

/// Samples the queue's backlog, the server's resident memory and its connections every half second.
final class LoadSampler: Sendable {
    struct Sample: Sendable {
        var at: Date
        var backlog: Int
        var residentBytes: Int
        var ondoConnections: Int
    }

    private let harness: PipelineHarness
    private let serverPID: Int32
    private let taken = LockedBox<[Sample]>([])

    init(harness: PipelineHarness, serverPID: Int32) {
        self.harness = harness
        self.serverPID = serverPID
    }

    func samples() -> [Sample] { taken.mutate { $0 } }

    func run() async throws {
        while !Task.isCancelled {
            let (backlog, connections) = try await harness.db.withConnection { connection in
                let queue = try WorkQueue(.reviews).backlog(on: connection)
                let connections = try connection.queryValue(
                    Int.self,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ondo'"
                )
                return (queue.pending + queue.processing, connections)
            }
            let sample = Sample(
                at: Date(), backlog: backlog, residentBytes: Self.residentBytes(of: serverPID),
                ondoConnections: connections)
            taken.mutate { $0.append(sample) }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    /// `VmRSS` of a process, from `/proc`.
    static func residentBytes(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return kilobytes * 1024
    }
}

extension PipelineHarness {
    /// Commit-to-state-written latency of every completed review: p50 and p99 in seconds.
    func pickupLatency() async throws -> (p50: Double, p99: Double) {
        try await db.withConnection { connection in
            let row = try connection.query(
                """
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - enqueued_at))::float8 AS p50,
                       percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - enqueued_at))::float8 AS p99
                FROM crm.review_work WHERE status = 'completed'
                """)[0]
            return (try row.decode(Double.self, "p50"), try row.decode(Double.self, "p99"))
        }
    }

    /// The review queue's rows, its size with indexes, and its dead tuples (after a plain VACUUM).
    func queueTableFootprint() async throws -> (rows: Int, bytes: Int, deadTuples: Int) {
        try await db.withConnection { connection in
            try connection.execute("VACUUM crm.review_work")
            let row = try connection.query(
                """
                SELECT (SELECT count(*) FROM crm.review_work) AS rows,
                       pg_total_relation_size('crm.review_work') AS bytes,
                       (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = 'crm.review_work'::regclass) AS dead
                """)[0]
            return (
                try row.decode(Int.self, "rows"), try row.decode(Int.self, "bytes"), try row.decode(Int.self, "dead")
            )
        }
    }
}
