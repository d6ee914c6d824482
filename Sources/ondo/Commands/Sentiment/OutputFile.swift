import Foundation

/// The files a sentiment command writes, checked before it reads or trains anything: a model is written only
/// after minutes of training, and a failed write at the end would lose them.
enum OutputFile {
    /// Throws a sentence naming `option` unless a file can be written at `path`: not a folder, not a file that
    /// exists unless `overwrite` (a model that took hours to train, the shipped one included, or a data file is
    /// never replaced by mistake), in a folder that exists and lets a file be created (tried with a probe file,
    /// which also catches read-only file systems and permissions an `access` check misses for root).
    static func check(_ path: String, option: String, overwrite: Bool) throws {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw CommandError("\(option) \(path) is a folder; name the file to write") }
            if !overwrite {
                throw CommandError("\(option) \(path) exists; name another file, or give --overwrite to replace it")
            }
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        guard fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandError("\(option) \(path): there is no folder \(folder.path)")
        }
        let probe = folder.appendingPathComponent(".ondo-write-check-\(getpid())-\(UUID().uuidString)")
        guard fileManager.createFile(atPath: probe.path, contents: nil) else {
            throw CommandError("\(option) \(path): cannot create a file in \(folder.path)")
        }
        try? fileManager.removeItem(at: probe)
    }

    /// True when `a` and `b` name the same file (after resolving `.`, `..` and symbolic links).
    static func same(_ a: String, _ b: String) -> Bool {
        func resolved(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
        return resolved(a) == resolved(b)
    }
}
