//! Model-based checks of the login lifecycle: random sequences of single operations and of
//! operations sent together (the same cookie included), by three browsers on two numbers,
//! with the clock moving, with or without silent authentication first (its results brought
//! back in the right browser or another, confirmed or failing), against the real service on in-memory stores and a scripted
//! provider. After every step the invariants the lifecycle owns must hold:
//! - every send counter covers the deliveries it stands for (SMS and calls, the provider's
//!   own included) and stays within its limit, so deliveries never exceed the limits;
//! - a number's lock is held only while a login for it can still be used;
//! - a number's wrong-code count never goes down but by a sign-in of that number;
//! - a sign-in renews the session id, and sign-ins by code never outnumber right codes;
//! - an ended session is never listed again, each listed session is under its own account,
//!   and a lone "Sign out" / "Sign out everywhere else" ends exactly what it names.
//!
//! A failure prints the shortest sequence proptest could shrink it to.

mod invariants;
mod ops;
mod provider;
mod request;
mod sessions;
mod world;

use proptest::prelude::*;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};
use world::{Op, World, NUMBERS};

/// One step of a case.
#[derive(Clone, Debug)]
enum Step {
    /// One request.
    Alone(Op),
    /// Several requests in flight at once.
    Together(Vec<Op>),
    /// The clock moves on.
    Wait(u64),
}

/// The reference: how the case is set up; the steps carry no expectations of their own
/// (the invariants are checked against the world itself).
#[derive(Clone, Debug)]
struct Setup {
    v1_like: bool,
    silent: bool,
    seed: u64,
}

struct Lifecycle;

fn op() -> impl Strategy<Value = Op> {
    let b = 0..3usize;
    let n = 0..NUMBERS.len();
    prop_oneof![
        4 => (b.clone(), n.clone(), any::<bool>())
            .prop_map(|(browser, number, whatsapp)| Op::Start { browser, number, whatsapp }),
        3 => (b.clone(), n.clone()).prop_map(|(browser, number)| Op::RightCode { browser, number }),
        3 => b.clone().prop_map(|browser| Op::WrongCode { browser }),
        2 => b.clone().prop_map(|browser| Op::CallMe { browser }),
        2 => (b.clone(), n.clone(), any::<bool>())
            .prop_map(|(browser, number, fails)| Op::Silent { browser, number, fails }),
        2 => b.clone().prop_map(|browser| Op::ChangeNumber { browser }),
        2 => b.clone().prop_map(|browser| Op::Logout { browser }),
        1 => (b.clone(), n).prop_map(|(browser, number)| Op::Passkey { browser, number }),
        1 => (b.clone(), b.clone()).prop_map(|(browser, target)| Op::EndSession { browser, target }),
        1 => b.prop_map(|browser| Op::EndOthers { browser }),
    ]
}

impl ReferenceStateMachine for Lifecycle {
    type State = Setup;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Setup> {
        (any::<bool>(), any::<bool>(), any::<u64>())
            .prop_map(|(v1_like, silent, seed)| Setup {
                v1_like,
                silent,
                seed,
            })
            .boxed()
    }

    fn transitions(_: &Setup) -> BoxedStrategy<Step> {
        prop_oneof![
            5 => op().prop_map(Step::Alone),
            3 => prop::collection::vec(op(), 2..6).prop_map(Step::Together),
            2 => prop_oneof![Just(10u64), Just(35), Just(70), Just(400)].prop_map(Step::Wait),
        ]
        .boxed()
    }

    fn apply(state: Setup, _: &Step) -> Setup {
        state
    }
}

/// The world and the runtime it runs on.
struct Harness {
    world: World,
    runtime: tokio::runtime::Runtime,
    code_sign_ins: usize,
    /// Session handles ever listed, and those gone since.
    ever_listed: std::collections::HashSet<String>,
    gone: std::collections::HashSet<String>,
}

impl StateMachineTest for Lifecycle {
    type SystemUnderTest = Harness;
    type Reference = Lifecycle;

    fn init_test(setup: &Setup) -> Harness {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        Harness {
            world: World::new(setup.v1_like, setup.silent, setup.seed),
            runtime,
            code_sign_ins: 0,
            ever_listed: Default::default(),
            gone: Default::default(),
        }
    }

