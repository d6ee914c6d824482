import Foundation

/// The model file format, version 1. All integers little-endian:
///
///     magic        8 bytes  "ONDOSENT"
///     version      u32      format version (1)
///     length       u64      total file length in bytes, checksum included
///     header       string   JSON: name, network hyper-parameters, token unit, temperature, training record
///     vocabulary   u32 n, then n strings (real tokens; ids from 2 on)
///     tensors      u32 n, then per tensor: string name, u32 rank, rank × u32 dims, u8 storage
///                  (0: f32, 1: f16), then product(dims) values of that type
///     checksum     u32      CRC-32 of every byte before it
///
/// (a string is a u32 byte count and UTF-8 bytes). Reading checks, in order: magic, version,
/// length (truncated or trailing bytes), checksum, then that the content builds a consistent
/// model — so a damaged file is rejected before any of it is used.
enum ModelFile {
    static let magic = Array("ONDOSENT".utf8)
    static let formatVersion: UInt32 = 1
    /// Bytes before the header: magic, version, length.
    static let prefixLength = 8 + 4 + 8

    /// The JSON header.
    struct Header: Codable {
        var name: String
        var network: NetworkConfig
        var tokenUnit: TokenUnit
        var temperature: Float
        var training: TrainingRecord?
    }

    /// The bytes of a model file.
    static func encode(
        name: String, tokenizer: Tokenizer, network: Network, temperature: Float, training: TrainingRecord?,
        storage: WeightStorage
    ) -> Data {
        var body = ByteWriter()
        let header = Header(
            name: name, network: network.config, tokenUnit: tokenizer.unit, temperature: temperature,
            training: training)
        body.write(string: String(decoding: headerJSON(header), as: UTF8.self))
        let tokens = tokenizer.vocabulary.tokens.dropFirst(Vocabulary.reserved.count)
        body.write(UInt32(tokens.count))
        for token in tokens { body.write(string: token) }
        body.write(UInt32(network.layout.tensors.count))
        for tensor in network.layout.tensors {
            body.write(string: tensor.name)
            body.write(UInt32(tensor.shape.count))
            for dimension in tensor.shape { body.write(UInt32(dimension)) }
            body.write(storage.tag)
            let values = network.parameters[tensor.offset..<(tensor.offset + tensor.count)]
            switch storage {
            case .float32: body.write(floats: values)
            case .float16: body.write(halves: values)
            }
        }
        var file = ByteWriter()
        file.write(bytes: magic)
        file.write(formatVersion)
        file.write(UInt64(prefixLength + body.data.count + 4))
        file.write(bytes: body.data)
        file.write(CRC32.checksum(file.data))
        return file.data
    }

    /// The checksum stored at the end of a well-formed file.
    static func checksum(of file: Data) -> UInt32 {
        file.suffix(4).enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    /// The model version a file of `name` whose stored checksum is `checksum` has: ``SentimentModel/version``.
    static func version(name: String, checksum: UInt32) -> String {
        name + "@" + String(format: "%08x", checksum)
    }

    /// Checks the magic bytes, format version and declared length at the start of `bytes` — the whole file, or
    /// at least its first ``prefixLength`` bytes — for a file of `fileLength` bytes.
    private static func checkPrefix(_ bytes: [UInt8], fileLength: Int) throws(SentimentModelError) {
        var reader = ByteReader(bytes)
        let prefix = Array(bytes.prefix(magic.count))
        guard prefix == magic else {
            throw prefix.count < magic.count && prefix == Array(magic.prefix(prefix.count))
                ? .truncated : .notAModelFile
        }
        _ = try reader.bytes(magic.count)
        let version = try reader.uint32()
        guard version == formatVersion else { throw .unsupportedVersion(found: version, supported: formatVersion) }
        let declared = try reader.uint64()
        guard declared <= UInt64(Int.max), Int(declared) <= fileLength else { throw .truncated }
        guard Int(declared) == fileLength else {
            throw .corrupt("\(fileLength - Int(declared)) unexpected bytes after the end of the model")
        }
    }

    /// The JSON header at `reader`'s position.
    private static func readHeader(_ reader: inout ByteReader) throws(SentimentModelError) -> Header {
        do {
            return try JSONDecoder.modelFile.decode(Header.self, from: Data(try reader.string().utf8))
        } catch let error as SentimentModelError {
            throw error
        } catch {
            throw .corrupt("unreadable header (\(error))")
        }
    }

    /// The version of the model file at `url`, from its prefix, header and stored checksum alone: the vocabulary
    /// and weights are not read, and the checksum is not recomputed (``decode(_:)`` does both before a model
    /// scores anything). For a caller that needs only the name of the model a server would use.
    static func version(ofFileAt url: URL) throws(SentimentModelError) -> String {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw .unreadable(url.path)
        }
        defer { try? handle.close() }
        func read(_ count: Int, at offset: Int) throws(SentimentModelError) -> [UInt8] {
            do {
                try handle.seek(toOffset: UInt64(offset))
                return [UInt8](try handle.read(upToCount: count) ?? Data())
            } catch {
                throw .unreadable(url.path)
            }
        }
        let fileLength: Int
        do {
            fileLength = Int(try handle.seekToEnd())
        } catch {
            throw .unreadable(url.path)
        }
        let start = try read(prefixLength + 4, at: 0)
        try checkPrefix(start, fileLength: fileLength)
        var lengthReader = ByteReader(Array(start.dropFirst(prefixLength)))
        let headerLength = Int(try lengthReader.uint32())
        // The header, then at least the vocabulary's and the tensors' counts, then the checksum.
        guard headerLength <= fileLength - prefixLength - 4 - 8 - 4 else { throw .truncated }
        var headerReader = ByteReader(try read(4 + headerLength, at: prefixLength))
        let name = try readHeader(&headerReader).name
        let stored = try read(4, at: fileLength - 4)
        return version(name: name, checksum: checksum(of: Data(stored)))
    }

