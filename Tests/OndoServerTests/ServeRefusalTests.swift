import CRMStore
import Foundation
import Postgres
import TestSupport
import Testing

extension PipelineTests {
    /// RELIABILITY.md B7 and S5 at the level of the `ondo` executable: a damaged model stops `ondo serve` before
    /// it scores anything, and no password reaches a log line, an error or the process's command line.
    @Suite struct Refusals {
        @Test func serveRefusesADamagedModelAndScoresNothing() async throws {  // B7
            let harness = try await PipelineHarness.make("bad_model")
            try await harness.addCustomers(1...1)
            try await harness.addReview(id: 1, customer: 1, rating: 5, body: "재구매 의사 있어요 최고")
            let shipped = try Data(contentsOf: URL(fileURLWithPath: PipelineHarness.modelPath))
            var corrupt = shipped
            corrupt[shipped.count / 2] ^= 0x10
            var otherVersion = shipped
            otherVersion[8] = 2
            let damaged: [(name: String, data: Data, says: String)] = [
                ("truncated", shipped.prefix(shipped.count - 100), "truncated"),
                ("corrupt", corrupt, "corrupt"),
                ("wrong version", otherVersion, "version 2"),
                ("empty", Data(), "truncated"),
            ]
            for model in damaged {
                let path = NSTemporaryDirectory() + "ondo-damaged-\(UUID().uuidString).model"
                try model.data.write(to: URL(fileURLWithPath: path))
                defer { unlink(path) }
                let server = try harness.startServer(environment: ["ONDO_SENTIMENT_MODEL": path])
                let outcome = try await server.waitForExit(seconds: 30)
                print(
                    "B7 \(model.name) model: exit \(outcome.status); \(outcome.standardError.split(separator: "\n").last ?? "")"
                )
                #expect(outcome.status != 0, "\(model.name): ondo serve must not start")
                #expect(outcome.standardError.contains(path), "\(model.name): the error names the file")
                #expect(outcome.standardError.contains(model.says), "\(model.name): \(outcome.standardError)")
            }
            let scored = try await harness.db.withConnection {
                try $0.queryValue(Int.self, "SELECT count(*) FROM crm.review_sentiment")
            }
            let status = try await harness.db.withConnection {
                try $0.queryValue(String.self, "SELECT status FROM crm.review_work WHERE review_id = 1")
            }
            #expect(scored == 0, "nothing was scored with a damaged model")
            #expect(status == "pending", "the review waits for a server with a sound model")
        }

        /// A server does not start on a database a newer Ondo migrated: its code may not fit that schema. It says so
        /// before its HTTP endpoint listens.
        @Test func serveRefusesADatabaseMigratedByANewerOndo() async throws {
            let harness = try await PipelineHarness.make("newer_schema")
            try await harness.db.withConnection(as: .admin) { admin in
                try admin.execute(
                    """
                    INSERT INTO ondo_meta.schema_migrations (version, name, checksum, execution_ms)
                    VALUES (\(SchemaVersion.expected + 1), 'from_the_future.sql', 'x', 0)
                    """)
            }
            let server = try harness.startServer()
            let outcome = try await server.waitForExit(seconds: 60)
            print(
                "serve on a newer schema: exit \(outcome.status); \(outcome.standardError.split(separator: "\n").last ?? "")"
            )
            #expect(outcome.status != 0)
            #expect(outcome.standardError.contains("migrated by a newer Ondo"), "\(outcome.standardError)")
            // Refused before the HTTP endpoint listens: a script or health check that waits for the port must not see
            // a server up that is about to exit 1. It printed "listening on port N" first.
            #expect(!outcome.standardOutput.contains("listening on port"), "\(outcome.standardOutput)")
        }

        /// An address the HTTP endpoint cannot bind is named in the error, with the settings that chose it.
        @Test func anAddressItCannotListenOnIsNamed() async throws {
            let harness = try await PipelineHarness.make("bad_http_host")
            let server = try harness.startServer(environment: ["ONDO_HTTP_HOST": "192.0.2.1"])
            let outcome = try await server.waitForExit(seconds: 60)
            print(
                "HTTP on 192.0.2.1: exit \(outcome.status); \(outcome.standardError.split(separator: "\n").last ?? "")")
            #expect(outcome.status != 0)
            #expect(
                outcome.standardError.contains("cannot listen for HTTP on 192.0.2.1 port 0"), "\(outcome.standardError)"
            )
            // The variable it came from is among the settings named, and the reason is the system's sentence, not
            // NIO's system call ("bind(descriptor:ptr:bytes:): Cannot assign requested address) (errno: 99)").
            #expect(outcome.standardError.contains("ONDO_HTTP_HOST"), "\(outcome.standardError)")
            #expect(outcome.standardError.contains("): Cannot assign requested address\n"), "\(outcome.standardError)")
            #expect(!outcome.standardError.contains("bind("), "\(outcome.standardError)")
        }

