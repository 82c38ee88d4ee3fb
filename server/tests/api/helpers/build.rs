//! Building the real server for a test: settings from a list, the in-process emulator on a
//! free loopback port, a manual clock.

use app::auth::server::clock::ManualClock;
use leptos::config::LeptosOptions;
use server::config::Config;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// Builds (without serving the site) the app with `extra` settings; answers it, its clock
/// and the emulator's base URL.
pub async fn build_app_with(
    extra: &[(&str, &str)],
) -> (server::startup::Application, ManualClock, String) {
    server::telemetry::init();
    // `free_port` only finds a port free now: another test may bind it before the emulator
    // does, so a taken port is simply tried again with another.
    let mut attempts = 0;
    loop {
        attempts += 1;
        let emulator_addr = format!("127.0.0.1:{}", free_port());
        let mut vars: HashMap<String, String> = HashMap::from([
            ("EMULATOR_ADDR".into(), emulator_addr.clone()),
            ("VERIFY_PROVIDER".into(), "emulator".into()),
            ("SESSION_STORE".into(), "memory".into()),
            ("ACCOUNT_STORE".into(), "memory".into()),
            ("DEFAULT_COUNTRY".into(), "GB".into()),
            // The emulator's Vonage-like 409 window after a v2 cancel (default 5 s) never
            // closes on the tests' manual clock; tests about it set EMULATOR_CANCEL_SETTLE.
            ("EMULATOR_CANCEL_SETTLE".into(), "0".into()),
        ]);
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let config =
            Config::from_lookup(|name| vars.get(name).cloned()).expect("test config is valid");
        let options = LeptosOptions::builder()
            .output_name("passwordless")
            .site_root("target/site")
            .site_addr(SocketAddr::from(([127, 0, 0, 1], 0)))
            .build();
        let clock = ManualClock::new();
        match server::startup::build(config, options, Arc::new(clock.clone())).await {
            Ok(app) => return (app, clock, format!("http://{emulator_addr}")),
            Err(error) if attempts < 5 && format!("{error:?}").contains("AddrInUse") => continue,
            Err(error) => panic!("app builds: {error:?}"),
        }
    }
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}
