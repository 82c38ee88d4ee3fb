//! Who arrives: honest visitors who type their code and the bot who never does, in an even
//! mix, each from an address of its own; the bot attacks one prefix or rotates through many.

use crate::Settings;
use reqwest::header::ACCEPT;
use reqwest::StatusCode;

/// The code every honest number gets (emulator test numbers).
pub(crate) const CODE: &str = "135790";
/// One simulated visitor.
#[derive(Clone, Copy)]
pub(crate) enum Visitor {
    Honest(usize),
    Bot(usize),
}

/// The honest visitor `i`'s number: spread over several UK mobile ranges.
pub(crate) fn honest_number(i: usize) -> String {
    let ranges = ["7911", "7700", "7400", "7500", "7830"];
    format!("+44{}1{:05}", ranges[i % ranges.len()], i)
}

/// Which bot attacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bot {
    /// Every number in one prefix, +44 7400 9….
    OneRange,
    /// Numbers in one range at a time of +44 740 (+44 74020…, +44 74021…, …), moving on to
    /// the next each time the guard refuses a send (403), and round again after the last.
    Rotating { ranges: usize },
}

impl Bot {
    /// The bot's `i`-th number when it attacks its `range`-th range.
    pub(crate) fn number(self, range: usize, i: usize) -> String {
        match self {
            Self::OneRange => format!("+4474009{i:05}"),
            Self::Rotating { ranges } => format!("+44740{}{i:05}", 20 + range % ranges),
        }
    }

    /// The ranges it attacks, for the header line.
    pub(crate) fn describe(self) -> String {
        match self {
            Self::OneRange => "one prefix, +44 74009…".into(),
            Self::Rotating { ranges } => format!(
                "{ranges} prefixes +44 74020… to +44 740{}…, moving on when refused",
                19 + ranges
            ),
        }
    }
}

/// The order visitors arrive in: the bot's requests and honest visitors interleaved evenly.
pub(crate) fn arrivals(settings: &Settings) -> Vec<Visitor> {
    let total = settings.bot + settings.honest;
    let (mut bot, mut honest) = (0, 0);
    (0..total)
        .map(|_| {
            // Whichever is behind its share goes next.
            if honest * total < settings.honest * (bot + honest + 1) && honest < settings.honest {
                honest += 1;
                Visitor::Honest(honest - 1)
            } else {
                bot += 1;
                Visitor::Bot(bot - 1)
            }
        })
        .collect()
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    function: &str,
    ip: &str,
    field: (&str, &str),
) -> Result<StatusCode, reqwest::Error> {
    client
        .post(format!("{base}/api/{function}"))
        .header(ACCEPT, "application/json")
        .header("x-forwarded-for", ip)
        .form(&[field])
        .send()
        .await
        .map(|r| r.status())
}

/// What one visitor got: (code sent, signed in, the failing step and status if any).
pub(crate) type Visit = (bool, bool, Option<String>);

/// One visit; `bot_number` is the number a bot visitor asks a code for.
pub(crate) async fn visit(base: &str, visitor: Visitor, bot_number: &str) -> Result<Visit, String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .map_err(|e| e.to_string())?;
    let text = |e: reqwest::Error| e.to_string();
    match visitor {
        Visitor::Honest(i) => {
            let ip = format!("203.0.{}.{}", i / 250, i % 250 + 1);
            let number = honest_number(i);
            let start = post(&client, base, "start_login", &ip, ("number", &number))
                .await
                .map_err(text)?;
            if start != StatusCode::OK {
                return Ok((false, false, Some(format!("start {}", start.as_u16()))));
            }
            let finish = post(&client, base, "finish_login", &ip, ("code", CODE))
                .await
                .map_err(text)?;
            let failed = (finish != StatusCode::OK).then(|| format!("finish {}", finish.as_u16()));
            Ok((true, finish == StatusCode::OK, failed))
        }
        Visitor::Bot(i) => {
            let ip = format!("198.{}.{}.{}", 18 + i / 62_500, i / 250 % 250, i % 250 + 1);
            let start = post(&client, base, "start_login", &ip, ("number", bot_number))
                .await
                .map_err(text)?;
            let refused = (start != StatusCode::OK).then(|| format!("start {}", start.as_u16()));
            Ok((start == StatusCode::OK, false, refused))
        }
    }
}
