/// Seconds since an instant of the continuous clock, for throughput and timing figures.
func secondsElapsed(since start: ContinuousClock.Instant) -> Double {
    let duration = ContinuousClock.now - start
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}
