import Foundation

/// Finds the model file to use when none is named: the `ONDO_SENTIMENT_MODEL` environment
/// variable, else `models/<default name>` in the executable's folder or the current folder or any
/// of their parents (a checkout of the repository), else the packaged location
/// `/usr/share/ondo/models/` (the Docker image).
public enum ModelLocator {
    /// The environment variable naming a model file.
    public static let environmentVariable = "ONDO_SENTIMENT_MODEL"
    /// Where packages install the model.
    public static let systemDirectory = "/usr/share/ondo/models"

    /// Why no model file was found.
    public struct NotFound: Error, CustomStringConvertible {
        /// The places searched, in order.
        public var searched: [String]

        /// A sentence for the user.
        public var description: String {
            "no sentiment model found; name one with --model or \(ModelLocator.environmentVariable) (searched: "
                + searched.joined(separator: ", ") + ")"
        }
    }

    /// The setting that names the file ``locate(explicit:environment:executable:currentDirectory:fileName:exists:)``
    /// returns: `option` (the command-line option that gave `explicit`), else the environment variable when set, else
    /// nil (the search found it). Errors about the file name it, so the operator knows what to correct.
    public static func setting(
        explicit: String?, option: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if explicit != nil { return option }
        return environment[environmentVariable].flatMap { $0.isEmpty ? nil : environmentVariable }
    }

    /// The model file to use: `explicit` if given, then the environment, then the search.
    public static func locate(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Bundle.main.executableURL,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        fileName: String = SentimentModel.defaultFileName,
        exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) throws(NotFound) -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        if let named = environment[environmentVariable], !named.isEmpty { return URL(fileURLWithPath: named) }
        var searched: [String] = []
        let starts = [executable?.resolvingSymlinksInPath().deletingLastPathComponent(), currentDirectory].compactMap {
            $0
        }
        for start in starts {
            var directory = start.standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent("models").appendingPathComponent(fileName)
                if exists(candidate.path) { return candidate }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
            searched.append("models/\(fileName) above \(start.path)")
        }
        let system = URL(fileURLWithPath: systemDirectory).appendingPathComponent(fileName)
        if exists(system.path) { return system }
        searched.append(system.path)
        throw NotFound(searched: searched)
    }
}
