import Foundation
import Testing

@testable import Sentiment

@Suite struct ModelFileTests {
    @Test(arguments: [TokenUnit.syllable, .syllableBigram])
    func saveAndLoadIsBitExact(unit: TokenUnit) throws {
        let model = TestModels.untrained(unit: unit, pooling: .maxMean)
        let data = model.fileData()
        let loaded = try ModelFile.decode(data)
        #expect(loaded.network.parameters.map(\.bitPattern) == model.network.parameters.map(\.bitPattern))
        #expect(loaded.network.config == model.network.config)
        #expect(loaded.tokenizer == model.tokenizer)
        #expect(loaded.temperature.bitPattern == model.temperature.bitPattern)
        #expect(loaded.version == model.version)
        #expect(loaded.fileData() == data, "saving the loaded model gives the same bytes")
    }

    @Test func halfPrecisionModelsRoundTripBitExactAndHalveTheFile() throws {
        let full = TestModels.untrained()
        let half = SentimentModel(
            name: full.name, tokenizer: full.tokenizer, network: full.network, temperature: full.temperature,
            training: nil, storage: .float16)
        let loaded = try ModelFile.decode(half.fileData())
        #expect(loaded.storage == .float16)
        #expect(loaded.network.parameters.map(\.bitPattern) == half.network.parameters.map(\.bitPattern))
        #expect(loaded.fileData() == half.fileData())
        #expect(half.fileData().count < full.fileData().count * 2 / 3)
        let difference = zip(half.predict(PredictionTests.reviews), full.predict(PredictionTests.reviews)).map {
            abs($0 - $1)
        }
        #expect(difference.max() ?? 1 < 0.01, "rounding the weights barely moves the probabilities")
    }

    @Test func trainingRecordSurvivesTheRoundTrip() throws {
        let model = try TestModels.trainer(epochs: 2).train(TrainingInput(examples: TestModels.examples))
        let loaded = try ModelFile.decode(model.fileData())
        #expect(loaded.training == model.training)
        #expect(loaded.training?.epochs.count == 2)
    }

    @Test func writesAndReadsFiles() throws {
        let model = TestModels.untrained()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-test-\(UUID().uuidString).model")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.write(to: url)
        let loaded = try SentimentModel.load(contentsOf: url)
        #expect(loaded.predict(["좋아요"]) == model.predict(["좋아요"]))
        #expect(throws: SentimentModelError.fileNotFound(path: url.path + ".missing")) {
            try SentimentModel.load(contentsOf: URL(fileURLWithPath: url.path + ".missing"))
        }
    }

    /// A folder named as the model is said to be one, by the loader and by the version reader; it was "cannot read it".
    @Test func aFolderIsNotAModelFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-model-folder-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: SentimentModelError.io(path: folder.path, reason: "it is a folder")) {
            try SentimentModel.load(contentsOf: folder)
        }
        #expect(throws: SentimentModelError.io(path: folder.path, reason: "it is a folder")) {
            try SentimentModel.version(ofFileAt: folder)
        }
    }

    @Test func rejectsTruncatedFiles() {
        let data = TestModels.untrained().fileData()
        for length in [0, 3, 8, 12, 19, 20, 100, data.count / 2, data.count - 5, data.count - 1] {
            #expect(throws: SentimentModelError.truncated, "cut at \(length) of \(data.count) bytes") {
                try ModelFile.decode(data.prefix(length))
            }
        }
    }

    @Test func rejectsCorruptFiles() {
        let data = TestModels.untrained().fileData()
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<20 {
            var corrupt = data
            let offset = ModelFile.prefixLength + Int(generator.next() % UInt64(data.count - ModelFile.prefixLength))
            corrupt[offset] ^= 0x10
            #expect(throws: SentimentModelError.checksumMismatch, "byte \(offset) flipped") {
                try ModelFile.decode(corrupt)
            }
        }
        var longer = data
        longer.append(0)
        #expect(throws: SentimentModelError.self) { try ModelFile.decode(longer) }
    }

    @Test func rejectsOtherFormatsAndVersions() {
        let data = TestModels.untrained().fileData()
        var wrongVersion = data
        wrongVersion[8] = 2
        #expect(throws: SentimentModelError.unsupportedVersion(found: 2, supported: 1)) {
            try ModelFile.decode(wrongVersion)
        }
        #expect(throws: SentimentModelError.notAModelFile) { try ModelFile.decode(Data("id\tdocument\tlabel\n".utf8)) }
        var wrongMagic = data
        wrongMagic[0] = UInt8(ascii: "X")
        #expect(throws: SentimentModelError.notAModelFile) { try ModelFile.decode(wrongMagic) }
    }

    @Test func errorsReadAsSentences() {
        #expect(SentimentModelError.truncated.description.contains("truncated"))
        #expect(SentimentModelError.unsupportedVersion(found: 9, supported: 1).description.contains("version 9"))
    }

    @Test func versionIdentifiesTheWeights() {
        let a = TestModels.untrained(seed: 1)
        let b = TestModels.untrained(seed: 2)
        #expect(a.version.hasPrefix("test@"))
        #expect(a.version != b.version)
        #expect(a.version == TestModels.untrained(seed: 1).version)
    }

    /// `ondo states recompute` needs only the configured model's version, not its weights: the version comes from
    /// the prefix, the header and the stored checksum, so a file whose weights are overwritten still names it (the
    /// loader refuses that file), while a file that is not a whole model file of this format is refused.
    @Test func theVersionIsReadFromTheHeaderWithoutTheWeights() throws {
        let model = TestModels.untrained()
        let data = model.fileData()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ondo-test-\(UUID().uuidString).model")
        defer { try? FileManager.default.removeItem(at: url) }
        func version(of bytes: Data) throws -> String {
            try bytes.write(to: url)
            return try SentimentModel.version(ofFileAt: url)
        }
        #expect(try version(of: data) == model.version)

        let headerLength = data[ModelFile.prefixLength..<(ModelFile.prefixLength + 4)].reversed().reduce(0) {
            $0 << 8 | Int($1)
        }
        var garbledWeights = data
        for offset in (ModelFile.prefixLength + 4 + headerLength)..<(data.count - 4) { garbledWeights[offset] = 0xFF }
        #expect(try version(of: garbledWeights) == model.version, "the weights are not read")
        #expect(throws: SentimentModelError.self) { try SentimentModel.load(contentsOf: url) }

        for length in [0, 3, 19, 24, data.count - 1] {
            #expect(throws: SentimentModelError.truncated, "cut at \(length)") { try version(of: data.prefix(length)) }
        }
        var wrongVersion = data
        wrongVersion[8] = 2
        #expect(throws: SentimentModelError.unsupportedVersion(found: 2, supported: 1)) {
            try version(of: wrongVersion)
        }
        #expect(throws: SentimentModelError.notAModelFile) { try version(of: Data("id\tdocument\tlabel\n".utf8)) }
        #expect(throws: SentimentModelError.fileNotFound(path: url.path + ".missing")) {
            try SentimentModel.version(ofFileAt: URL(fileURLWithPath: url.path + ".missing"))
        }
    }
}
