import Postgres
import Testing

/// Days since 1970 and proleptic Gregorian dates, one into the other (shared by the timestamp codec and the CLI).
@Suite struct CivilCalendarTests {
    /// Dates whose day numbers Python's `datetime.date` gives: `(date - date(1970, 1, 1)).days`.
    @Test func knownDates() {
        let known: [(days: Int64, year: Int64, month: Int64, day: Int64)] = [
            (0, 1970, 1, 1), (-1, 1969, 12, 31), (11_016, 2000, 2, 29), (-135_080, 1600, 3, 1),
            (2_932_896, 9999, 12, 31), (-719_162, 1, 1, 1),
        ]
        for entry in known {
            let date = CivilCalendar.date(daysSince1970: entry.days)
            #expect(date == (entry.year, entry.month, entry.day), "day \(entry.days)")
            #expect(CivilCalendar.daysSince1970(year: entry.year, month: entry.month, day: entry.day) == entry.days)
        }
    }

    @Test func everyDayFromYearOneToTenThousandRoundTrips() {
        var firstMismatch: Int64? = nil
        var previous = CivilCalendar.date(daysSince1970: -719_163)
        for days in Int64(-719_162)...Int64(2_932_896) where firstMismatch == nil {
            let date = CivilCalendar.date(daysSince1970: days)
            let roundTrips = CivilCalendar.daysSince1970(year: date.year, month: date.month, day: date.day) == days
            // The day after another is its next day of the month, or the first of a month.
            let follows = date.day == previous.day + 1 || date.day == 1
            if !roundTrips || !follows { firstMismatch = days }
            previous = date
        }
        #expect(firstMismatch == nil)
    }
}