    /// A model from file bytes, or the reason they are not a usable model.
    static func decode(_ data: Data) throws(SentimentModelError) -> SentimentModel {
        let bytes = [UInt8](data)
        try checkPrefix(bytes, fileLength: bytes.count)
        var reader = ByteReader(bytes)
        _ = try reader.bytes(prefixLength)
        let content = bytes.count - 4
        guard CRC32.checksum(bytes[..<content]) == checksum(of: data) else { throw .checksumMismatch }

        let header = try readHeader(&reader)
        let config = header.network
        if let problem = config.problem { throw .invalidConfiguration(problem) }
        guard header.temperature.isFinite, header.temperature > 0 else {
            throw .corrupt("the temperature is not positive")
        }

        let tokenCount = Int(try reader.uint32())
        guard tokenCount + Vocabulary.reserved.count == config.vocabularySize else {
            throw .corrupt("the vocabulary has \(tokenCount) tokens, the network expects \(config.vocabularySize - 2)")
        }
        var tokens: [String] = []
        tokens.reserveCapacity(tokenCount)
        for _ in 0..<tokenCount { tokens.append(try reader.string()) }
        let vocabulary = try Vocabulary(realTokens: tokens)

        let layout = ParameterLayout(config: config)
        guard Int(try reader.uint32()) == layout.tensors.count else {
            throw .corrupt("the number of weight tensors does not match the network")
        }
        var parameters = [Float]()
        parameters.reserveCapacity(layout.count)
        var storages = Set<WeightStorage>()
        for tensor in layout.tensors {
            let name = try reader.string()
            let rank = Int(try reader.uint32())
            guard rank <= 4 else { throw .corrupt("tensor \(name) has rank \(rank)") }
            var shape: [Int] = []
            for _ in 0..<rank { shape.append(Int(try reader.uint32())) }
            guard name == tensor.name, shape == tensor.shape else {
                throw .corrupt("expected tensor \(tensor.name) \(tensor.shape), found \(name) \(shape)")
            }
            guard let storage = WeightStorage(tag: try reader.uint8()) else {
                throw .corrupt("tensor \(name) has an unknown storage type")
            }
            storages.insert(storage)
            let values = storage == .float32 ? try reader.floats(tensor.count) : try reader.halves(tensor.count)
            guard values.allSatisfy(\.isFinite) else { throw .corrupt("tensor \(name) holds non-finite values") }
            parameters.append(contentsOf: values)
        }
        guard reader.remaining == 4 else { throw .corrupt("unexpected bytes after the weights") }
        guard storages.count <= 1 else { throw .corrupt("tensors are stored with mixed precisions") }
        guard parameters[layout.embedding..<(layout.embedding + config.embeddingSize)].allSatisfy({ $0 == 0 }) else {
            throw .corrupt("the embedding of id 0 (\"nothing\") is not zero")
        }
        return SentimentModel(
            name: header.name, tokenizer: Tokenizer(unit: header.tokenUnit, vocabulary: vocabulary),
            network: Network(config: config, parameters: parameters), temperature: header.temperature,
            training: header.training, storage: storages.first ?? .float32, fileChecksum: checksum(of: data))
    }

    private static func headerJSON(_ header: Header) -> Data {
        // Plain Codable values with non-finite floats spelled as strings: encoding cannot fail.
        (try? JSONEncoder.modelFile.encode(header)) ?? Data("{}".utf8)
    }
}

extension JSONEncoder {
    /// Deterministic JSON for model files: sorted keys, ISO 8601 dates.
    static var modelFile: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }
}

extension JSONDecoder {
    /// The decoder matching ``JSONEncoder/modelFile``.
    static var modelFile: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
