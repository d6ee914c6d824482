import Dispatch

/// Runs work on several threads at once (the machine's cores), for data-parallel training and
/// batched prediction. Workers own disjoint parts of the output, so no locking is needed.
enum Parallel {
    /// Calls `body(worker)` for every worker in `0..<workers`, concurrently, and returns when all
    /// have finished. One worker runs inline.
    static func run(workers: Int, _ body: @Sendable (Int) -> Void) {
        if workers <= 1 {
            body(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: body)
        }
    }
}

/// A pointer handed to parallel workers that each write a disjoint part of the memory it points to.
struct SharedPointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
