/// Token embedding: each position's vector is the sum of the table rows of its token ids
/// (one id per position for plain units; more when a position also carries, say, a bigram id).
/// Id 0 means "nothing here" and contributes nothing. Rows follow ``BatchLayout``'s token-level
/// layout, gap rows zero.
enum EmbeddingLayer {
    /// Fills `output` (`layout.paddedTokens × width`): each position's row is `Σₖ table[ids[p·idsPerPosition + k]]`.
    static func forward(
        ids: UnsafePointer<Int32>, idsPerPosition: Int, layout: BatchLayout, table: UnsafePointer<Float>, width: Int,
        output: UnsafeMutablePointer<Float>
    ) {
        var zeroFrom = 0
        for b in 0..<layout.count {
            let first = layout.tokenRows[b]
            (output + zeroFrom * width).update(repeating: 0, count: (first - zeroFrom) * width)
            for p in layout.tokenStarts[b]..<layout.tokenStarts[b + 1] {
                let out = output + layout.tokenRow(review: b, position: p) * width
                // Row 0 ("nothing") is all zeros in every table, so copying it is the same as skipping it.
                out.update(from: table + Int(ids[p * idsPerPosition]) * width, count: width)
                for k in 1..<max(idsPerPosition, 1) {
                    let id = Int(ids[p * idsPerPosition + k])
                    guard id != 0 else { continue }
                    let row = table + id * width
                    for j in 0..<width { out[j] += row[j] }
                }
            }
            zeroFrom = first + layout.tokenStarts[b + 1] - layout.tokenStarts[b]
        }
        (output + zeroFrom * width).update(repeating: 0, count: (layout.paddedTokens - zeroFrom) * width)
    }

    /// Adds each position's output gradient to the table rows it was summed from.
    static func backward(
        ids: UnsafePointer<Int32>, idsPerPosition: Int, layout: BatchLayout, dOutput: UnsafePointer<Float>, width: Int,
        dTable: UnsafeMutablePointer<Float>
    ) {
        for b in 0..<layout.count {
            for p in layout.tokenStarts[b]..<layout.tokenStarts[b + 1] {
                let grad = dOutput + layout.tokenRow(review: b, position: p) * width
                for k in 0..<idsPerPosition {
                    let id = Int(ids[p * idsPerPosition + k])
                    guard id != 0 else { continue }
                    let row = dTable + id * width
                    for j in 0..<width { row[j] += grad[j] }
                }
            }
        }
    }
}
