//! The few CBOR items WebAuthn needs (RFC 8949): integers, byte and text strings, maps.

fn head(out: &mut Vec<u8>, major: u8, value: u64) {
    let major = major << 5;
    // Each arm's value fits the width it is written in.
    match value {
        0..=23 => out.push(major | value as u8),
        24..=0xff => out.extend_from_slice(&[major | 24, value as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend_from_slice(&(value as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend_from_slice(&(value as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend_from_slice(&value.to_be_bytes());
        }
    }
}

/// Major type 0 (unsigned) or 1 (negative: -1 - n).
pub fn int(out: &mut Vec<u8>, value: i64) {
    if value >= 0 {
        head(out, 0, value.unsigned_abs());
    } else {
        // -1 - value, without overflow for i64::MIN.
        head(out, 1, (value + 1).unsigned_abs());
    }
}

/// Major type 2.
pub fn bytes(out: &mut Vec<u8>, value: &[u8]) {
    head(out, 2, value.len() as u64);
    out.extend_from_slice(value);
}

/// Major type 3.
pub fn text(out: &mut Vec<u8>, value: &str) {
    head(out, 3, value.len() as u64);
    out.extend_from_slice(value.as_bytes());
}

/// Major type 5: the header of a map of `pairs` pairs; the caller writes key, value, ….
pub fn map(out: &mut Vec<u8>, pairs: usize) {
    head(out, 5, pairs as u64);
}
