//! Redis as the shared store for several instances: sessions through
//! `tower-sessions-redis-store`, rate-limit counters as keys changed by one atomic script (`INCRBY` + `EXPIREAT`).

use crate::store_errors::redis as store_error;
use app_core::auth::server::rate_limit::{CounterChange, CounterStore};
use app_core::auth::server::StoreError;
use async_trait::async_trait;
use fred::prelude::{Builder, ClientLike, Config, KeysInterface, Pool, ReconnectPolicy};
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
/// Prefix of counter keys, so an operator can tell them from session keys.
const COUNTER_PREFIX: &str = "passwordless:limit:";

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

/// Rate-limit counters shared by every instance on the same Redis. Each window is one key
/// that Redis deletes itself when the window can no longer matter.
#[derive(Clone, Debug)]
pub struct RedisCounters {
    pool: Pool,
}

impl RedisCounters {
    /// Counters on `pool`.
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }
}

fn counter_key(key: &str, window_start: u64) -> String {
    format!("{COUNTER_PREFIX}{key}:{window_start}")
}

#[async_trait]
impl CounterStore for RedisCounters {
    async fn get(&self, key: &str, window_start: u64) -> Result<u32, StoreError> {
        self.pool
            .get::<Option<u32>, _>(counter_key(key, window_start))
            .await
            .map(Option::unwrap_or_default)
            .map_err(store_error)
    }

    async fn add(
        &self,
        key: &str,
        window_start: u64,
        delta: i32,
        expires_at: u64,
    ) -> Result<u32, StoreError> {
        let key = counter_key(key, window_start);
        let expires_at = i64::try_from(expires_at).unwrap_or(i64::MAX);
        // One script: Redis runs it atomically, so each caller gets its own new count and a
        // counter never exists without its expiry.
        let count: i64 = eval(
            &self.pool,
            ADD_SCRIPT,
            &key,
            vec![Value::from(i64::from(delta)), Value::from(expires_at)],
        )
        .await?;
        Ok(u32::try_from(count.max(0)).unwrap_or(u32::MAX))
    }

    async fn get_many(&self, windows: &[(String, u64)]) -> Result<Vec<u32>, StoreError> {
        if windows.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = windows.iter().map(|(k, w)| counter_key(k, *w)).collect();
        let counts: Vec<Option<u32>> = self.pool.mget(keys).await.map_err(store_error)?;
        Ok(counts.into_iter().map(Option::unwrap_or_default).collect())
    }

    async fn add_many(&self, changes: &[CounterChange]) -> Result<Vec<u32>, StoreError> {
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        // One script for every counter: one round trip, all changed atomically.
        let mut args = vec![
            Value::from(ADD_MANY_SCRIPT),
            Value::from(i64::try_from(changes.len()).unwrap_or(i64::MAX)),
        ];
        args.extend(
            changes
                .iter()
                .map(|c| Value::from(counter_key(&c.key, c.window_start))),
        );
        for change in changes {
            args.push(Value::from(i64::from(change.delta)));
            args.push(Value::from(
                i64::try_from(change.expires_at).unwrap_or(i64::MAX),
            ));
        }
        let counts: Vec<i64> = self
            .pool
            .custom(
                CustomCommand::new_static("EVAL", ClusterHash::Random, false),
                args,
            )
            .await
            .map_err(store_error)?;
        Ok(counts
            .into_iter()
            .map(|c| u32::try_from(c.max(0)).unwrap_or(u32::MAX))
            .collect())
    }

    async fn delete(&self, key: &str, window_start: u64) -> Result<(), StoreError> {
        self.pool
            .del::<Value, _>(counter_key(key, window_start))
            .await
            .map(|_| ())
            .map_err(store_error)
    }
}

/// `INCRBY` then `EXPIREAT` (the same instant for every change of one window), answering
/// the new count, never below zero.
const ADD_SCRIPT: &str = "local c = redis.call('INCRBY', KEYS[1], ARGV[1]) \
    if c < 0 then redis.call('SET', KEYS[1], 0) c = 0 end \
    redis.call('EXPIREAT', KEYS[1], ARGV[2]) \
    return c";

/// [`ADD_SCRIPT`] for every key: `ARGV` holds a delta and an expiry per key, in order.
const ADD_MANY_SCRIPT: &str = "local out = {} \
    for i, key in ipairs(KEYS) do \
      local c = redis.call('INCRBY', key, ARGV[2 * i - 1]) \
      if c < 0 then redis.call('SET', key, 0) c = 0 end \
      redis.call('EXPIREAT', key, ARGV[2 * i]) \
      out[i] = c \
    end \
    return out";

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
