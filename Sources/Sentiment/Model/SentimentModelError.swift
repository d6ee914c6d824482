/// Why a model could not be loaded, saved or built. Every case reads as a sentence for the CLI;
/// a model is never used half-loaded.
public enum SentimentModelError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist.
    case fileNotFound(path: String)
    /// The file exists but could not be read or written.
    case io(path: String, reason: String)
    /// The file does not start with the model file's magic bytes.
    case notAModelFile
    /// The file is a model file of a format version this build does not read.
    case unsupportedVersion(found: UInt32, supported: UInt32)
    /// The file ends before its content does.
    case truncated
    /// The file's checksum does not match its content.
    case checksumMismatch
    /// The content is structurally wrong (described).
    case corrupt(String)
    /// The hyper-parameters cannot build a network (described).
    case invalidConfiguration(String)
    /// This build cannot run on this CPU (described).
    case unsupportedCPU(String)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .fileNotFound(let path): "no model file at \(path)"
        case .io(let path, let reason): "cannot access the model file \(path): \(reason)"
        case .notAModelFile: "this is not an Ondo sentiment model file (wrong magic bytes)"
        case .unsupportedVersion(let found, let supported):
            "the model file has format version \(found), but this build of Ondo reads version \(supported)"
        case .truncated: "the model file is truncated (it ends before its content does)"
        case .checksumMismatch: "the model file is corrupt (its checksum does not match its content)"
        case .corrupt(let detail): "the model file is corrupt: \(detail)"
        case .invalidConfiguration(let detail): "invalid model configuration: \(detail)"
        case .unsupportedCPU(let detail): detail
        }
    }
}

extension SentimentModelError {
    /// Why the file at `path` could not be read, checked in the order that tells the user most: missing, a folder,
    /// not readable by this user, else a read error.
    static func unreadable(_ path: String) -> SentimentModelError {
        switch FileAccessProblem(path: path) {
        case .missing: .fileNotFound(path: path)
        case let problem?: .io(path: path, reason: problem.rawValue)
        case nil: .io(path: path, reason: "cannot read it")
        }
    }
}
