//! Redis must never evict a limit counter or a number lock before a session: an evicted
//! counter is a limit reset, an evicted lock a number taken over. Only `noeviction` (or no
//! `maxmemory` at all) guarantees it: when memory runs out, writes fail, requests answer 503
//! "temporarily unavailable" and no code is sent, while sessions keep expiring on their own.
//! `volatile-ttl` evicts the shortest-lived keys first (the counters), and the LRU/LFU and
//! random policies may pick any key.

use fred::prelude::{ClientLike, Pool};
use fred::types::{ClusterHash, CustomCommand, Value};

/// What a server set up with `maxmemory` (bytes, `0`: unlimited) and `policy` risks, when it
/// risks anything: the warning to log at start-up.
pub fn eviction_risk(maxmemory: &str, policy: &str) -> Option<String> {
    if maxmemory.trim() == "0" || policy == "noeviction" {
        return None;
    }
    Some(format!(
        "Redis maxmemory-policy is `{policy}` with maxmemory {maxmemory}: when memory runs \
         out Redis may evict rate-limit counters and number locks before sessions, which \
         resets the limits; set `maxmemory-policy noeviction`"
    ))
}

/// Reads the server's `maxmemory` and `maxmemory-policy` and answers the warning to log, if
/// any. A server that refuses `CONFIG GET` (some managed services) is answered with a
/// warning that asks the operator to check the policy.
pub async fn check(pool: &Pool) -> Option<String> {
    let policy = config_get(pool, "maxmemory-policy").await;
    let maxmemory = config_get(pool, "maxmemory").await;
    match (maxmemory, policy) {
        (Some(maxmemory), Some(policy)) => eviction_risk(&maxmemory, &policy),
        _ => Some(
            "could not read Redis's maxmemory-policy (CONFIG GET refused): make sure it is \
             `noeviction`, or limit counters may be evicted before sessions"
                .to_owned(),
        ),
    }
}

/// `CONFIG GET parameter`'s value.
async fn config_get(pool: &Pool, parameter: &str) -> Option<String> {
    let answer: Vec<String> = pool
        .custom::<Vec<String>, Value>(
            CustomCommand::new_static("CONFIG", ClusterHash::Random, false),
            vec![Value::from("GET"), Value::from(parameter)],
        )
        .await
        .ok()?;
    answer.get(1).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_noeviction_or_no_limit_keeps_counters_safe() {
        assert_eq!(eviction_risk("0", "volatile-ttl"), None, "no maxmemory");
        assert_eq!(eviction_risk("104857600", "noeviction"), None);
        for policy in [
            "volatile-ttl",
            "allkeys-lru",
            "volatile-lru",
            "allkeys-random",
        ] {
            let warning = eviction_risk("104857600", policy).expect("a risk");
            assert!(warning.contains(policy), "{warning}");
            assert!(warning.contains("noeviction"), "{warning}");
        }
    }
}
