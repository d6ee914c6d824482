/// Seconds since an instant of the continuous clock, for throughput and timing figures.
func secondsElapsed(since start: ContinuousClock.Instant) -> Double {
    start.duration(to: .now) / .seconds(1)
}
