//! Time as a dependency, so expiry and cooldowns are testable without sleeping. The clocks
//! live in the `app-clock` crate, which the Verify emulator shares without depending on this
//! crate (an edit here then rebuilds neither the emulator nor its dependents through it).

pub use app_clock::{unix_seconds, Clock, ManualClock, SystemClock};
