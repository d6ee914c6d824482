import Foundation
import TestSupport
import Testing

/// `ondo --help`, the first thing a new user reads, promises only what the commands do.
@Suite struct OndoHelpTests {
    /// Promotion campaigns are not built (the README's status says so) and no subcommand runs one, so the overview
    /// does not offer them. It said "review sentiment, customer state and promotions".
    @Test func theOverviewOffersNoPromotionsWhileNoCommandRunsThem() async throws {
        let help = try await OndoExecutable.run(["--help"])
        #expect(help.status == 0)
        let overview = help.standardOutput.components(separatedBy: "USAGE:")[0].split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
        let subcommands = help.standardOutput.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        #expect(overview.contains("review sentiment and customer states"))
        #expect(!subcommands.contains("campaign") && !subcommands.contains("promotion"))
        #expect(!overview.contains("and promotions"))
    }

    /// Every example in every `--help` is printed whole, names only options its command has, and `ondo generate`'s
    /// are the README's. The large-shop example of `ondo generate --help` lacked the README's `--embedded` (as
    /// printed it needed a database URL); once given, it was wrapped at 80 columns with `--embedded` on a line of
    /// its own, as `roles add-login`'s and `sentiment train`'s examples were (`--role shop --password-stdin`).
    @Test func everyExampleIsWholeUsesItsCommandsOptionsAndGenerateMatchesTheREADME() async throws {
        var examples: [String: [String]] = [:]
        var pending: [[String]] = [[]]
        while let path = pending.popLast() {
            let command = (["ondo"] + path).joined(separator: " ")
            // A pipe's width (80 columns), and one wide enough that nothing wraps: the examples must be the same.
            let help = try await OndoExecutable.run(path + ["--help"], environment: ["COLUMNS": "80"])
            let wide = try await OndoExecutable.run(path + ["--help"], environment: ["COLUMNS": "1000"])
            #expect(help.status == 0, "\(command) --help: \(help.standardError)")
            // The overview of `ondo` itself names subcommands in its prose; they have their own examples.
            let found = path.isEmpty ? [] : Self.examples(of: command, in: help.standardOutput)
            #expect(found == Self.examples(of: command, in: wide.standardOutput), "\(command) --help wraps an example")
            examples[command] = found
            // Every option the help defines, in any of its sections: a line that begins with it.
            let options = Set(
                help.standardOutput.components(separatedBy: "USAGE:").last!.split(separator: "\n").compactMap {
                    $0.firstMatch(of: /^  (?:-[a-zA-Z], )?(--[a-z0-9-]+)/).map { String($0.output.1) }
                })
            for example in found {
                for flag in example.matches(of: /--[a-z0-9-]+/).map({ String($0.output) }) {
                    #expect(options.contains(flag), "\(example): \(command) has no \(flag)")
                }
            }
            let subcommands = help.standardOutput.components(separatedBy: "SUBCOMMANDS:").dropFirst().first ?? ""
            for line in subcommands.split(separator: "\n") {
                guard let name = line.firstMatch(of: /^  ([a-z][a-z-]*)/)?.output.1, name != "help" else { continue }
                pending.append(path + [String(name)])
            }
        }
        #expect(examples.values.joined().count >= 20, "examples found: \(examples)")

        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        let block =
            readme.components(separatedBy: "## `ondo generate`").dropFirst().first?
            .components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first ?? ""
        let readmeExamples = block.split(separator: "\n").map {
            ($0.components(separatedBy: "#").first ?? "").trimmingCharacters(in: .whitespaces)
        }
        #expect(!readmeExamples.isEmpty)
        #expect(examples["ondo generate"] == readmeExamples, "help: \(examples["ondo generate"] ?? [])")
    }

    /// The examples of `command` in its help's overview: from `command` to the end of its line, with the lines a
    /// trailing `\` continues.
    static func examples(of command: String, in help: String) -> [String] {
        let lines = help.components(separatedBy: "USAGE:")[0].split(separator: "\n").map(String.init)
        var found: [String] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let start = line.range(of: command + " ") ?? (trimmed == command ? line.range(of: command) : nil)
            else { continue }
            var example = String(line[start.lowerBound...]).trimmingCharacters(in: .whitespaces)
            var next = index + 1
            while example.hasSuffix("\\"), next < lines.count {
                example =
                    example.dropLast().trimmingCharacters(in: .whitespaces) + " "
                    + lines[next].trimmingCharacters(in: .whitespaces)
                next += 1
            }
            found.append(example)
        }
        return found
    }

    /// The operator commands' --format said only its values ("table or json. (values: table, json; default: table)"),
    /// and --min-risk and reviews retry --discarded little more than their names. Each says what it is for now.
    @Test func theOperatorCommandsFlagsSayWhatTheyAreFor() async throws {
        let expected: [([String], [String])] = [
            (["customer", "show"], ["json for scripts (keys in snake_case, an absent value null)"]),
            (
                ["customer", "list"],
                ["csv (RFC 4180, a header line) for a spreadsheet, with --limit 0 for all", "0.5: the riskier half"]
            ),
            (["reviews", "status"], ["json for scripts (the review queue's keys at the top level)"]),
            (["reviews", "retry"], ["Re-queue every discarded review (report.discarded_reviews lists them"]),
            (
                ["serve"],
                [
                    "ONDO_DATABASE_LISTEN_URL (database.listenUrl; default: the database URL) is the connection of the "
                        + "notification listener alone",
                    "behind a transaction pooler (PgBouncer pool_mode = transaction), which passes no notification on, "
                        + "point it straight at PostgreSQL",
                ]
            ),
        ]
        for (command, phrases) in expected {
            let help = try await OndoExecutable.run(command + ["--help"])
            let words = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            for phrase in phrases {
                #expect(words.contains(phrase), "\(command): \(help.standardOutput)")
            }
        }
    }
}
