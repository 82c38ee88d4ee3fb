//! A bot rotating over many ranges of one wider prefix, with honest visitors beside it: the
//! wider scopes keep the sends of each blocked range, so the bot is caught wider up while
//! ranges whose codes are typed go on.

use super::*;

/// The bot's numbers in range `range` (0 to 11) of +44 740: +44 74020 … +44 74031.
fn rotated(range: u32, n: u32) -> PhoneNumber {
    number(&format!("+44740{}{n:05}", 20 + range))
}

/// An honest visitor in `prefix` (`+4474001`) who types the code; answers the admission.
async fn honest(guard: &FraudGuard, prefix: &str, n: u32, now: u64) -> Admission {
    let user = number(&format!("{prefix}{n:05}"));
    let admission = guard.admit(&user, now).await.expect("store");
    if !matches!(admission, Admission::Refused { .. }) {
        guard.verified(&user, now).await.expect("counted");
    }
    admission
}

/// A bot over 12 ranges of +44 740, `per_range` starts to each before it moves on (or one to
/// each in turn with `per_range` 0), with an honest visitor in +44 74001 (same wider prefix)
/// and one in +44 79111 (another) every fourth start; answers the codes the bot got and the
/// honest visitors refused.
async fn rotate(guard: &FraudGuard, starts: u32, per_range: u32, now: u64) -> (u32, u32) {
    let (mut bot, mut refused) = (0, 0);
    for n in 0..starts {
        if n % 4 == 0 {
            for prefix in ["+4474001", "+4479111"] {
                if matches!(
                    honest(guard, prefix, n, now).await,
                    Admission::Refused { .. }
                ) {
                    refused += 1;
                }
            }
        }
        let range = n.checked_div(per_range).unwrap_or(n) % 12;
        let admission = guard.admit(&rotated(range, n), now).await.expect("store");
        if !matches!(admission, Admission::Refused { .. }) {
            bot += 1;
        }
    }
    (bot, refused)
}

#[tokio::test]
async fn a_bot_moving_from_range_to_range_is_caught_by_the_wider_prefix() {
    let guard = guard(GuardMode::Enforce, &[]);
    let now = 2_000_000;
    // Without memory of the blocked ranges, each of the 12 would take 10 codes (120).
    let (bot, refused) = rotate(&guard, 300, 15, now).await;
    assert!(bot <= 20, "at most twice GUARD_MIN_SENDS: {bot}");
    assert_eq!(refused, 0, "honest visitors in both ranges go on");
    let blocks = guard.blocks(now).await.expect("list");
    let scopes: Vec<&str> = blocks.iter().map(|b| b.scope.as_str()).collect();
    assert!(scopes.contains(&"prefix:+44740"), "{scopes:?}");
    assert!(!scopes.contains(&"country:GB"), "{scopes:?}");
}

#[tokio::test]
async fn a_bot_spreading_over_ranges_in_turn_is_caught_by_the_wider_prefix() {
    let guard = guard(GuardMode::Enforce, &[]);
    let (bot, refused) = rotate(&guard, 300, 0, 3_000_000).await;
    assert!(bot <= 20, "{bot}");
    assert_eq!(refused, 0);
}

#[tokio::test]
async fn audit_lets_the_rotating_bot_through_and_lists_the_wider_block() {
    let guard = guard(GuardMode::Audit, &[]);
    let (bot, refused) = rotate(&guard, 120, 15, 4_000_000).await;
    assert_eq!((bot, refused), (120, 0));
    let blocks = guard.blocks(4_000_000).await.expect("list");
    assert!(
        blocks.iter().any(|b| b.scope == "prefix:+44740"),
        "{blocks:?}"
    );
}

#[tokio::test]
async fn a_wider_block_refuses_ranges_that_do_not_convert_and_lets_converting_ones_on() {
    let guard = guard(GuardMode::Enforce, &[]);
    let now = 5_000_000;
    // An honest range converting before the attack; a range with sends never typed.
    for n in 0..3 {
        assert_eq!(honest(&guard, "+4474001", n, now).await, Admission::Counted);
    }
    let quiet = number("+447400500001");
    assert_eq!(guard.admit(&quiet, now).await, Ok(Admission::Counted));
    rotate(&guard, 60, 10, now).await;
    let blocks = guard.blocks(now).await.expect("list");
    assert!(
        blocks.iter().any(|b| b.scope == "prefix:+44740"),
        "{blocks:?}"
    );
    // The converting range goes on; ranges with nothing typed, fresh ones included, wait.
    assert_eq!(
        honest(&guard, "+4474001", 900, now).await,
        Admission::Counted
    );
    let refused = Admission::Refused {
        scope: "prefix:+44740".into(),
    };
    assert_eq!(
        guard.admit(&number("+447400500002"), now).await,
        Ok(refused.clone())
    );
    assert_eq!(
        guard.admit(&number("+447400800001"), now).await,
        Ok(refused)
    );
    // Elsewhere in the country, nothing changes.
    assert_eq!(honest(&guard, "+4477001", 1, now).await, Admission::Counted);
    assert_eq!(
        guard.admit(&number("+447830100999"), now).await,
        Ok(Admission::Counted)
    );
}

#[tokio::test]
async fn refused_sends_do_not_fill_the_wider_scopes() {
    let guard = guard(GuardMode::Enforce, &[]);
    let now = 6_000_000;
    // One range pumped long after its block: only the 10 codes sent count wider up, so
    // its neighbours are not judged on the refusals.
    assert_eq!(pump(&guard, 200, now).await, 10);
    let neighbour = number("+447400123456");
    assert_eq!(guard.admit(&neighbour, now).await, Ok(Admission::Counted));
    assert_eq!(guard.blocks(now).await.expect("list").len(), 1);
}

#[tokio::test]
async fn a_wider_prefix_holding_a_blocked_ranges_sends_is_risky() {
    let guard = guard(GuardMode::Enforce, &[]);
    let now = 7_000_000;
    let neighbour = number("+447400123456");
    assert_eq!(guard.straining(&neighbour, now).await, Ok(false));
    pump(&guard, 20, now).await;
    // +44 740 holds the 10 codes sent to the blocked +44 74009: half the 20 it needs, with
    // nothing typed, so a send to its other ranges is worth a human check.
    assert_eq!(guard.straining(&neighbour, now).await, Ok(true));
    let elsewhere = number("+447911100001");
    assert_eq!(guard.straining(&elsewhere, now).await, Ok(false));
}

#[tokio::test]
async fn lifting_a_wider_block_lets_its_ranges_on() {
    let guard = guard(GuardMode::Enforce, &[]);
    let now = 8_000_000;
    rotate(&guard, 60, 10, now).await;
    let fresh = number("+447400800001");
    assert!(matches!(
        guard.admit(&fresh, now).await,
        Ok(Admission::Refused { .. })
    ));
    assert_eq!(guard.lift("prefix:+44740", now).await, Ok(true));
    assert_eq!(guard.admit(&fresh, now).await, Ok(Admission::Counted));
}
