//! Verify v1 start timing: the preset workflows (`workflow_id` 1–7) with their default waits,
//! and `pin_expiry` / `next_event_wait` with Vonage's rule between them.

use super::timeline::{Channel, Plan};
use std::time::Duration;
use Channel::{Sms, Voice};

/// `pin_expiry` range, seconds.
const PIN_EXPIRY_SECS: std::ops::RangeInclusive<u64> = 60..=3600;
/// `next_event_wait` range, seconds.
const NEXT_EVENT_WAIT_SECS: std::ops::RangeInclusive<u64> = 60..=900;

/// A preset workflow: its events and the default wait after each, in seconds (`None`: the
/// PIN expiry, for the single-event workflows 6 and 7).
struct Preset {
    events: &'static [Channel],
    waits: &'static [Option<u64>],
}

/// `workflow_id` 1–7 (1 is the default), as Vonage's guide lists them.
const PRESETS: [Preset; 7] = [
    Preset {
        events: &[Sms, Voice, Voice],
        waits: &[Some(125), Some(180), Some(300)],
    },
    Preset {
        events: &[Sms, Sms, Voice],
        waits: &[Some(125), Some(180), Some(300)],
    },
    Preset {
        events: &[Voice, Voice],
        waits: &[Some(150), Some(150)],
    },
    Preset {
        events: &[Sms, Sms],
        waits: &[Some(120), Some(180)],
    },
    Preset {
        events: &[Sms, Voice],
        waits: &[Some(120), Some(180)],
    },
    Preset {
        events: &[Sms],
        waits: &[None],
    },
    Preset {
        events: &[Voice],
        waits: &[None],
    },
];

/// The raw timing parameters of a v1 start (`None` = absent).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TimingParams<'a> {
    pub workflow_id: Option<&'a str>,
    pub pin_expiry: Option<&'a str>,
    pub next_event_wait: Option<&'a str>,
}

/// The plan for a v1 start. `default_pin_expiry` applies when `pin_expiry` is absent. When
/// both `pin_expiry` and `next_event_wait` are given and the first is not an integer multiple
/// of the second, the PIN expiry is forced equal to `next_event_wait`. `next_event_wait`
/// replaces every wait of the workflow; without it the workflow's default waits apply.
/// `Err` names the parameter whose value is invalid (status "3").
pub(crate) fn plan(
    params: TimingParams<'_>,
    default_pin_expiry: Duration,
) -> Result<Plan, &'static str> {
    let preset = match params.workflow_id {
        None => &PRESETS[0],
        Some(id) => id
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|index| PRESETS.get(index))
            .ok_or("workflow_id")?,
    };
    let pin_expiry = seconds(params.pin_expiry, PIN_EXPIRY_SECS, "pin_expiry")?;
    let next_event_wait = seconds(
        params.next_event_wait,
        NEXT_EVENT_WAIT_SECS,
        "next_event_wait",
    )?;
    let pin_expiry = match (pin_expiry, next_event_wait) {
        (Some(expiry), Some(wait)) if expiry % wait != 0 => Duration::from_secs(wait),
        (Some(expiry), _) => Duration::from_secs(expiry),
        (None, _) => default_pin_expiry,
    };
    let waits: Vec<Duration> = match next_event_wait {
        Some(wait) => vec![Duration::from_secs(wait)],
        None => preset
            .waits
            .iter()
            .map(|wait| wait.map_or(pin_expiry, Duration::from_secs))
            .collect(),
    };
    Ok(Plan::new(preset.events, &waits, Some(pin_expiry)))
}

/// A whole number of seconds within `range`; `Err(name)` otherwise.
fn seconds(
    value: Option<&str>,
    range: std::ops::RangeInclusive<u64>,
    name: &'static str,
) -> Result<Option<u64>, &'static str> {
    match value {
        None => Ok(None),
        Some(text) => match text.trim().parse::<u64>() {
            Ok(secs) if range.contains(&secs) => Ok(Some(secs)),
            _ => Err(name),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIVE_MINUTES: Duration = Duration::from_secs(300);

    fn secs(list: &[u64]) -> Vec<Duration> {
        list.iter().copied().map(Duration::from_secs).collect()
    }

    fn params<'a>(
        workflow_id: Option<&'a str>,
        pin_expiry: Option<&'a str>,
        next_event_wait: Option<&'a str>,
    ) -> TimingParams<'a> {
        TimingParams {
            workflow_id,
            pin_expiry,
            next_event_wait,
        }
    }

    #[test]
    fn presets_have_the_guides_sequences_and_default_waits() {
        let expected: [(&[Channel], &[u64]); 7] = [
            (&[Sms, Voice, Voice], &[125, 180, 300]),
            (&[Sms, Sms, Voice], &[125, 180, 300]),
            (&[Voice, Voice], &[150, 150]),
            (&[Sms, Sms], &[120, 180]),
            (&[Sms, Voice], &[120, 180]),
            (&[Sms], &[300]),
            (&[Voice], &[300]),
        ];
        for (n, (events, waits)) in expected.into_iter().enumerate() {
            let id = (n + 1).to_string();
            let plan = plan(params(Some(&id), None, None), FIVE_MINUTES);
            let want = Plan::new(events, &secs(waits), Some(FIVE_MINUTES));
            assert_eq!(plan, Ok(want), "workflow {id}");
        }
        assert_eq!(
            plan(TimingParams::default(), FIVE_MINUTES),
            plan(params(Some("1"), None, None), FIVE_MINUTES),
            "1 is the default"
        );
    }

    #[test]
    fn next_event_wait_replaces_the_default_waits() {
        let plan = plan(params(Some("5"), Some("300"), Some("150")), FIVE_MINUTES);
        let want = Plan::new(&[Sms, Voice], &secs(&[150, 150]), Some(FIVE_MINUTES));
        assert_eq!(plan, Ok(want));
    }

    #[test]
    fn pin_expiry_not_a_multiple_of_the_wait_is_forced_equal_to_it() {
        let plan = plan(params(None, Some("200"), Some("120")), FIVE_MINUTES);
        let lifetime = Some(Duration::from_secs(120));
        let want = Plan::new(&[Sms, Voice, Voice], &secs(&[120]), lifetime);
        assert_eq!(plan, Ok(want));
        let single_pin_expiry = super::plan(params(Some("6"), Some("600"), None), FIVE_MINUTES);
        let lifetime = Some(Duration::from_secs(600));
        assert_eq!(
            single_pin_expiry,
            Ok(Plan::new(&[Sms], &secs(&[600]), lifetime)),
            "workflow 6 ends after its PIN expiry"
        );
    }

    #[test]
    fn out_of_range_values_name_their_parameter() {
        for (bad, name) in [
            (params(Some("0"), None, None), "workflow_id"),
            (params(Some("8"), None, None), "workflow_id"),
            (params(Some("x"), None, None), "workflow_id"),
            (params(None, Some("59"), None), "pin_expiry"),
            (params(None, Some("3601"), None), "pin_expiry"),
            (params(None, Some("1.5"), None), "pin_expiry"),
            (params(None, None, Some("59")), "next_event_wait"),
            (params(None, None, Some("901")), "next_event_wait"),
            (params(None, None, Some("-60")), "next_event_wait"),
        ] {
            assert_eq!(plan(bad, FIVE_MINUTES), Err(name), "{bad:?}");
        }
        for (good, _) in [
            (params(None, Some("60"), Some("60")), ()),
            (params(None, Some("3600"), Some("900")), ()),
        ] {
            assert!(plan(good, FIVE_MINUTES).is_ok(), "{good:?}");
        }
    }
}
