import OndoServer

extension CommonOptions {
    /// Runs `body` with the operator operations on this command's configuration, closing their pool after.
    func withOperations<Result>(label: String, _ body: (Operations) async throws -> Result) async throws -> Result {
        let operations = try Operations(configuration: loadConfiguration(), logger: makeLogger(label: label))
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
