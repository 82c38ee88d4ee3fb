//! What the model's browsers do, and what each operation did.

use tower_sessions::session::Id;

/// One thing a browser does.
#[derive(Clone, Debug)]
pub enum Op {
    /// Types `NUMBERS[number]` on the phone step, choosing WhatsApp or a text message.
    Start {
        browser: usize,
        number: usize,
        whatsapp: bool,
    },
    /// Types the newest code sent to `NUMBERS[number]`.
    RightCode { browser: usize, number: usize },
    /// Types a wrong code.
    WrongCode { browser: usize },
    /// "Call me instead" ("Send me a code instead" while silent authentication is on).
    CallMe { browser: usize },
    /// `NUMBERS[number]`'s phone opens its silent-authentication address (confirmed, or
    /// failing when `fails`) and the result is brought back in `browser` (its own login's,
    /// or another's: a replay).
    Silent {
        browser: usize,
        number: usize,
        fails: bool,
    },
    /// "Use a different number".
    ChangeNumber { browser: usize },
    /// "Log out".
    Logout { browser: usize },
    /// Signs in with a verified passkey of `NUMBERS[number]`'s account.
    Passkey { browser: usize, number: usize },
    /// "Sign out" on `target`'s line of the account page (whatever `target` is signed in as).
    EndSession { browser: usize, target: usize },
    /// "Sign out everywhere else".
    EndOthers { browser: usize },
}

impl Op {
    pub(super) fn browser(&self) -> usize {
        match *self {
            Op::Start { browser, .. }
            | Op::RightCode { browser, .. }
            | Op::WrongCode { browser }
            | Op::CallMe { browser }
            | Op::Silent { browser, .. }
            | Op::ChangeNumber { browser }
            | Op::Logout { browser }
            | Op::Passkey { browser, .. }
            | Op::EndSession { browser, .. }
            | Op::EndOthers { browser } => browser,
        }
    }
}

/// What one operation did, for the checks.
pub struct Done {
    /// The browser.
    pub browser: usize,
    /// The cookie it went out with.
    pub cookie_before: Option<Id>,
    /// The cookie the answer set (`Some(None)`: removed), `None` when it set none.
    pub cookie_after: Option<Option<Id>>,
    /// The number it signed in, when it did.
    pub signed_in: Option<usize>,
    /// Whether it was a sign-in by code.
    pub by_code: bool,
    /// The order in which it answered.
    pub seq: usize,
}
