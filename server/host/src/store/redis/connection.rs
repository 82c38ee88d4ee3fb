//! The connection every Redis store shares: one pool with short timeouts that reconnects by
//! itself, TLS for `rediss://`, and [`eval`] to run the stores' atomic scripts.

use crate::store::errors::redis as store_error;
use app_core::auth::server::StoreError;
use fred::prelude::{Builder, ClientLike, Config, Pool, ReconnectPolicy};
use fred::rustls::pki_types::{pem::PemObject, CertificateDer};
use fred::rustls::{ClientConfig, RootCertStore};
use fred::types::{ClusterHash, CustomCommand, Value};
use std::path::Path;
use std::time::Duration;

/// Longest a store command may take before the request fails with "temporarily unavailable".
/// Redis answers in well under a millisecond on a private network, so half a second means
/// down; a request that makes several store calls still fails within a couple of seconds.
pub const COMMAND_TIMEOUT: Duration = Duration::from_millis(500);
/// Pause between reconnection attempts after Redis goes away (recovery is at most this late).
const RECONNECT_DELAY_MS: u32 = 250;
/// Connections per instance; commands are pipelined, so a few suffice.
const POOL_SIZE: usize = 4;

/// Connects to `url` (`redis[s]://[user:password@]host:port[/db]`), waiting for the first
/// connection. `rediss://` uses TLS trusting the system's roots plus those in `ca_file`.
/// Afterwards the pool reconnects by itself forever; commands sent while it is down fail
/// after [`COMMAND_TIMEOUT`].
pub async fn connect(url: &str, ca_file: Option<&Path>) -> Result<Pool, String> {
    let mut config = Config::from_url(url).map_err(|e| format!("`{}`: {e}", redacted(url)))?;
    if config.tls.is_some() {
        config.tls = Some(tls_trusting(ca_file)?.into());
    }
    let pool = Builder::from_config(config)
        .with_connection_config(|c| {
            c.connection_timeout = COMMAND_TIMEOUT;
            c.internal_command_timeout = COMMAND_TIMEOUT;
        })
        .with_performance_config(|p| {
            p.default_command_timeout = COMMAND_TIMEOUT;
        })
        .set_policy(ReconnectPolicy::new_constant(0, RECONNECT_DELAY_MS))
        .build_pool(POOL_SIZE)
        .map_err(|e| e.to_string())?;
    tokio::time::timeout(COMMAND_TIMEOUT * 5, pool.init())
        .await
        .map_err(|_| format!("cannot reach {}", redacted(url)))?
        .map_err(|e| format!("cannot reach {}: {e}", redacted(url)))?;
    Ok(pool)
}

/// `Ok` when Redis answers `PING` within the command timeout.
pub async fn ping(pool: &Pool) -> Result<(), String> {
    pool.ping::<String>(None)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// A TLS client trusting the system's roots and every certificate in `ca_file`.
fn tls_trusting(ca_file: Option<&Path>) -> Result<ClientConfig, String> {
    let mut roots = RootCertStore::empty();
    for cert in fred::rustls_native_certs::load_native_certs().certs {
        // A system root rustls cannot parse is skipped, as every TLS client does.
        let _ = roots.add(cert);
    }
    if let Some(path) = ca_file {
        let certs = CertificateDer::pem_file_iter(path)
            .map_err(|e| format!("REDIS_CA_FILE {}: {e}", path.display()))?;
        for cert in certs {
            let cert = cert.map_err(|e| format!("REDIS_CA_FILE {}: {e}", path.display()))?;
            roots
                .add(cert)
                .map_err(|e| format!("REDIS_CA_FILE {}: {e}", path.display()))?;
        }
    }
    if roots.is_empty() {
        return Err(
            "rediss:// needs trusted roots: none in the system store or REDIS_CA_FILE".into(),
        );
    }
    Ok(ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// The URL without its password, for messages.
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Runs a Lua `script` on one `key` with `args` (Redis runs each script atomically).
pub(super) async fn eval<R: fred::types::FromValue>(
    pool: &Pool,
    script: &str,
    key: &str,
    args: Vec<Value>,
) -> Result<R, StoreError> {
    let mut all = vec![Value::from(script), Value::from(1_i64), Value::from(key)];
    all.extend(args);
    pool.custom::<R, Value>(
        CustomCommand::new_static("EVAL", ClusterHash::Random, false),
        all,
    )
    .await
    .map_err(store_error)
}
