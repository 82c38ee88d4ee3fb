//! The page language through the real server: the `lang` cookie beats `Accept-Language`
//! beats `DEFAULT_LANGUAGE`; the language menu's post sets the cookie and sends the browser
//! back to a same-site page only; texts a server function returns follow the choice.

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE};
use reqwest::StatusCode;

/// The `<html …>` start tag of `path` as a browser sending `accept_language` gets it.
async fn html_tag(app: &TestApp, path: &str, accept_language: Option<&str>) -> String {
    let mut request = app
        .client
        .get(format!("{}{path}", app.base))
        .header(ACCEPT, "text/html");
    if let Some(languages) = accept_language {
        request = request.header(ACCEPT_LANGUAGE, languages);
    }
    let body = request
        .send()
        .await
        .expect("page answers")
        .text()
        .await
        .expect("body");
    let start = body.find("<html").expect("an html element");
    let end = start + body[start..].find('>').expect("tag ends");
    body[start..=end].to_owned()
}

#[tokio::test]
async fn the_browser_language_beats_the_default_and_the_choice_beats_both() {
    let app = spawn_app_with(&[("DEFAULT_LANGUAGE", "de")]).await;
    assert!(html_tag(&app, "/login", None)
        .await
        .contains(r#"lang="de""#));
    assert!(html_tag(&app, "/login", Some("ja, nl;q=0.8"))
        .await
        .contains(r#"lang="de""#));
    let spanish = html_tag(&app, "/login", Some("es-MX,es;q=0.9")).await;
    assert!(
        spanish.contains(r#"lang="es""#) && spanish.contains(r#"dir="ltr""#),
        "{spanish}"
    );

    let chosen = app
        .post_form(
            "set_language",
            &[("lang", "ar"), ("back", "/login?next=/account")],
        )
        .await;
    assert_eq!(
        (chosen.status, chosen.location()),
        (StatusCode::SEE_OTHER, "/login?next=/account")
    );
    let cookie = chosen.set_cookie("lang").expect("the choice is remembered");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let arabic = html_tag(&app, "/login", Some("es-MX,es;q=0.9")).await;
    assert!(
        arabic.contains(r#"lang="ar""#) && arabic.contains(r#"dir="rtl""#),
        "{arabic}"
    );
}

#[tokio::test]
async fn the_menu_refuses_unknown_languages_and_foreign_destinations() {
    let app = spawn_app().await;
    let unknown = app
        .post_form("set_language", &[("lang", "xx"), ("back", "/")])
        .await;
    assert_ne!(unknown.status, StatusCode::SEE_OTHER, "{}", unknown.body);
    assert_eq!(unknown.set_cookie("lang"), None);
    assert!(html_tag(&app, "/", None).await.contains(r#"lang="en""#));

    for back in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let answer = app
            .post_form("set_language", &[("lang", "fr"), ("back", back)])
            .await;
        assert_eq!(
            (answer.status, answer.location()),
            (StatusCode::SEE_OTHER, "/"),
            "{back}"
        );
    }
}

#[tokio::test]
async fn texts_from_server_functions_follow_the_chosen_language() {
    let app = spawn_app().await;
    app.post_form("set_language", &[("lang", "es"), ("back", "/")])
        .await;
    let refused = app.post_form("start_login", &[("number", "12")]).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let page = app.get("/login").await;
    assert!(page.body.contains(r#"lang="es""#), "{}", page.body);
    assert!(
        page.body.contains("Ese número es demasiado corto"),
        "{}",
        page.body
    );
}
