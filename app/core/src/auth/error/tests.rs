//! Messages, statuses and retry hints of the boundary's error.

use super::*;

#[test]
fn wrong_code_message_counts_attempts() {
    assert!(AuthError::WrongCode { attempts_left: 3 }
        .message(crate::i18n::Locale::en)
        .contains("3 attempts left"));
    assert!(AuthError::WrongCode { attempts_left: 1 }
        .message(crate::i18n::Locale::en)
        .contains("1 attempt left"));
}

#[test]
fn limit_message_says_when_to_retry() {
    let message = |secs| {
        AuthError::TooManyRequests {
            retry_after_secs: secs,
        }
        .message(crate::i18n::Locale::en)
    };
    assert!(message(30).contains("30 seconds"));
    assert!(message(61).contains("2 minutes"));
    assert!(message(600).contains("10 minutes"));
    assert!(message(86_400).contains("24 hours"));
    assert_eq!(
        AuthError::TooManyRequests {
            retry_after_secs: 5
        }
        .http_status(),
        429
    );
}

#[test]
fn busy_number_says_where_the_code_is_and_when_to_retry() {
    let busy = AuthError::NumberBusy {
        retry_after_secs: 252,
    };
    assert!(busy
        .message(crate::i18n::Locale::en)
        .contains("browser where you asked for it"));
    assert!(
        busy.message(crate::i18n::Locale::en).contains("4:12"),
        "{}",
        busy.message(crate::i18n::Locale::en)
    );
    assert_eq!(
        (busy.http_status(), busy.retry_after_secs()),
        (409, Some(252))
    );
    assert_eq!(AuthError::NumberSettling.retry_after_secs(), Some(5));
    let locked = AuthError::TooManyWrongCodes {
        retry_after_secs: 7200,
    };
    assert!(
        locked.message(crate::i18n::Locale::en).contains("2 hours"),
        "{}",
        locked.message(crate::i18n::Locale::en)
    );
    assert_eq!(locked.http_status(), 429);
    let paused = AuthError::SendingPaused;
    assert!(paused
        .message(crate::i18n::Locale::en)
        .contains("can't send codes to this number right now"));
    assert_eq!(
        (paused.http_status(), paused.retry_after_secs()),
        (403, None)
    );
}

#[test]
fn dead_ends_send_user_back_to_phone_step() {
    assert!(AuthError::TooManyAttempts.restarts_login());
    assert!(AuthError::CodeExpired.restarts_login());
    assert!(AuthError::TooManyWrongCodes {
        retry_after_secs: 60
    }
    .restarts_login());
    assert!(!AuthError::WrongCode { attempts_left: 2 }.restarts_login());
}

#[test]
fn framework_errors_map_to_our_variants() {
    assert_eq!(
        AuthError::from_server_fn_error(ServerFnErrorErr::MissingArg("code".into())),
        AuthError::BadRequest
    );
    assert_eq!(
        AuthError::from_server_fn_error(ServerFnErrorErr::Request("down".into())),
        AuthError::ServiceUnavailable
    );
}

#[test]
fn passkey_errors_say_what_to_do_and_carry_their_status() {
    for (error, status) in [
        (AuthError::NotSignedIn, 401),
        (AuthError::PasskeyRefused, 401),
        (AuthError::PasskeyUnknown, 401),
        (AuthError::RecentSignInRequired, 403),
        (AuthError::PasskeyNotFound, 404),
        (AuthError::SessionNotFound, 404),
        (AuthError::PasskeysUnavailable, 404),
        (AuthError::PasskeyExpired, 409),
        (AuthError::PasskeyAlreadyAdded, 409),
    ] {
        assert_eq!(error.http_status(), status, "{error:?}");
        assert!(!error.restarts_login(), "{error:?}");
        assert!(
            error.message(crate::i18n::Locale::en).ends_with('.'),
            "{error:?}"
        );
    }
    assert!(AuthError::PasskeyUnknown
        .message(crate::i18n::Locale::en)
        .contains("phone number"));
    assert!(AuthError::RecentSignInRequired
        .message(crate::i18n::Locale::en)
        .contains("10 minutes"));
}
