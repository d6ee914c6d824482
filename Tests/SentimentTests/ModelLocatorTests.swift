import Foundation
import Testing

@testable import Sentiment

@Suite struct ModelLocatorTests {
    let name = SentimentModel.defaultFileName

    @Test func explicitPathWinsThenTheEnvironment() throws {
        let explicit = try ModelLocator.locate(
            explicit: "/x/a.model", environment: [ModelLocator.environmentVariable: "/y/b.model"],
            exists: { _ in false })
        #expect(explicit.path == "/x/a.model")
        let environment = try ModelLocator.locate(
            explicit: nil, environment: [ModelLocator.environmentVariable: "/y/b.model"], exists: { _ in false })
        #expect(environment.path == "/y/b.model")
    }

    @Test func searchesUpwardFromTheExecutableThenTheCurrentFolder() throws {
        let found = try ModelLocator.locate(
            explicit: nil, environment: [:], executable: URL(fileURLWithPath: "/repo/.build/release/ondo"),
            currentDirectory: URL(fileURLWithPath: "/elsewhere"), exists: { $0 == "/repo/models/\(name)" })
        #expect(found.path == "/repo/models/\(name)")
        let fromCurrent = try ModelLocator.locate(
            explicit: nil, environment: [:], executable: URL(fileURLWithPath: "/usr/bin/ondo"),
            currentDirectory: URL(fileURLWithPath: "/work/repo/Sources"), exists: { $0 == "/work/repo/models/\(name)" })
        #expect(fromCurrent.path == "/work/repo/models/\(name)")
    }

    @Test func fallsBackToTheSystemFolderAndExplainsWhenNothingIsFound() throws {
        let system = try ModelLocator.locate(
            explicit: nil, environment: [:], executable: nil, currentDirectory: URL(fileURLWithPath: "/tmp"),
            exists: { $0 == "/usr/share/ondo/models/\(name)" })
        #expect(system.path == "/usr/share/ondo/models/\(name)")
        #expect(throws: ModelLocator.NotFound.self) {
            try ModelLocator.locate(
                explicit: nil, environment: [:], executable: nil, currentDirectory: URL(fileURLWithPath: "/tmp"),
                exists: { _ in false })
        }
    }
}
