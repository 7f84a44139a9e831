//! SHA-256 checksums in the `sha256sum` format the archive publishes beside every zip:
//! `<64 hex digits>  <file name>` (one line; `sha256sum -c` reads it).

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    hex
}

/// The hash a `.CHECKSUM` file states for `file_name`, lower-cased.
///
/// Accepts the `sha256sum` text (`hash  name`, `hash *name` in binary mode, or a bare hash). When a name is
/// given it must be `file_name`, so that a checksum published for another file cannot verify this one.
pub fn parse_checksum(text: &str, file_name: &str) -> Result<String, String> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or("the file is empty")?;
    let mut parts = line.split_whitespace();
    let hash = parts.next().unwrap_or_default();
    if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("'{hash}' is not a SHA-256 (64 hex digits)"));
    }
    if let Some(name) = parts.next() {
        let name = name.trim_start_matches('*');
        if name != file_name {
            return Err(format!("it is for '{name}', not for '{file_name}'"));
        }
    }
    Ok(hash.to_ascii_lowercase())
}

/// The checksum file wick keeps in its cache beside a verified zip, in the archive's own format.
pub fn checksum_line(hash: &str, file_name: &str) -> String {
    format!("{hash}  {file_name}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn the_hash_of_known_inputs_matches_sha256sum() {
        assert_eq!(sha256_hex(b""), EMPTY_SHA256);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_sha256sum_line_yields_its_hash_for_the_named_file() {
        let text = format!("{}  BTCUSDT-1h-2020-01.zip\n", EMPTY_SHA256.to_uppercase());
        assert_eq!(
            parse_checksum(&text, "BTCUSDT-1h-2020-01.zip").unwrap(),
            EMPTY_SHA256
        );
        let binary_mode = format!("{EMPTY_SHA256} *BTCUSDT-1h-2020-01.zip");
        assert_eq!(
            parse_checksum(&binary_mode, "BTCUSDT-1h-2020-01.zip").unwrap(),
            EMPTY_SHA256
        );
        assert_eq!(
            parse_checksum(&format!("\n{EMPTY_SHA256}\n"), "x.zip").unwrap(),
            EMPTY_SHA256
        );
        assert_eq!(
            checksum_line(EMPTY_SHA256, "x.zip"),
            format!("{EMPTY_SHA256}  x.zip\n")
        );
    }

    #[test]
    fn a_checksum_for_another_file_or_a_malformed_one_is_refused() {
        let other = format!("{EMPTY_SHA256}  BTCUSDT-1h-2020-02.zip");
        let err = parse_checksum(&other, "BTCUSDT-1h-2020-01.zip").unwrap_err();
        assert_eq!(
            err,
            "it is for 'BTCUSDT-1h-2020-02.zip', not for 'BTCUSDT-1h-2020-01.zip'"
        );
        assert!(parse_checksum("", "x.zip").unwrap_err().contains("empty"));
        assert!(
            parse_checksum("<html>Not Found</html>", "x.zip")
                .unwrap_err()
                .contains("not a SHA-256")
        );
        assert!(parse_checksum(&EMPTY_SHA256[..63], "x.zip").is_err());
    }
}
