//! The session wrapper: reads leave the session untouched, anonymous writes keep a session
//! briefly. (One-shot messages ride a signed cookie: see `flash_cookie/`.)

use super::*;
use std::sync::Arc;
use tower_sessions::MemoryStore;

#[tokio::test]
async fn reading_the_login_state_leaves_the_session_unmodified() {
    let fresh = LoginSession::new(Session::new(None, Arc::new(MemoryStore::default()), None));
    // A session with data: reading it must not mark it for saving.
    let store = Arc::new(MemoryStore::default());
    let raw = Session::new(None, store.clone(), None);
    raw.insert(OWNER_KEY, "token").await.expect("insert");
    raw.save().await.expect("save");
    let id = raw.id();
    let again = LoginSession::new(Session::new(id, store, None));
    assert!(again.pending().await.expect("read").is_none());
    assert!(
        !again.0.is_modified(),
        "a read-only page must not write the session"
    );
    assert!(fresh.pending().await.expect("read").is_none());
    assert!(!fresh.0.is_modified());
}

#[tokio::test]
async fn anonymous_writes_keep_the_session_briefly_and_a_sign_in_for_a_week() {
    let session = LoginSession::new(Session::new(None, Arc::new(MemoryStore::default()), None));
    let ceremony = "ceremony state";
    session
        .keep_ceremony(CEREMONY_SIGN_IN_KEY, &ceremony)
        .await
        .expect("ceremony");
    assert_eq!(session.0.expiry(), idle(PENDING_IDLE));
    let session = LoginSession::new(Session::new(None, Arc::new(MemoryStore::default()), None));
    session.owner_token().await.expect("token");
    assert_eq!(session.0.expiry(), idle(PENDING_IDLE));
    let user = SignedInUser {
        number: PhoneNumber::parse("+447400123456", "GB".parse().expect("GB")).expect("number"),
        since: 0,
        account_id: "account".into(),
        handle: "handle".into(),
    };
    session.sign_in(&user).await.expect("sign in");
    assert_eq!(session.0.expiry(), idle(SIGNED_IN_IDLE));
    session
        .keep_ceremony(CEREMONY_REGISTRATION_KEY, &ceremony)
        .await
        .expect("ceremony");
    assert_eq!(
        session.0.expiry(),
        idle(SIGNED_IN_IDLE),
        "a signed-in session keeps its week"
    );
}
