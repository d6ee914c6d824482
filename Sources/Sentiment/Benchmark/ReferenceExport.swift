import Foundation

/// Writes what the PyTorch reference in `benchmarks/` needs to run the same network on the same
/// tokens: the token ids and labels, the model's shape and weights, and this engine's logits for
/// the reviews (so the reference can check that it computes the same function).
///
/// Files (little-endian): `tokens.bin` (`u32` review count, `u32` ids per position, then per
/// review `u32` positions followed by its `i32` ids), `labels.bin` (one byte per review),
/// `logits.bin` (`f32` per review), `model.json` (configuration, training options to mirror and
/// tensor list) and one
/// `<tensor>.f32` per weight tensor, row-major as in the model file.
public enum ReferenceExport {
    /// Exports `encoded` reviews with `labels` and `model` into `directory` (created if needed).
    public static func write(
        model: SentimentModel, encoded: [[Int32]], labels: [Bool], options: TrainingOptions, to directory: URL
    ) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var tokens = ByteWriter()
        tokens.write(UInt32(encoded.count))
        tokens.write(UInt32(model.tokenizer.idsPerPosition))
        for review in encoded {
            tokens.write(UInt32(review.count / model.tokenizer.idsPerPosition))
            for id in review { tokens.write(UInt32(bitPattern: id)) }
        }
        try tokens.data.write(to: directory.appendingPathComponent("tokens.bin"))
        try Data(labels.map { $0 ? 1 : 0 }).write(to: directory.appendingPathComponent("labels.bin"))
        var logits = ByteWriter()
        logits.write(floats: model.rawLogits(encoded: encoded, threads: SentimentModel.defaultThreads)[...])
        try logits.data.write(to: directory.appendingPathComponent("logits.bin"))

        struct Description: Codable {
            var network: NetworkConfig
            var idsPerPosition: Int
            var training: TrainingOptions
            var tensors: [[String: [Int]]]
        }
        let network = model.network
        let description = Description(
            network: network.config, idsPerPosition: model.tokenizer.idsPerPosition, training: options,
            tensors: network.layout.tensors.map { [$0.name: $0.shape] })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(description).write(to: directory.appendingPathComponent("model.json"))
        for tensor in network.layout.tensors {
            var weights = ByteWriter()
            weights.write(floats: network.parameters[tensor.offset..<(tensor.offset + tensor.count)])
            try weights.data.write(to: directory.appendingPathComponent("\(tensor.name).f32"))
        }
    }
}
