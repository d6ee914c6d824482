import Foundation
import ShopGenerator
import Testing

/// Times a full generation pass per table; run by hand, it prints figures and asserts only the row counts:
///
///     ONDO_GENERATOR_SPEED=1000000,5000000,2000000 swift test -c release -Xswiftc -enable-testing \
///         --filter GenerationSpeedTests
///
/// (customers, orders, reviews; 10,000 products).
@Suite struct GenerationSpeedTests {
    static let sizes = ProcessInfo.processInfo.environment["ONDO_GENERATOR_SPEED"]

    @Test(.enabled(if: sizes != nil, "set ONDO_GENERATOR_SPEED=customers,orders,reviews to run"))
    func generateAndReportTheTime() throws {
        let counts = (Self.sizes ?? "").split(separator: ",").compactMap { Int($0) }
        try #require(counts.count == 3)
        let options = ShopGeneratorOptions(
            seed: 7, customers: counts[0], products: 10_000, orders: counts[1], reviews: counts[2],
            now: Date(timeIntervalSince1970: 1_767_225_600))
        var generator: ShopGenerator?
        let prepare = measure { generator = try? ShopGenerator(options: options) }
        let shop = try #require(generator)
        var rows = 0
        var bytes = 0
        let customers = measure { for c in shop.customers() { rows += 1; bytes += c.email.utf8.count } }
        let products = measure { for p in shop.products() { rows += 1; bytes += p.name.utf8.count } }
        var items = 0
        let orders = measure { for o in shop.orders() { rows += 1; items += o.items.count } }
        let reviews = measure { for r in shop.reviews() { rows += 1; bytes += r.body.utf8.count } }
        let total = [prepare, customers, products, orders, reviews].reduce(Measurement.zero, +)
        print(
            """
            generation of \(counts[0]) customers, 10000 products, \(counts[1]) orders (\(items) items), \
            \(counts[2]) reviews:
              prepare   \(prepare)
              customers \(customers)
              products  \(products)
              orders    \(orders)
              reviews   \(reviews)
              total     \(total)   (\(bytes) bytes of text)
            """)
        #expect(rows == counts[0] + 10_000 + counts[1] + counts[2])
    }

    struct Measurement: CustomStringConvertible {
        var wall: Double
        var cpu: Double
        static let zero = Measurement(wall: 0, cpu: 0)
        static func + (a: Measurement, b: Measurement) -> Measurement {
            .init(wall: a.wall + b.wall, cpu: a.cpu + b.cpu)
        }
        var description: String { String(format: "%7.2f s wall, %7.2f s CPU", wall, cpu) }
    }

    func measure(_ body: () -> Void) -> Measurement {
        let cpuStart = clock()
        let start = ContinuousClock.now
        body()
        let wall = ContinuousClock.now - start
        let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
        return Measurement(
            wall: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, cpu: cpu)
    }
}
