import Foundation
import Sentiment

/// The HTTP endpoint and the sentiment model of `ondo serve` (the `server` section of `config/ondo.json`).
public struct ServerSettings: Sendable, Equatable {
    /// Address the HTTP endpoint binds; env `ONDO_HTTP_HOST`. Default `127.0.0.1` (set `0.0.0.0` in a container).
    public var httpHost = "127.0.0.1"
    /// Port of `/healthz`, `/readyz`, `/metrics`; 0 picks a free one (logged); flag `--http-port`, env
    /// `ONDO_HTTP_PORT`. Default 8080.
    public var httpPort = 8080
    /// The sentiment model file; flag `--model`, env `ONDO_SENTIMENT_MODEL`. Default: the shipped model found
    /// under `models/` (see the README).
    public var modelPath: String?
    /// The setting that named `modelPath` (`--model`, `ONDO_SENTIMENT_MODEL`, `server.modelPath in FILE`), for the
    /// error when the file cannot be used.
    public var modelPathSetting: String?
    /// A review scoring at or above this probability is labelled positive. Default 0.5.
    public var positiveThreshold = 0.5
    /// Benchmarks only: score every review 0.5 without running the model, to measure the queue and database
    /// path alone; flag `--stand-in-model`. Default false.
    public var standInModel = false

    /// The defaults.
    public init() {}

    /// Uses the model file at `path`, named by `setting` (a command's `--model`).
    public mutating func useModel(_ path: String, namedBy setting: String) {
        (modelPath, modelPathSetting) = (path, setting)
    }

    /// These settings as read from the configuration file at `path`: the model's setting names the file.
    func namingTheFile(_ path: String) -> ServerSettings {
        var settings = self
        settings.modelPathSetting = modelPathSetting.map { "\($0) in \(path)" }
        return settings
    }

    /// The error for the model file at `url` that cannot be used, naming the setting that chose it (none when the
    /// shipped model was found by the search).
    func modelRefusal(_ url: URL, _ error: any Error) -> ConfigurationError {
        let named = modelPath == nil ? "" : modelPathSetting.map { " (named by \($0))" } ?? ""
        return ConfigurationError(
            code: .invalidValue, message: "cannot use the sentiment model \(url.path)\(named): \(error)")
    }

    /// A sentence per problem; empty when valid.
    public func problems() -> [String] {
        var found: [String] = []
        if !(0...65_535).contains(httpPort) {
            found.append("server.httpPort must be between 0 and 65535 (it is \(httpPort))")
        }
        if !(0...1).contains(positiveThreshold) {
            found.append("server.positiveThreshold must be between 0 and 1 (it is \(positiveThreshold))")
        }
        return found
    }

    /// Overrides from `ONDO_HTTP_HOST`, `ONDO_HTTP_PORT`, `ONDO_SENTIMENT_MODEL` (empty values are ignored).
    func applyingEnvironment(_ environment: [String: String]) throws -> ServerSettings {
        var settings = self
        if let host = environment["ONDO_HTTP_HOST"], !host.isEmpty { settings.httpHost = host }
        if let model = environment[ModelLocator.environmentVariable], !model.isEmpty {
            settings.useModel(model, namedBy: ModelLocator.environmentVariable)
        }
        settings.httpPort =
            try EnvironmentNumber.wholeNumber("ONDO_HTTP_PORT", in: environment, range: 0...65_535) ?? settings.httpPort
        return settings
    }
}

extension ServerSettings: Decodable {
    private enum CodingKeys: String, CodingKey, CaseIterable {
        case httpHost, httpPort, modelPath, positiveThreshold, standInModel
    }

    /// Keys present in the file replace the defaults; unknown keys are errors.
    public init(from decoder: any Decoder) throws {
        try SettingsKey.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), section: "server")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        httpHost = try c.decodeIfPresent(String.self, forKey: .httpHost) ?? httpHost
        httpPort = try c.decodeIfPresent(Int.self, forKey: .httpPort) ?? httpPort
        modelPath = try c.decodeIfPresent(String.self, forKey: .modelPath)
        modelPathSetting = modelPath == nil ? nil : "server.modelPath"
        positiveThreshold = try c.decodeIfPresent(Double.self, forKey: .positiveThreshold) ?? positiveThreshold
        standInModel = try c.decodeIfPresent(Bool.self, forKey: .standInModel) ?? standInModel
    }
}