    fn apply(mut h: Harness, _: &Setup, step: Step) -> Harness {
        let ops = match step {
            Step::Wait(secs) => {
                h.world.advance(secs);
                return h;
            }
            Step::Alone(op) => vec![op],
            Step::Together(ops) => ops,
        };
        let runtime = &h.runtime;
        let world = &h.world;
        let before: Vec<u32> = runtime.block_on(async {
            let mut counts = Vec::new();
            for n in 0..NUMBERS.len() {
                counts.push(world.failures(n).await);
            }
            counts
        });
        let pending_before: Vec<_> = runtime.block_on(async {
            let mut all = Vec::new();
            for b in 0..3 {
                all.push(world.pending_of(b).await);
            }
            all
        });
        let (users, listed_before) =
            runtime.block_on(async { (world.users().await, world.listed().await) });
        let mut done = runtime.block_on(futures_join_all(
            ops.iter().map(|op| world.run(op)).collect(),
        ));
        for d in &done {
            if d.signed_in.is_some() {
                let renewed =
                    matches!(d.cookie_after, Some(Some(id)) if Some(id) != d.cookie_before);
                assert!(renewed, "a sign-in kept its session id");
                h.code_sign_ins += usize::from(d.by_code);
            }
        }
        let after: Vec<u32> = runtime.block_on(async {
            let mut counts = Vec::new();
            for n in 0..NUMBERS.len() {
                counts.push(world.failures(n).await);
            }
            counts
        });
        for n in 0..NUMBERS.len() {
            let signed_in = done.iter().any(|d| d.signed_in == Some(n));
            assert!(
                after[n] >= before[n] || signed_in,
                "{}'s wrong codes went from {} to {} without a sign-in",
                NUMBERS[n],
                before[n],
                after[n]
            );
        }
        // A lone logout or "Use a different number" leaves nothing live upstream, unless the
        // provider refused a cancel of it (its first 30 s when Vonage-v1-like): then its
        // call may still come, and is counted (checked with the counters).
        if let [Op::Logout { browser } | Op::ChangeNumber { browser }] = ops.as_slice() {
            if let Some((_, request_id, _)) = &pending_before[*browser] {
                let live = h.world.provider.requests().into_iter().any(|r| {
                    &r.id == request_id && r.state == provider::State::Live && !r.cancel_refused
                });
                assert!(!live, "the code is still live after the login ended");
            }
        }
        if let [op] = ops.as_slice() {
            let listed_after = runtime.block_on(world.listed());
            let checked =
                sessions::check_lone_session_op(op, &users, &listed_before, &listed_after);
            if let Err(breach) = checked {
                panic!("{breach}");
            }
        }
        h.world.keep_cookies(&mut done);
        let (world, ever, gone) = (&h.world, &mut h.ever_listed, &mut h.gone);
        if let Err(breach) = h.runtime.block_on(world.check_session_index(ever, gone)) {
            panic!("{breach}");
        }
        h
    }

    fn check_invariants(h: &Harness, _: &Setup) {
        let requests = h.world.provider.requests();
        let verified = requests
            .iter()
            .filter(|r| r.state == provider::State::Verified)
            .count();
        assert!(
            h.code_sign_ins <= verified,
            "{} sign-ins by code for {} right codes",
            h.code_sign_ins,
            verified
        );
        h.runtime.block_on(async {
            if let Err(breach) = h.world.check_send_counters(&requests).await {
                panic!("{breach}");
            }
            if let Err(breach) = h.world.check_locks(&requests).await {
                panic!("{breach}");
            }
        });
    }
}

/// Polls every future to completion on one thread, interleaving them at each await.
async fn futures_join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut handles: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = handles.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, handle) in handles.iter_mut().enumerate() {
            if outputs[i].is_some() {
                continue;
            }
            match handle.as_mut().poll(cx) {
                std::task::Poll::Ready(out) => outputs[i] = Some(out),
                std::task::Poll::Pending => pending = true,
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

prop_state_machine! {
    #![proptest_config(ProptestConfig {
        cases: model_cases(),
        max_shrink_iters: 20_000,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn every_ending_happens_once_under_any_interleaving(sequential 1..40 => Lifecycle);
}

/// Cases per run: `MODEL_CASES` when set, else 2,000.
fn model_cases() -> u32 {
    std::env::var("MODEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}
