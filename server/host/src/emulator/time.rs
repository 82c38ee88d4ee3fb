//! The app's clock while the emulator is the provider: the injected clock plus the
//! emulator's `/dev/clock` offset, so moving the emulator's time (a browser test, a developer
//! trying expiry) moves the login's timers with it: codes, countdowns and limits expire
//! together on both sides, with no real wait.

use super::Emulator;
use app_core::clock::Clock;
use std::sync::Arc;
use std::time::SystemTime;

/// `base` plus everything `POST /dev/clock` has added to `emulator`'s time.
pub struct EmulatorTime {
    base: Arc<dyn Clock>,
    emulator: Emulator,
}

impl EmulatorTime {
    /// The clock that follows `emulator`, which reads `base` itself.
    pub fn new(base: Arc<dyn Clock>, emulator: Emulator) -> Self {
        Self { base, emulator }
    }
}

impl Clock for EmulatorTime {
    fn now(&self) -> SystemTime {
        let base = self.base.now();
        base.checked_add(self.emulator.offset()).unwrap_or(base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app_core::clock::ManualClock;
    use std::time::Duration;

    #[test]
    fn the_app_moves_with_the_emulators_dev_clock_and_its_own() {
        let base = ManualClock::new();
        let emulator = Emulator::new(Default::default(), Arc::new(base.clone()));
        let clock = EmulatorTime::new(Arc::new(base.clone()), emulator.clone());
        let start = clock.now();
        emulator.advance(Duration::from_secs(25));
        assert_eq!(clock.now(), start + Duration::from_secs(25));
        assert_eq!(clock.now(), emulator.now());
        base.advance(Duration::from_secs(5));
        assert_eq!(clock.now(), start + Duration::from_secs(30));
        assert_eq!(clock.now(), emulator.now());
    }
}
