//! `GET /auth/check` behind a real nginx (`auth_request`) on loopback, protecting a small
//! upstream: with a session cookie the upstream answers and sees the account's headers;
//! without one nginx redirects to `/login?next=<the upstream page>`, and a sign-in without
//! JavaScript comes back there (`AUTH_REDIRECT_HOSTS`). Needs Debian's nginx
//! (`scripts/setup.sh test`); skipped with a message when it is missing, except in CI.

use crate::helpers::{free_port, spawn_app_with, TestApp};
use axum::http::HeaderMap;
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The nginx binary: `NGINX`, else `nginx` on the path, else Debian's `/usr/sbin/nginx`.
fn nginx_binary() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("NGINX") {
        return Some(path.into());
    }
    let on_path = Command::new("nginx")
        .arg("-v")
        .stderr(Stdio::null())
        .status();
    if on_path.is_ok_and(|s| s.success()) {
        return Some("nginx".into());
    }
    let debian = Path::new("/usr/sbin/nginx");
    debian.exists().then(|| debian.to_owned())
}

/// The configuration the README shows, with loopback ports: `/` of the upstream needs a
/// session; a 401 becomes a redirect to sign in and back.
fn nginx_conf(dir: &Path, listen: u16, site: &str, upstream: &str) -> String {
    let d = dir.display();
    format!(
        r#"worker_processes 1;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
http {{
  access_log {d}/access.log;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:{listen};
    location / {{
      auth_request /_auth;
      auth_request_set $auth_account $upstream_http_x_auth_account;
      auth_request_set $auth_number $upstream_http_x_auth_number;
      proxy_set_header X-Auth-Account $auth_account;
      proxy_set_header X-Auth-Number $auth_number;
      error_page 401 = @sign_in;
      proxy_pass http://{upstream};
    }}
    location = /_auth {{
      internal;
      proxy_pass http://{site}/auth/check;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Real-IP $remote_addr;
    }}
    location @sign_in {{
      return 302 http://{site}/login?next=$scheme://$http_host$request_uri;
    }}
  }}
}}
"#
    )
}

/// A running nginx, stopped (and its directory removed) when dropped.
struct Nginx {
    child: Child,
    dir: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts `binary` on `conf` in a fresh directory, as the current user, in the foreground.
async fn start_nginx(binary: &Path, listen: u16, site: &str, upstream: &str) -> Nginx {
    let dir = std::env::temp_dir().join(format!("passwordless-nginx-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("nginx directory");
    let conf = dir.join("nginx.conf");
    std::fs::write(&conf, nginx_conf(&dir, listen, site, upstream)).expect("nginx.conf");
    let child = Command::new(binary)
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(&conf)
        .arg("-g")
        .arg(format!("daemon off; pid {}/nginx.pid;", dir.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx starts");
    let nginx = Nginx { child, dir };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", listen))
            .await
            .is_ok()
        {
            return nginx;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log = std::fs::read_to_string(nginx.dir.join("error.log")).unwrap_or_default();
    panic!("nginx did not listen on {listen}: {log}");
}

/// The protected app: says whom nginx told it about.
async fn start_upstream() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("bound");
    let app = axum::Router::new().fallback(|headers: HeaderMap| async move {
        let read = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_owned()
        };
        let (account, number) = (read("x-auth-account"), read("x-auth-number"));
        format!("reports for {number} (account {account})")
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr.to_string()
}

#[tokio::test]
async fn nginx_auth_request_lets_signed_in_browsers_through() {
    let Some(binary) = nginx_binary() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "nginx is missing in CI: run scripts/setup.sh test"
        );
        eprintln!("skipped: nginx is missing (scripts/setup.sh test installs Debian's nginx)");
        return;
    };
    let listen = free_port();
    let proxied = format!("127.0.0.1:{listen}");
    let app = spawn_app_with(&[
        ("AUTH_REDIRECT_HOSTS", proxied.as_str()),
        ("LIMIT_PER_NUMBER", "20/1h"),
    ])
    .await;
    let site = app.base.trim_start_matches("http://").to_owned();
    let upstream = start_upstream().await;
    let _nginx = start_nginx(&binary, listen, &site, &upstream).await;
    let page = format!("http://{proxied}/reports");

    // Signed out: nginx sends the browser to sign in, and back to the page after.
    let stranger = app.other_browser();
    let refused = get(&stranger, &page).await;
    assert_eq!(refused.0, StatusCode::FOUND, "{}", refused.2);
    let login = format!("{}/login?next={page}", app.base);
    assert_eq!(refused.1, login);
    let form = stranger.get(&format!("/login?next={page}")).await;
    assert!(form
        .body
        .contains(&format!(r#"name="next" value="{page}""#)));
    let back = sign_in_without_js(&stranger, "+447400123621", &page).await;
    assert_eq!(back, page);
    let through = get(&stranger, &page).await;
    assert_eq!(through.0, StatusCode::OK, "{}", through.2);
    assert!(
        through.2.starts_with("reports for +447400123621 (account "),
        "{}",
        through.2
    );
    assert!(!through.2.contains("account -"), "{}", through.2);

    // Signed out here: refused again at once.
    stranger.call("logout", &[]).await;
    assert_eq!(get(&stranger, &page).await.0, StatusCode::FOUND);
}

/// GET `url` (outside the app) with `browser`'s cookies: status, `Location`, body.
async fn get(browser: &TestApp, url: &str) -> (StatusCode, String, String) {
    let answer = browser.client.get(url).send().await.expect("nginx answers");
    let status = answer.status();
    let location = answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, location, answer.text().await.unwrap_or_default())
}

/// Signs `browser` in without JavaScript from `/login?next=<next>`; answers the redirect.
async fn sign_in_without_js(browser: &TestApp, number: &str, next: &str) -> String {
    browser
        .post_form("start_login", &[("number", number), ("next", next)])
        .await;
    let code = browser.latest_code(number).await;
    let finish = browser.post_form("finish_login", &[("code", &code)]).await;
    assert_eq!(finish.status, StatusCode::SEE_OTHER, "{}", finish.body);
    finish.location().to_owned()
}
