import CRM
import Foundation

/// Everything Ondo can be configured with, filled in this order: defaults, the JSON file (`config/ondo.json`, or
/// `--config` / `ONDO_CONFIG`), environment variables, then command-line flags.
///
/// Each section is a struct with documented defaults. To add one: a property here, a line in `init(from:)` and
/// in `applyingEnvironment(_:)`, and its own `…Settings` file like `DatabaseSettings`.
public struct OndoConfiguration: Sendable {
    /// How to reach PostgreSQL.
    public var database: DatabaseSettings
    /// How `ondo serve` processes work.
    public var pipeline = PipelineSettings()
    /// The customer-state rules' thresholds and weights (see `CRM.StateRules` for each default).
    public var states = StateRules()
    /// Complaint aspects and their keywords; replaces the built-in Korean lexicon when given.
    public var aspects = AspectLexicon.korean
    /// The HTTP endpoint and the sentiment model.
    public var server = ServerSettings()

    /// The built-in defaults.
    public init(database: DatabaseSettings = DatabaseSettings()) {
        self.database = database
    }

    /// Every problem of every section, as sentences; empty when the configuration is usable.
    public func problems() -> [String] {
        pipeline.problems() + states.problems().map { "states: \($0)" } + aspects.problems().map { "aspects: \($0)" }
            + server.problems()
    }

    /// Throws one error listing every problem.
    public func validate() throws {
        let found = problems()
        guard found.isEmpty else {
            throw ConfigurationError(code: .invalidValue, message: found.joined(separator: "; "))
        }
    }

    /// The file read when neither `--config` nor `ONDO_CONFIG` names one (relative to the working directory).
    public static let defaultFile = "config/ondo.json"

    /// Loads the configuration: defaults, then the file, then the environment.
    ///
    /// `file` (from `--config`) or `ONDO_CONFIG` must exist when given; the default file is optional.
    public static func load(
        file: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> OndoConfiguration {
        var configuration = OndoConfiguration()
        // An empty ONDO_CONFIG means unset, as for every other ONDO_ variable (a blank line in an env file).
        if let file {
            configuration = try read(file, namedBy: "--config")
        } else if let path = environment["ONDO_CONFIG"], !path.isEmpty {
            configuration = try read(path, namedBy: "ONDO_CONFIG")
        } else if FileManager.default.fileExists(atPath: defaultFile) {
            configuration = try read(defaultFile)
        }
        return try configuration.applyingEnvironment(environment)
    }

    /// Parses a configuration file; missing sections and keys keep their defaults, unknown keys are errors.
    /// `source` names the setting that chose the file (`--config`, `ONDO_CONFIG`) in the error when it cannot be read.
    public static func read(_ path: String, namedBy source: String? = nil) throws -> OndoConfiguration {
        let data = try ConfigurationFileContents.read(path, namedBy: source)
        if let repeated = DuplicateJSONKeys.first(in: Array(data)) {
            throw ConfigurationError(
                code: .invalidFile,
                message: "\(path): \(repeated) is given twice; keep one (a JSON reader would silently use the first)")
        }
        do {
            var configuration = try JSONDecoder().decode(OndoConfiguration.self, from: data)
            try configuration.database.checkURLsInFile(path)
            configuration.database = configuration.database.namingTheFile(path)
            configuration.server = configuration.server.namingTheFile(path)
            return configuration
        } catch let error as DecodingError {
            throw ConfigurationError(code: .invalidFile, message: "\(path): \(Self.explain(error, in: data))")
        } catch let error as SettingsKeyError {
            throw ConfigurationError(code: .invalidFile, message: "\(path): \(error.message)")
        } catch let error as ConfigurationError where !error.message.hasPrefix(path) {
            throw ConfigurationError(code: .invalidFile, message: "\(path): \(error.message)")
        }
    }

    /// The environment's overrides on top of this configuration.
    public func applyingEnvironment(_ environment: [String: String]) throws -> OndoConfiguration {
        var configuration = self
        configuration.database = try database.applyingEnvironment(environment)
        configuration.pipeline = try pipeline.applyingEnvironment(environment)
        configuration.server = try server.applyingEnvironment(environment)
        return configuration
    }
}

extension OndoConfiguration: Decodable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case database, pipeline, states, aspects, server
    }

    /// Decodes the sections present in the file; unknown top-level keys are errors (typos must not pass).
    public init(from decoder: any Decoder) throws {
        try SettingsKey.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), section: nil)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            database: try container.decodeIfPresent(DatabaseSettings.self, forKey: .database) ?? DatabaseSettings())
        pipeline = try container.decodeIfPresent(PipelineSettings.self, forKey: .pipeline) ?? pipeline
        server = try container.decodeIfPresent(ServerSettings.self, forKey: .server) ?? server
        if container.contains(.states) {
            try SettingsKey.rejectUnknownKeys(
                in: try container.superDecoder(forKey: .states), known: SettingsKey.propertyNames(of: StateRules()),
                section: "states")
            states = try container.decode(StateRules.self, forKey: .states)
        }
        if container.contains(.aspects) {
            aspects = AspectLexicon(keywords: try container.decode([String: [String]].self, forKey: .aspects))
        }
        try validate()
    }
}

/// Any key, for spotting unknown ones.
struct SettingsKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }

    /// The stored property names of a value (the keys its synthesized `Codable` conformance uses).
    static func propertyNames(of value: Any) -> [String] {
        Mirror(reflecting: value).children.compactMap(\.label)
    }

    static func rejectUnknownKeys(in decoder: any Decoder, known: [String], section: String?) throws {
        let container = try decoder.container(keyedBy: SettingsKey.self)
        if let unknown = container.allKeys.map(\.stringValue).first(where: { !known.contains($0) }) {
            let place = section.map { "in \"\($0)\"" } ?? "at the top level"
            throw SettingsKeyError(
                message: "unknown setting \"\(unknown)\" \(place) (known: \(known.joined(separator: ", ")))")
        }
    }
}

struct SettingsKeyError: Error {
    var message: String
}