        /// The model file comes from `--model`, else `ONDO_SENTIMENT_MODEL`, else `server.modelPath` in the file:
        /// each missing model is the one the error names.
        @Test func theModelFlagOutranksTheEnvironmentWhichOutranksTheFile() async throws {
            let harness = try await PipelineHarness.make("model_priority")
            let config = NSTemporaryDirectory() + "ondo-model-config-\(UUID().uuidString).json"
            try Data(#"{"server": {"modelPath": "/nonexistent/from-file.model"}}"#.utf8)
                .write(to: URL(fileURLWithPath: config))
            defer { unlink(config) }
            var environment = harness.db.environment(as: .app)
            environment["ONDO_CONFIG"] = config
            func refusal(_ flags: [String], _ extra: [String: String]) async throws -> String {
                let server = try OndoProcess.start(
                    ["serve", "--http-port", "0"] + flags, environment: environment.merging(extra) { $1 })
                let outcome = try await server.waitForExit(seconds: 30)
                #expect(outcome.status != 0, "ondo serve must not start without its model")
                return outcome.standardError
            }
            let fromFile = try await refusal([], [:])
            #expect(fromFile.contains("/nonexistent/from-file.model"), "\(fromFile)")
            let fromEnvironment = try await refusal([], ["ONDO_SENTIMENT_MODEL": "/nonexistent/from-env.model"])
            #expect(fromEnvironment.contains("/nonexistent/from-env.model"), "\(fromEnvironment)")
            let fromFlag = try await refusal(
                ["--model", "/nonexistent/from-flag.model"], ["ONDO_SENTIMENT_MODEL": "/nonexistent/from-env.model"])
            #expect(fromFlag.contains("/nonexistent/from-flag.model"), "\(fromFlag)")
            #expect(!fromFlag.contains("from-env"), "\(fromFlag)")
        }

        @Test func passwordsReachNoLogNoErrorAndNoCommandLine() async throws {  // S5
            let harness = try await PipelineHarness.make("secrets")
            let secret = "s3cret-\(UUID().uuidString.prefix(8))"
            let passwordFile = NSTemporaryDirectory() + "ondo-password-\(UUID().uuidString)"
            try Data((secret + "\n").utf8).write(to: URL(fileURLWithPath: passwordFile))
            defer { unlink(passwordFile) }

            // A server at trace level, with its password in a file: the password appears nowhere.
            let server = try harness.startServer(
                logLevel: "trace", environment: ["ONDO_DATABASE_PASSWORD_FILE": passwordFile])
            _ = try await harness.httpPort(of: server)
            try await harness.addCustomers(1...1)
            try await harness.addReview(id: 1, customer: 1, rating: 1, body: "배송이 너무 늦고 포장도 엉망이에요")
            try await harness.waitForAllReviewsProcessed(timeout: 30)
            let commandLine = (try? String(contentsOfFile: "/proc/\(server.pid)/cmdline", encoding: .utf8)) ?? ""
            let served = try await server.stop()
            #expect(served.status == 0, "\(served.standardError)")
            #expect(!commandLine.isEmpty)
            for (name, text) in [
                ("log", served.standardError), ("output", served.standardOutput), ("command line", commandLine),
            ] {
                #expect(!text.contains(secret), "the password is in the server's \(name)")
            }

            // A password written into the URL itself (discouraged) stays out of the error when connecting fails,
            // and on the command line the URL is refused without repeating it.
            let url = "postgresql://shop:\(secret)@127.0.0.1:1/ondo"
            let failed = try await OndoExecutable.run(["reviews", "status"], environment: ["ONDO_DATABASE_URL": url])
            print("S5 failed connection: \(failed.standardError.split(separator: "\n").first ?? "")")
            #expect(failed.status != 0)
            #expect(
                failed.standardError.contains("127.0.0.1"), "the error says where it tried: \(failed.standardError)")
            let refused = try await OndoExecutable.run(["reviews", "status", "--database-url", url])
            #expect(refused.status == 64, "a usage error, refused before anything runs")
            #expect(refused.standardError.contains("Error: the URL given with --database-url contains a password"))
            #expect(refused.standardError.contains("Usage: ondo reviews status"), "\(refused.standardError)")
            for outcome in [failed, refused] {
                #expect(!outcome.standardError.contains(secret) && !outcome.standardOutput.contains(secret))
            }
        }
    }
}
