import Foundation

/// A trained sentiment model: tokenizer, network and calibration. Immutable once made, so one
/// instance can score reviews from many threads at once.
public final class SentimentModel: Sendable {
    /// The file name of the shipped Korean model under `models/`.
    public static let defaultFileName = "ondo-sentiment-ko.model"

    /// The model's name (the file name it was trained for, without extension).
    public let name: String
    /// Text → token ids.
    public let tokenizer: Tokenizer
    /// Network shape and weights.
    let network: Network
    /// Calibration temperature: probabilities are `σ(logit / temperature)`.
    public let temperature: Float
    /// How the model was trained, when it was trained by Ondo.
    public let training: TrainingRecord?
    /// Precision of the weights in the model file.
    public let storage: WeightStorage
    /// Scratch memory reused between calls.
    private let workspaces = WorkspacePool()
    /// Stable id of this exact model: name and the first 8 hex digits of its file checksum.
    /// Stored next to every score so that a score can be traced to the model that produced it.
    public let version: String

    /// A model from its parts; with `.float16` storage the weights are rounded to half precision
    /// here, so that the model in memory is exactly the one its file holds. `fileChecksum` is given
    /// when the parts were just read from a file with that checksum: its weights are already in
    /// their storage precision, and encoding the whole model again only to learn the checksum that
    /// names its version would redo the work (a round trip is byte-exact, which a test checks).
    init(
        name: String, tokenizer: Tokenizer, network: Network, temperature: Float, training: TrainingRecord?,
        storage: WeightStorage = .float32, fileChecksum: UInt32? = nil
    ) {
        var network = network
        if storage != .float32 && fileChecksum == nil { network.parameters = network.parameters.map(storage.round) }
        self.name = name
        self.tokenizer = tokenizer
        self.network = network
        self.temperature = temperature
        self.training = training
        self.storage = storage
        let checksum =
            fileChecksum
            ?? ModelFile.checksum(
                of: ModelFile.encode(
                    name: name, tokenizer: tokenizer, network: network, temperature: temperature, training: training,
                    storage: storage))
        self.version = ModelFile.version(name: name, checksum: checksum)
    }

    /// The network's hyper-parameters.
    public var configuration: NetworkConfig { network.config }

    /// Number of trainable weights.
    public var parameterCount: Int { network.parameterCount }

    /// Reads a model file; fails with a ``SentimentModelError`` when the file is missing,
    /// truncated, corrupt or of another format version.
    public static func load(contentsOf url: URL) throws(SentimentModelError) -> SentimentModel {
        try BLASRuntime.checkCPU()
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(url.path)
        }
        return try ModelFile.decode(data)
    }

    /// The ``version`` of the model file at `url`, read from its header and stored checksum without loading the
    /// model: the vocabulary and weights are neither read nor checked, so a file this accepts may still be refused
    /// by ``load(contentsOf:)``.
    public static func version(ofFileAt url: URL) throws(SentimentModelError) -> String {
        try ModelFile.version(ofFileAt: url)
    }

    /// The model as model-file bytes.
    public func fileData() -> Data {
        ModelFile.encode(
            name: name, tokenizer: tokenizer, network: network, temperature: temperature, training: training,
            storage: storage)
    }

    /// Writes the model file to `url` (atomically: a reader never sees half a file).
    public func write(to url: URL) throws(SentimentModelError) {
        do {
            try fileData().write(to: url, options: .atomic)
        } catch {
            throw .io(path: url.path, reason: error.localizedDescription)
        }
    }

    /// The probability that each review is positive, in input order.
    public func predict(_ texts: [String]) -> [Float] {
        logits(texts).map { Activation.sigmoid($0 / temperature) }
    }

    /// The network's raw output for each review (before calibration), in input order; long inputs
    /// are cut into sub-batches spread over `threads` threads.
    func logits(_ texts: [String], threads: Int = SentimentModel.defaultThreads) -> [Float] {
        BatchScorer(network: network, tokenizer: tokenizer, pool: workspaces).logits(texts, threads: threads)
    }

    /// The network's raw output for already-encoded reviews (``Tokenizer/encode(_:)``), in input order.
    func logits(encoded: [[Int32]], threads: Int = SentimentModel.defaultThreads) -> [Float] {
        BatchScorer(network: network, tokenizer: tokenizer, pool: workspaces).logits(encoded: encoded, threads: threads)
    }

    /// Threads used for scoring large batches: the machine's cores, at most 4.
    static var defaultThreads: Int { min(ProcessInfo.processInfo.activeProcessorCount, 4) }
}
