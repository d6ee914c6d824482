import Foundation

/// What the file system says about a file that could not be read, checked in the order that tells the user most:
/// missing, a folder, not readable by this user. Shared by the data files and the model files.
enum FileAccessProblem: String {
    case missing = "no such file"
    case folder = "it is a folder"
    case forbidden = "permission denied"

    /// The problem with `path`, or nil when it is a readable file (the read failed for another reason).
    init?(path: String) {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            self = .missing
        } else if isFolder.boolValue {
            self = .folder
        } else if !FileManager.default.isReadableFile(atPath: path) {
            self = .forbidden
        } else {
            return nil
        }
    }
}
