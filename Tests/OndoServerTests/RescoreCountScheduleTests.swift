import Testing

@testable import OndoServer

/// `RescoreCountSchedule`: `ondo reviews rescore` counts what it still waits for only when a claim comes back empty
/// or when counting takes at most a tenth of the time, and finishes only on a count that found nothing left.
@Suite struct RescoreCountScheduleTests {
    @Test func aCountIsDueWhenAClaimComesBackEmptyOrAfterNineTimesTheLastCountsCost() {
        let schedule = RescoreCountSchedule(remaining: 2_000_000, countSeconds: 0.9, endedAt: 10)
        #expect(!schedule.countIsDue(claimed: 256, at: 10.1))
        #expect(!schedule.countIsDue(claimed: 256, at: 18.0))
        #expect(schedule.countIsDue(claimed: 256, at: 18.2))
        #expect(schedule.countIsDue(claimed: 0, at: 10.1), "an empty claim: only a count tells whether it is done")
    }

    @Test func betweenCountsTheFinishedReviewsAreSubtractedButOnlyACountFinishes() {
        var schedule = RescoreCountSchedule(remaining: 300, countSeconds: 0.01, endedAt: 1)
        schedule.finished(256)
        #expect(schedule.remaining == 44)
        schedule.finished(256)
        #expect(schedule.remaining == 0, "never below zero")
        #expect(!schedule.isDone, "an estimate of zero is not a count of zero")
        schedule.counted(3, tookSeconds: 0.01, endedAt: 2)
        #expect(schedule.remaining == 3 && !schedule.isDone)
        schedule.finished(0)
        #expect(!schedule.isDone)
        schedule.counted(0, tookSeconds: 0.01, endedAt: 3)
        #expect(schedule.isDone)
    }

    /// The scale the schedule is for, simulated: 2,000,000 reviews in batches of 256 taking 0.1 s each, and a count
    /// that costs 0.9 s per 2,000,000 reviews left (as measured). Counting after every batch spent 0.9 s per 0.1 s
    /// of scoring at first; the schedule keeps counting near a tenth of the time, and still finishes on a count.
    @Test func onALargeQueueCountingTakesAboutATenthOfTheTime() {
        let batchSeconds = 0.1
        let countCost = { (remaining: Int) in 0.9 * Double(remaining) / 2_000_000 }
        var left = 2_000_000
        var now = countCost(left)
        var countingSeconds = now
        var counts = 1
        var schedule = RescoreCountSchedule(remaining: left, countSeconds: now, endedAt: now)
        while true {
            let claimed = min(256, left)
            left -= claimed
            now += claimed > 0 ? batchSeconds : 0.001
            schedule.finished(claimed)
            if schedule.countIsDue(claimed: claimed, at: now) {
                let cost = countCost(left)
                now += cost
                countingSeconds += cost
                counts += 1
                schedule.counted(left, tookSeconds: cost, endedAt: now)
            }
            if schedule.isDone { break }
        }
        let share = countingSeconds / now
        print(
            "simulated rescore of 2,000,000 reviews: \(counts) counts, \(Int(countingSeconds)) of \(Int(now)) s counting "
                + "(\(Int((share * 100).rounded())) %); counting after every batch: 7,813 counts")
        #expect(left == 0)
        #expect(share <= RescoreCountSchedule.maximumShareCounting + 0.01)
        #expect(counts < 7_813 / 10)
    }
}
