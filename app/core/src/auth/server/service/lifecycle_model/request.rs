//! One verification request as the scripted provider keeps it, and the deliveries it made
//! or will still make by itself (what the send counters must cover).

use super::provider::AUTO_CALL_AFTER;

/// Where a request is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Codes can be checked; its call may still come.
    Live,
    /// The right code was typed.
    Verified,
    /// Cancelled by the app.
    Cancelled,
    /// Too many wrong codes, or expired.
    Dead,
}

/// One verification request.
#[derive(Clone, Debug)]
pub struct Request {
    /// Its id.
    pub id: String,
    /// Its number (E.164).
    pub number: String,
    /// Its code.
    pub code: String,
    /// When it started.
    pub started_at: u64,
    /// Where it is.
    pub state: State,
    /// Wrong codes so far.
    pub wrong: u32,
    /// Whether its call was made.
    pub called: bool,
    /// Whether a cancel was refused (then its call may still come, and must be counted).
    pub cancel_refused: bool,
    /// When its SMS went out; `None` while silent authentication holds it back (or after
    /// silent authentication succeeded: then it never goes).
    pub first_at: Option<u64>,
    /// When silent authentication gives up by itself, while it is under way.
    pub silent_until: Option<u64>,
    /// The mobile network confirmed the number: no SMS and no call will come by themselves.
    pub silent_confirmed: bool,
}

impl Request {
    /// Deliveries this request made or will still make by itself: its SMS once sent or while
    /// silent authentication may still give way to it, plus its call once made or while
    /// still to come.
    pub fn committed(&self, now: u64) -> u32 {
        let live = self.state == State::Live;
        let first_to_come = live && self.silent_until.is_some();
        let call_to_come = live
            && !self.silent_confirmed
            && match self.first_at {
                Some(first) => now < first + AUTO_CALL_AFTER,
                None => self.silent_until.is_some(),
            };
        u32::from(self.first_at.is_some() || first_to_come) + u32::from(self.called || call_to_come)
    }
}
