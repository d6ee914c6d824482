/// A growable, uninitialised scratch buffer owned by one thread at a time: the network's
/// activations and gradients live in these so that a forward or backward pass allocates nothing
/// once the buffers have grown to the largest batch seen.
final class Buffer<Element> {
    private(set) var pointer: UnsafeMutablePointer<Element>
    private(set) var capacity: Int

    init() {
        capacity = 1
        pointer = .allocate(capacity: 1)
    }

    deinit { pointer.deallocate() }

    /// Room for `count` elements; the contents are unspecified after growing.
    @inline(__always)
    func reserve(_ count: Int) -> UnsafeMutablePointer<Element> {
        if count > capacity {
            pointer.deallocate()
            capacity = max(count, capacity * 3 / 2)
            pointer = .allocate(capacity: capacity)
        }
        return pointer
    }
}
