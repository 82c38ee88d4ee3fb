//! [`EmulatorConfig`]: how the emulator behaves, fixed when it is made.

use crate::ApplicationAuth;
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// How the emulator behaves.
#[derive(Clone)]
pub struct EmulatorConfig {
    /// The timing a start gets when it leaves it out: v1 `pin_expiry` (the PIN's lifetime)
    /// and v2 `channel_timeout` (each channel's wait before the next). Default 300 s, as
    /// Vonage's defaults; at most a year is honoured.
    pub code_ttl: Duration,
    /// Wrong codes that end a request: the last of them gets v2 410 / v1 "17" instead of
    /// 400 / "16". v1 counts per PIN (a new PIN starts a fresh budget); v2's budget is not
    /// documented, so the emulator assumes this one for the whole request. Default 3 (values
    /// below 1 count as 1).
    pub max_wrong_codes: u32,
    /// Numbers in E.164 (`+15555550100`; a missing `+` is tolerated) that always get the
    /// given code instead of a random one. Default none.
    pub test_numbers: HashMap<String, String>,
    /// Host of the site the codes are for; SMS texts then end with the WebOTP line
    /// `@host #code`. Default none.
    pub webotp_host: Option<String>,
    /// The only accepted API key (v2 Basic user, v1 `api_key`). Default `emulator`.
    pub api_key: String,
    /// The only accepted API secret (v2 Basic password, v1 `api_secret`). Default `emulator`.
    pub api_secret: String,
    /// How long after a v2 cancel (`DELETE`) a start for the same number still answers 409
    /// with the cancelled `request_id`, as Vonage is reported to do. Default 5 s; zero frees
    /// the number at once; at most a year is honoured.
    pub cancel_settle: Duration,
    /// The Vonage application whose RS256 JWTs v2 accepts besides the key and secret.
    /// Default none: Bearer tokens answer 401.
    pub application: Option<ApplicationAuth>,
    /// Numbers (E.164, `+` optional) that cannot receive RCS: an RCS step to them fails at
    /// once and the next step is made (outbox cause `fallback`). Default none; changed at run
    /// time with `/dev/reachability` (see [`crate::reachability`]).
    pub no_rcs: Vec<String>,
    /// Numbers (E.164, `+` optional) not on WhatsApp: a WhatsApp step to them fails at once
    /// and the next step is made. Default none.
    pub no_whatsapp: Vec<String>,
    /// Numbers (E.164, `+` optional) whose silent authentication fails: opening the
    /// `check_url` makes the next step at once and answers the failure. Default none.
    pub silent_auth_fails: Vec<String>,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            code_ttl: Duration::from_secs(300),
            max_wrong_codes: 3,
            test_numbers: HashMap::new(),
            webotp_host: None,
            api_key: "emulator".to_owned(),
            api_secret: "emulator".to_owned(),
            cancel_settle: Duration::from_secs(5),
            application: None,
            no_rcs: Vec::new(),
            no_whatsapp: Vec::new(),
            silent_auth_fails: Vec::new(),
        }
    }
}

impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("code_ttl", &self.code_ttl)
            .field("max_wrong_codes", &self.max_wrong_codes)
            .field("test_numbers", &self.test_numbers.len())
            .field("webotp_host", &self.webotp_host)
            .field("api_key", &self.api_key)
            .field("api_secret", &"…")
            .field("cancel_settle", &self.cancel_settle)
            .field("application", &self.application)
            .field("no_rcs", &self.no_rcs)
            .field("no_whatsapp", &self.no_whatsapp)
            .field("silent_auth_fails", &self.silent_auth_fails)
            .finish()
    }
}
