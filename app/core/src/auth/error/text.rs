//! What each error says, in the visitor's language (`locales/*.json`, `error.*`).

use super::AuthError;
use crate::i18n::{td_string, Locale};

impl AuthError {
    /// The short, actionable sentence shown to the user, in `locale`.
    pub fn message(&self, locale: Locale) -> String {
        let wait = |secs: u64| human_wait(locale, secs);
        match self {
            Self::InvalidNumber(problem) => problem.message(locale),
            Self::InvalidCode(problem) => problem.message(locale),
            Self::DestinationNotSupported => {
                td_string!(locale, error.destination_not_supported).into()
            }
            Self::WrongCode { attempts_left } => {
                td_string!(locale, error.wrong_code, count = *attempts_left)
            }
            Self::TooManyAttempts => td_string!(locale, error.too_many_attempts).into(),
            Self::CodeExpired => td_string!(locale, error.code_expired).into(),
            Self::NoPendingLogin => td_string!(locale, error.no_pending_login).into(),
            Self::Throttled { retry_after_secs } => {
                td_string!(locale, error.throttled, wait = wait(*retry_after_secs))
            }
            Self::TooManyRequests { retry_after_secs } => {
                td_string!(
                    locale,
                    error.too_many_requests,
                    wait = wait(*retry_after_secs)
                )
            }
            Self::ResendTooSoon { retry_after_secs } => {
                td_string!(
                    locale,
                    error.resend_too_soon,
                    wait = wait(*retry_after_secs)
                )
            }
            Self::NoChannelLeft => td_string!(locale, error.no_channel_left).into(),
            Self::ServiceUnavailable => td_string!(locale, error.service_unavailable).into(),
            Self::TemporarilyUnavailable => {
                td_string!(locale, error.temporarily_unavailable).into()
            }
            Self::BadRequest => td_string!(locale, error.bad_request).into(),
            Self::NumberBusy { retry_after_secs } => td_string!(
                locale,
                error.number_busy,
                wait = clock_wait(*retry_after_secs)
            ),
            Self::NumberSettling => td_string!(locale, error.number_settling).into(),
            Self::TooManyWrongCodes { retry_after_secs } => {
                td_string!(
                    locale,
                    error.too_many_wrong_codes,
                    wait = wait(*retry_after_secs)
                )
            }
            Self::SendingPaused => td_string!(locale, error.sending_paused).into(),
            Self::ChallengeRequired { failed: false, .. } => {
                td_string!(locale, error.challenge_required).into()
            }
            Self::ChallengeRequired { failed: true, .. } => {
                td_string!(locale, error.challenge_failed).into()
            }
            Self::NotSignedIn => td_string!(locale, error.not_signed_in).into(),
            Self::RecentSignInRequired => td_string!(locale, error.recent_sign_in_required).into(),
            Self::PasskeyRefused => td_string!(locale, error.passkey_refused).into(),
            Self::PasskeyUnknown => td_string!(locale, error.passkey_unknown).into(),
            Self::PasskeyExpired => td_string!(locale, error.passkey_expired).into(),
            Self::PasskeyLocked { retry_after_secs } => {
                td_string!(locale, error.passkey_locked, wait = wait(*retry_after_secs))
            }
            Self::PasskeyAlreadyAdded => td_string!(locale, error.passkey_already_added).into(),
            Self::PasskeyNotFound => td_string!(locale, error.passkey_not_found).into(),
            Self::SessionNotFound => td_string!(locale, error.session_not_found).into(),
            Self::PasskeysUnavailable => td_string!(locale, error.passkeys_unavailable).into(),
        }
    }
}

/// "4:12" (minutes:seconds), or "1:02:03" past an hour: the countdown style for a wait the
/// user can see end (digits read the same in every supported language).
pub fn clock_wait(seconds: u64) -> String {
    let seconds = seconds.max(1);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// "45 seconds", "3 minutes", "2 hours" in `locale`, with its plural rules: rounded up, so
/// the user never retries too early.
pub fn human_wait(locale: Locale, seconds: u64) -> String {
    match seconds {
        0..=59 => td_string!(locale, wait.seconds, count = seconds.max(1)),
        60..=5399 => td_string!(locale, wait.minutes, count = seconds.div_ceil(60)),
        _ => td_string!(locale, wait.hours, count = seconds.div_ceil(3600)),
    }
}
