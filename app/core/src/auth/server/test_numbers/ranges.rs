//! Number ranges reserved for fiction or testing, so a test number can never be a real
//! person's by mistake:
//! - United Kingdom, Ofcom's numbers for TV and radio drama: mobile 07700 900000–900999,
//!   London 020 7946 0000–0999, 0113/0114/0115/0116/0117/0118/0121/0131/0141/0151/0161
//!   496 0000–0999, 0191 498 0000–0999, Belfast 028 9018 0000–0999, Cardiff 029 2018
//!   0000–0999, and 01632 960000–960999.
//! - North America (NANP), reserved for fictitious use by NANPA: NXX-555-0100 to 0199 in
//!   every area code.

/// UK prefixes (E.164 without `+44`) and how many digits follow each.
const UK_RESERVED: &[(&str, usize)] = &[
    ("7700900", 3),
    ("2079460", 3),
    ("1134960", 3),
    ("1144960", 3),
    ("1154960", 3),
    ("1164960", 3),
    ("1174960", 3),
    ("1184960", 3),
    ("1214960", 3),
    ("1314960", 3),
    ("1414960", 3),
    ("1514960", 3),
    ("1614960", 3),
    ("1914980", 3),
    ("2890180", 3),
    ("2920180", 3),
    ("1632960", 3),
];

/// `true` when `e164` lies in a range reserved for fiction or testing (listed above).
pub fn is_reserved(e164: &str) -> bool {
    if let Some(national) = e164.strip_prefix("+44") {
        return UK_RESERVED.iter().any(|(prefix, rest)| {
            national.len() == prefix.len() + rest
                && national.starts_with(prefix)
                && national.bytes().all(|b| b.is_ascii_digit())
        });
    }
    if let Some(national) = e164.strip_prefix("+1") {
        // NPA (3) + 555 + 01XX.
        let b = national.as_bytes();
        return b.len() == 10 && b.iter().all(u8::is_ascii_digit) && &national[3..8] == "55501";
    }
    false
}
