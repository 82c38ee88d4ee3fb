//! What an `Authorization` header holds.

use crate::auth::{presented, Presented};
use axum::http::{header, HeaderMap, HeaderValue};

fn read(value: &str) -> Presented {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::AUTHORIZATION,
        HeaderValue::from_str(value).expect("header"),
    );
    presented(&headers)
}

#[test]
fn reads_basic_and_bearer_in_any_case() {
    let basic = Presented::Basic {
        key: "emulator".into(),
        secret: "s:e:c".into(),
    };
    // base64("emulator:s:e:c"): the secret may hold colons.
    assert_eq!(read("Basic ZW11bGF0b3I6czplOmM="), basic);
    assert_eq!(read("basic ZW11bGF0b3I6czplOmM="), basic);
    assert_eq!(read("Bearer a.b.c"), Presented::Bearer("a.b.c".into()));
    assert_eq!(read("BEARER a.b.c"), Presented::Bearer("a.b.c".into()));
}

#[test]
fn anything_else_is_unreadable() {
    assert_eq!(presented(&HeaderMap::new()), Presented::Nothing);
    for value in [
        "Basic",
        "Basic not-base64!",
        "Basic ZW11bGF0b3I=", // "emulator", no colon
        "Bearer ",
        "Digest abc",
        "token",
    ] {
        assert_eq!(read(value), Presented::Unreadable, "{value}");
    }
}
