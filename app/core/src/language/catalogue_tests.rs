//! Every language says everything English says, with the same placeholders: a missing or
//! misspelt key, a lost `{{ variable }}` or `<tag>` fails here (the build only warns).

use std::collections::{BTreeMap, BTreeSet};

const PLURAL_FORMS: [&str; 6] = ["_zero", "_one", "_two", "_few", "_many", "_other"];

/// A catalogue flattened to `key.path → text`.
fn flatten(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, value, out);
            }
        }
        serde_json::Value::String(text) => {
            out.insert(prefix.to_owned(), text.clone());
        }
        other => panic!("{prefix}: not a string: {other}"),
    }
}

fn catalogue(tag: &str) -> BTreeMap<String, String> {
    let path = format!("{}/locales/{tag}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut flat = BTreeMap::new();
    flatten("", &json, &mut flat);
    flat
}

/// `wait.seconds_one` → (`wait.seconds`, true); `pin.label` → (`pin.label`, false).
fn base_key(key: &str) -> (String, bool) {
    PLURAL_FORMS
        .iter()
        .find_map(|form| key.strip_suffix(form))
        .map_or((key.to_owned(), false), |base| (base.to_owned(), true))
}

/// The `{{ name }}` variables and `<tag>` components a text uses.
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else {
            break;
        };
        found.insert(rest[start + 2..start + end].trim().to_owned());
        rest = &rest[start + end + 2..];
    }
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        found.insert(rest[start..start + end + 1].replace('/', ""));
        rest = &rest[start + end + 1..];
    }
    found
}

#[test]
fn every_language_has_every_key_with_the_same_placeholders() {
    let english = catalogue("en");
    let mut english_bases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (key, text) in &english {
        let (base, _) = base_key(key);
        english_bases
            .entry(base)
            .or_default()
            .extend(placeholders(text));
    }
    for locale in super::all() {
        let tag = super::tag(*locale);
        let translated = catalogue(tag);
        let mut bases: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (key, text) in &translated {
            let (base, plural) = base_key(key);
            let expected = english_bases
                .get(&base)
                .unwrap_or_else(|| panic!("{tag}: {key} is not an English key"));
            let used = placeholders(text);
            // A plural form may leave out `count` ("one second"); nothing may be invented.
            assert!(
                used.is_subset(expected),
                "{tag}: {key} uses {used:?}, not {expected:?}"
            );
            if !plural {
                assert_eq!(&used, expected, "{tag}: {key} placeholders");
            }
            bases.entry(base).or_default().extend(used);
        }
        for (base, expected) in &english_bases {
            let used = bases
                .get(base)
                .unwrap_or_else(|| panic!("{tag}: missing {base}"));
            assert_eq!(used, expected, "{tag}: {base} placeholders across forms");
            if english.contains_key(&format!("{base}_other")) {
                assert!(
                    translated.contains_key(&format!("{base}_other")),
                    "{tag}: {base} needs an _other form"
                );
            }
        }
    }
}

#[test]
fn the_check_itself_notices_a_missing_key() {
    let english = catalogue("en");
    let mut broken = english.clone();
    broken.remove("pin.label");
    assert_ne!(english.len(), broken.len());
    assert!(placeholders("in {{ time }} <b>x</b>").contains("time"));
    assert!(placeholders("<outbox>x</outbox>").contains("<outbox>"));
}
