/// Token embedding: each position's vector is the sum of the table rows of its token ids
/// (one id per position for plain units; more when a position also carries, say, a bigram id).
/// Id 0 means "nothing here" and contributes nothing.
enum EmbeddingLayer {
    /// `output[p] = Σₖ table[ids[p·idsPerPosition + k]]` for every position `p`.
    static func forward(
        ids: UnsafePointer<Int32>, positions: Int, idsPerPosition: Int,
        table: UnsafePointer<Float>, width: Int, output: UnsafeMutablePointer<Float>
    ) {
        for p in 0..<positions {
            let out = output + p * width
            // Row 0 ("nothing") is all zeros in every table, so copying it is the same as skipping it.
            out.update(from: table + Int(ids[p * idsPerPosition]) * width, count: width)
            for k in 1..<max(idsPerPosition, 1) {
                let id = Int(ids[p * idsPerPosition + k])
                guard id != 0 else { continue }
                let row = table + id * width
                for j in 0..<width { out[j] += row[j] }
            }
        }
    }

    /// Adds each position's output gradient to the table rows it was summed from.
    static func backward(
        ids: UnsafePointer<Int32>, positions: Int, idsPerPosition: Int,
        dOutput: UnsafePointer<Float>, width: Int, dTable: UnsafeMutablePointer<Float>
    ) {
        for p in 0..<positions {
            let grad = dOutput + p * width
            for k in 0..<idsPerPosition {
                let id = Int(ids[p * idsPerPosition + k])
                guard id != 0 else { continue }
                let row = dTable + id * width
                for j in 0..<width { row[j] += grad[j] }
            }
        }
    }
}
