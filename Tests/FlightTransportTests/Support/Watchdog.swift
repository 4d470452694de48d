// The deadline of test calls: a watchdog against hangs, never a measurement.

/// The deadline of a test call that should answer at once. Generous, so that a call does not
/// fail while the test process is busy elsewhere (many suites run at once on two cores); a
/// hang still ends.
let callWatchdog: Duration = .seconds(120)
