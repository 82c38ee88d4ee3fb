//! The guard against a pumping run on one range, with honest traffic beside it, on
//! in-process stores; a bot rotating over ranges in [`rotation`].

use super::*;
use crate::auth::server::store::blocks::MemoryBlocks;
use crate::auth::server::store::counters::MemoryCounters;
use crate::domain::DefaultCountry;

mod rotation;

fn number(text: &str) -> PhoneNumber {
    let gb: DefaultCountry = "GB".parse().expect("GB");
    PhoneNumber::parse(text, gb).expect("valid number")
}

fn guard(mode: GuardMode, safe: &[&str]) -> FraudGuard {
    let settings = GuardSettings {
        mode,
        min_sends: 10,
        safe_list: safe.iter().map(|s| (*s).to_owned()).collect(),
        ..GuardSettings::default()
    };
    FraudGuard::new(
        settings,
        Arc::new(MemoryCounters::default()),
        Arc::new(MemoryBlocks::default()),
    )
}

/// The n-th number in the pumped range +44 7400 9xxxxx.
fn pumped(n: u32) -> PhoneNumber {
    number(&format!("+4474009{:05}", n))
}

/// Pumps `count` sends into the range; answers how many were admitted.
async fn pump(guard: &FraudGuard, count: u32, now: u64) -> u32 {
    let mut admitted = 0;
    for n in 0..count {
        match guard.admit(&pumped(n), now).await.expect("store") {
            Admission::Refused { .. } => {}
            _ => admitted += 1,
        }
    }
    admitted
}

#[tokio::test]
async fn enforce_blocks_a_pumped_prefix_after_min_sends_and_honest_users_go_on() {
    let guard = guard(GuardMode::Enforce, &[]);
    let now = 1_000_000;
    assert_eq!(
        pump(&guard, 50, now).await,
        10,
        "at most GUARD_MIN_SENDS reach it"
    );
    let blocks = guard.blocks(now).await.expect("list");
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].scope, "prefix:+4474009");
    assert_eq!(blocks[0].until, now + 3600);
    // Honest users elsewhere in the same country (and the same operator's wider range)
    // sign in: their sends are admitted and converted.
    for n in 0..30u32 {
        let honest = number(&format!("+4479111{:05}", n));
        assert_eq!(guard.admit(&honest, now).await, Ok(Admission::Counted));
        guard.verified(&honest, now).await.expect("counted");
    }
    // Even a wider range of the pumped one, with no honest traffic, is not blocked by one
    // pumped range alone: it keeps the range's sends but needs twice the volume.
    let neighbour = number("+447400123456");
    assert_eq!(guard.admit(&neighbour, now).await, Ok(Admission::Counted));
    // After the block, the range starts afresh; a repeat blocks it for twice as long.
    let later = now + 3600;
    assert_eq!(pump(&guard, 50, later).await, 10);
    let blocks = guard.blocks(later).await.expect("list");
    assert_eq!((blocks[0].strikes, blocks[0].until), (2, later + 7200));
}

#[tokio::test]
async fn audit_refuses_nothing_but_records_the_block() {
    let guard = guard(GuardMode::Audit, &[]);
    assert_eq!(pump(&guard, 50, 5000).await, 50);
    let blocks = guard.blocks(5000).await.expect("list");
    assert_eq!(
        blocks.len(),
        1,
        "the operator sees what enforce would block"
    );
}

#[tokio::test]
async fn a_safe_listed_prefix_is_never_blocked() {
    let guard = guard(GuardMode::Enforce, &["+447400"]);
    assert_eq!(pump(&guard, 50, 5000).await, 50);
    assert_eq!(guard.blocks(5000).await, Ok(vec![]));
}

#[tokio::test]
async fn converting_traffic_is_never_blocked() {
    let guard = guard(GuardMode::Enforce, &[]);
    for n in 0..100u32 {
        let user = pumped(n);
        assert_eq!(guard.admit(&user, 9000).await, Ok(Admission::Counted));
        // Two in five never type their code.
        if n % 5 >= 2 {
            guard.verified(&user, 9000).await.expect("counted");
        }
    }
    assert_eq!(guard.blocks(9000).await, Ok(vec![]));
}

#[tokio::test]
async fn parallel_pumping_never_gets_past_min_sends() {
    let guard = guard(GuardMode::Enforce, &[]);
    let tasks: Vec<_> = (0..60u32)
        .map(|n| {
            let guard = guard.clone();
            tokio::spawn(async move { guard.admit(&pumped(n), 7000).await })
        })
        .collect();
    let mut admitted = 0;
    for task in tasks {
        if !matches!(task.await.expect("ran"), Ok(Admission::Refused { .. })) {
            admitted += 1;
        }
    }
    assert!(admitted <= 10, "{admitted} admitted");
}

#[tokio::test]
async fn lifting_a_block_lets_the_scope_start_afresh() {
    let guard = guard(GuardMode::Enforce, &[]);
    pump(&guard, 11, 100).await;
    assert_eq!(guard.lift("prefix:+4474009", 200).await, Ok(true));
    assert_eq!(guard.admit(&pumped(1), 200).await, Ok(Admission::Counted));
    assert_eq!(guard.lift("prefix:+4474009", 200).await, Ok(false));
}

#[tokio::test]
async fn a_send_taken_back_does_not_count() {
    let guard = guard(GuardMode::Enforce, &[]);
    for n in 0..30u32 {
        assert_eq!(guard.admit(&pumped(n), 100).await, Ok(Admission::Counted));
        guard.take_back(&pumped(n), 100).await.expect("taken back");
    }
    assert_eq!(guard.blocks(100).await, Ok(vec![]));
}

#[tokio::test]
async fn off_counts_and_refuses_nothing() {
    let guard = guard(GuardMode::Off, &[]);
    for n in 0..30u32 {
        assert_eq!(guard.admit(&pumped(n), 100).await, Ok(Admission::Uncounted));
    }
}
