import CRM
import Foundation
import Testing

@Suite struct StateRulesTests {
    @Test func absentKeysKeepTheirDefaults() throws {
        let rules = try JSONDecoder().decode(StateRules.self, from: Data(#"{"churnAfterDays": 90}"#.utf8))
        var expected = StateRules()
        expected.churnAfterDays = 90
        #expect(rules == expected)
    }

    @Test func defaultsAreConsistent() {
        #expect(StateRules().problems().isEmpty)
    }

    @Test func inconsistentRulesAreExplained() {
        var rules = StateRules()
        rules.atRiskAfterDays = 200
        rules.textWeight = 1.5
        rules.sentimentHalfLifeDays = 0
        let problems = rules.problems()
        #expect(problems.contains("atRiskAfterDays (200.0) must not exceed churnAfterDays (120.0)"))
        #expect(problems.contains("textWeight must be between 0 and 1 (it is 1.5)"))
        #expect(problems.contains("sentimentHalfLifeDays must be greater than 0 (it is 0.0)"))
    }

    @Test func stateNamesParseAsUsersTypeThem() {
        #expect(CustomerState(name: "at-risk") == .atRisk)
        #expect(CustomerState(name: " AT_RISK ") == .atRisk)
        #expect(CustomerState(name: "happy") == nil)
    }
}
