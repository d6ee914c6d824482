import OndoServer

extension CommonOptions {
    /// Runs `body` with the operator operations on this command's configuration (the embedded cluster with
    /// `--embedded`), adjusted by `configure` (a command's own flags), closing their pool after.
    func withOperations<Result>(
        label: String, configure: (inout OndoConfiguration) -> Void = { _ in },
        _ body: (Operations) async throws -> Result
    ) async throws -> Result {
        let logger = makeLogger(label: label)
        return try await withDatabase(logger: logger) { loaded in
            var configuration = loaded
            configure(&configuration)
            let operations = try Operations(configuration: configuration, logger: logger)
            do {
                let result = try await body(operations)
                await operations.close()
                return result
            } catch {
                await operations.close()
                throw error
            }
        }
    }
}
