//! Validation of provider ids and provider metadata: pure functions, no storage, no environment.
//!
//! **Metadata** is a JSON object of at most [`MAX_METADATA_LEN`] bytes with a string `url` and
//! an optional string `name`; other fields are allowed and skipped without being decoded. It is
//! accepted only when every gateway reads it the same way: whatever this reader accepts,
//! `serde_json` and a WHATWG URL parser (the `url` crate) accept too, with the same `url` and
//! `name` (`metadata/differential.rs` checks this on hand-picked and random inputs).
//!
//! - JSON: RFC 8259, nesting at most [`MAX_DEPTH`] deep, no repeated `url` or `name` key; every
//!   number is zero or below 10^308 in magnitude (its leading digit's decimal exponent is at most
//!   [`MAX_NUMBER_EXPONENT`]), so that it fits a 64-bit float (`1e400` is refused).
//! - `url` and `name` hold no Unicode control or format character (general categories Cc and
//!   Cf: U+0000–U+001F, U+007F–U+009F, U+00AD, U+200B–U+200F, U+202A–U+202E, U+2066–U+2069,
//!   U+FEFF, …), escaped or not.
//! - `url` is an RFC 3986 URI in printable ASCII (non-ASCII text in the path, query or
//!   fragment must be percent-encoded; hosts are plain ASCII, see below):
//!   `http://` or `https://` (lower case), then the authority up to the first `/`, `?` or `#`:
//!   - no user info (no `@` in the authority: credentials would be published on-chain);
//!   - a host: a DNS name of dot-separated labels of 1–63 ASCII letters, digits and hyphens,
//!     neither starting nor ending with a hyphen, none starting with `xn--`, the last one
//!     starting with a letter, at most [`MAX_HOST_LEN`] bytes in all; or an IPv4 address in
//!     dotted-decimal form (four numbers 0–255 without leading zeros); or an IPv6 address in
//!     brackets (RFC 4291 text form, no zone);
//!   - optionally `:` and a port 1–65535 in decimal without leading zeros;
//!   - then the path, query and fragment: RFC 3986 characters only (letters, digits,
//!     `-._~!$&'()*+,;=:@`, `/`, and `?` after the path), every `%` followed by two hex digits,
//!     and no `.` or `..` path segment (also when written `%2e`).
//!
//! The JSON is read by the small strict reader below rather than `serde_json`: pallet-contracts
//! rejects Wasm code that holds floating-point instructions, and `serde_json` always links its
//! float parsing and formatting. Numbers are therefore range-checked as text.
//!
//! **Provider ids** are 1 to [`MAX_PROVIDER_ID_LEN`] bytes of printable ASCII without space
//! (0x21–0x7E). An id that is a node's peer ID takes the libp2p text form, the base58btc of the
//! peer ID's multihash without a multibase prefix (`12D3KooW…`, `16Uiu2…`, `Qm…`, as libp2p and
//! `ipfs id` print it). Its other text form, a CIDv1 with the `libp2p-key` multicodec (0x72) in
//! a multibase encoding (`bafz…`, `k51…`, `z…`, `f0172…`), is refused, so that one node cannot
//! be registered under two ids. Other ids (`unique-provider-id`) are free-form.
use func_interfaces::{
    ensure,
    limits::{MAX_METADATA_LEN, MAX_PROVIDER_ID_LEN},
    RegistryError,
};
use ink::prelude::string::String;

/// Deepest nesting of arrays and objects accepted in metadata (bounds the reader's recursion).
pub const MAX_DEPTH: u32 = 16;

/// Largest decimal exponent of the leading digit of a non-zero metadata number: every number
/// is below 10^308 in magnitude, below `f64::MAX` ≈ 1.8 × 10^308 whatever the rounding.
pub const MAX_NUMBER_EXPONENT: i64 = 307;

/// Longest host name in a metadata `url` (RFC 1035, without the root dot).
pub const MAX_HOST_LEN: usize = 253;

/// Longest label of a host name (RFC 1035).
pub const MAX_LABEL_LEN: usize = 63;

/// Exponent digits are read up to this value; any larger exponent is just "huge" (the input
/// is at most `MAX_METADATA_LEN` bytes, so the leading-digit exponent is within ±1024).
const EXPONENT_CAP: i64 = 1_000_000;

/// Checks a provider id (see the module documentation).
///
/// # Errors
/// `EmptyProviderId`, `ProviderIdTooLong`, `ProviderIdInvalidCharacter` (a byte outside
/// 0x21–0x7E), `ProviderIdNotCanonical` (a CIDv1 text of a libp2p key).
pub fn validate_provider_id(id: &[u8]) -> Result<(), RegistryError> {
    ensure!(!id.is_empty(), RegistryError::EmptyProviderId);
    ensure!(
        id.len() <= MAX_PROVIDER_ID_LEN,
        RegistryError::ProviderIdTooLong
    );
    ensure!(
        id.iter().all(u8::is_ascii_graphic),
        RegistryError::ProviderIdInvalidCharacter
    );
    ensure!(
        !peer_id::is_libp2p_key_cid(id),
        RegistryError::ProviderIdNotCanonical
    );
    Ok(())
}

/// Checks provider metadata (see the module documentation).
///
/// # Errors
/// In this order: `MetadataTooLong` (checked before parsing), `MetadataNotJson` (also for a
/// repeated `url` or `name` key: readers disagree on which copy wins),
/// `MetadataNumberOutOfRange`, `MetadataMissingUrl`, `MetadataInvalidUrl` (`url` not a
/// string), then for the `url` string `MetadataControlCharacter`, `MetadataUrlNotAscii`,
/// `MetadataInvalidUrl` (not `http://` or `https://`, or no host), `MetadataUrlCredentials`,
/// `MetadataUrlInvalidHost`, `MetadataUrlInvalidPort`, `MetadataUrlInvalidPath`, then for
/// `name` `MetadataNameNotString`, `MetadataControlCharacter`.
pub fn validate_metadata(metadata: &str) -> Result<(), RegistryError> {
    read_metadata(metadata).map(|_| ())
}

/// The two fields of valid metadata, decoded.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct Fields {
    pub url: String,
    pub name: Option<String>,
}

/// [`validate_metadata`], returning what it read.
pub(crate) fn read_metadata(metadata: &str) -> Result<Fields, RegistryError> {
    ensure!(
        metadata.len() <= MAX_METADATA_LEN,
        RegistryError::MetadataTooLong
    );
    let (Metadata { url, name }, number_out_of_range) = Reader::new(metadata)
        .metadata()
        .ok_or(RegistryError::MetadataNotJson)?;
    ensure!(
        !number_out_of_range,
        RegistryError::MetadataNumberOutOfRange
    );
    let url = match url {
        Field::Missing => return Err(RegistryError::MetadataMissingUrl),
        Field::Str(url) => url,
        Field::Other => return Err(RegistryError::MetadataInvalidUrl),
    };
    read_url(&url)?;
    let name = match name {
        Field::Missing => None,
        Field::Str(name) => Some(name),
        Field::Other => return Err(RegistryError::MetadataNameNotString),
    };
    ensure!(
        !name.as_deref().is_some_and(has_control_or_format),
        RegistryError::MetadataControlCharacter
    );
    Ok(Fields { url, name })
}

/// Unicode general category Cf (format characters), Unicode 15.0–17.0.
const FORMAT_CHARACTERS: [(char, char); 21] = [
    ('\u{ad}', '\u{ad}'),
    ('\u{600}', '\u{605}'),
    ('\u{61c}', '\u{61c}'),
    ('\u{6dd}', '\u{6dd}'),
    ('\u{70f}', '\u{70f}'),
    ('\u{890}', '\u{891}'),
    ('\u{8e2}', '\u{8e2}'),
    ('\u{180e}', '\u{180e}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{fff9}', '\u{fffb}'),
    ('\u{110bd}', '\u{110bd}'),
    ('\u{110cd}', '\u{110cd}'),
    ('\u{13430}', '\u{1343f}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0001}', '\u{e0001}'),
    ('\u{e0020}', '\u{e007f}'),
];

/// General category Cc (`char::is_control`) or Cf.
pub(crate) fn is_control_or_format(c: char) -> bool {
    c.is_control()
        || FORMAT_CHARACTERS
            .iter()
            .any(|&(first, last)| first <= c && c <= last)
}

fn has_control_or_format(text: &str) -> bool {
    text.chars().any(is_control_or_format)
}

/// A valid `url`, split into its parts (what the differential tests compare).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct UrlParts<'a> {
    pub https: bool,
    /// The host as written (an IPv6 address without its brackets).
    pub host: &'a str,
    pub address: Host,
    pub port: Option<u16>,
    /// Empty or starting with `/`.
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

/// The kind of host of a valid `url`.
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Host {
    Domain,
    Ipv4([u8; 4]),
    Ipv6([u16; 8]),
}

/// Checks a metadata `url` (see the module documentation) and splits it.
pub(crate) fn read_url(url: &str) -> Result<UrlParts<'_>, RegistryError> {
    use RegistryError::*;
    ensure!(!has_control_or_format(url), MetadataControlCharacter);
    ensure!(url.is_ascii(), MetadataUrlNotAscii);
    let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(MetadataInvalidUrl);
    };
    let authority_end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let (authority, tail) = rest
        .split_at_checked(authority_end)
        .ok_or(MetadataInvalidUrl)?;
    ensure!(!authority.contains('@'), MetadataUrlCredentials);
    let (host, address, port) = read_authority(authority)?;
    let port = match port {
        Some(port) => Some(read_port(port.as_bytes()).ok_or(MetadataUrlInvalidPort)?),
        None => None,
    };
    let (before_fragment, fragment) = match split_at_byte(tail, b'#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (tail, None),
    };
    let (path, query) = match split_at_byte(before_fragment, b'?') {
        Some((path, query)) => (path, Some(query)),
        None => (before_fragment, None),
    };
    ensure!(
        is_uri_text(path, b"/") && !path.as_bytes().split(|&b| b == b'/').any(is_dot_segment),
        MetadataUrlInvalidPath
    );
    ensure!(
        query.is_none_or(|query| is_uri_text(query, b"/?"))
            && fragment.is_none_or(|fragment| is_uri_text(fragment, b"/?")),
        MetadataUrlInvalidPath
    );
    Ok(UrlParts {
        https,
        host,
        address,
        port,
        path,
        query,
        fragment,
    })
}

/// `text` before and after the first `delimiter` (an ASCII byte, so both are `str`s).
fn split_at_byte(text: &str, delimiter: u8) -> Option<(&str, &str)> {
    let index = text.bytes().position(|b| b == delimiter)?;
    Some((text.get(..index)?, text.get(index.checked_add(1)?..)?))
}

/// Host and port text of an authority without user info.
fn read_authority(authority: &str) -> Result<(&str, Host, Option<&str>), RegistryError> {
    use RegistryError::*;
    if let Some(bracketed) = authority.strip_prefix('[') {
        let (address, after) = split_at_byte(bracketed, b']').ok_or(MetadataUrlInvalidHost)?;
        let pieces = ipv6(address.as_bytes()).ok_or(MetadataUrlInvalidHost)?;
        let port = if after.is_empty() {
            None
        } else {
            Some(after.strip_prefix(':').ok_or(MetadataUrlInvalidHost)?)
        };
        return Ok((address, Host::Ipv6(pieces), port));
    }
    let (host, port) = match split_at_byte(authority, b':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    ensure!(!host.is_empty(), MetadataInvalidUrl);
    let address = if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        Host::Ipv4(ipv4(host.as_bytes()).ok_or(MetadataUrlInvalidHost)?)
    } else {
        ensure!(is_domain(host.as_bytes()), MetadataUrlInvalidHost);
        Host::Domain
    };
    Ok((host, address, port))
}

/// A DNS name: LDH labels, no `xn--` label, the last label starting with a letter (so that no
/// parser reads it as an IPv4 number).
fn is_domain(host: &[u8]) -> bool {
    host.len() <= MAX_HOST_LEN
        && host.split(|&b| b == b'.').all(is_label)
        && host
            .rsplit(|&b| b == b'.')
            .next()
            .and_then(|last| last.first())
            .is_some_and(u8::is_ascii_alphabetic)
}

fn is_label(label: &[u8]) -> bool {
    (1..=MAX_LABEL_LEN).contains(&label.len())
        && label
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        && label.first() != Some(&b'-')
        && label.last() != Some(&b'-')
        && !label
            .get(..4)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"xn--"))
}

/// The value of 1 to `max_digits` digits in `radix` (10 or 16), without leading zero unless
/// `leading_zero`.
fn digits_value(digits: &[u8], radix: u32, max_digits: usize, leading_zero: bool) -> Option<u32> {
    if !(1..=max_digits).contains(&digits.len())
        || (!leading_zero && digits.len() > 1 && digits.first() == Some(&b'0'))
    {
        return None;
    }
    digits.iter().try_fold(0u32, |value, &digit| {
        value
            .checked_mul(radix)?
            .checked_add(char::from(digit).to_digit(radix)?)
    })
}

/// Dotted-decimal IPv4: four numbers 0–255 without leading zeros.
fn ipv4(text: &[u8]) -> Option<[u8; 4]> {
    let mut octets = [0; 4];
    let mut parts = text.split(|&b| b == b'.');
    for octet in &mut octets {
        *octet = u8::try_from(digits_value(parts.next()?, 10, 3, false)?).ok()?;
    }
    parts.next().is_none().then_some(octets)
}

/// RFC 4291 text form: eight groups of 1–4 hex digits, or fewer around one `::` standing for
/// at least one zero group; the last 32 bits may be written as dotted-decimal IPv4.
fn ipv6(text: &[u8]) -> Option<[u16; 8]> {
    let Some(compression) = text.windows(2).position(|pair| pair == b"::") else {
        let (pieces, count) = ipv6_groups(text, true)?;
        return (count == 8).then_some(pieces);
    };
    let (head, head_count) = ipv6_groups(text.get(..compression)?, false)?;
    let (tail, tail_count) = ipv6_groups(text.get(compression.checked_add(2)?..)?, true)?;
    if head_count.checked_add(tail_count)? > 7 {
        return None;
    }
    let mut pieces = head;
    let tail_start = 8usize.checked_sub(tail_count)?;
    for (slot, &piece) in pieces.iter_mut().skip(tail_start).zip(&tail) {
        *slot = piece;
    }
    Some(pieces)
}

/// `:`-separated groups (empty text: none), an IPv4 tail allowed when `ipv4_tail`.
fn ipv6_groups(text: &[u8], ipv4_tail: bool) -> Option<([u16; 8], usize)> {
    let mut pieces = [0; 8];
    let mut count = 0usize;
    if text.is_empty() {
        return Some((pieces, count));
    }
    let mut groups = text.split(|&b| b == b':').peekable();
    while let Some(group) = groups.next() {
        if ipv4_tail && groups.peek().is_none() && group.contains(&b'.') {
            let [a, b, c, d] = ipv4(group)?;
            for piece in [u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])] {
                *pieces.get_mut(count)? = piece;
                count = count.checked_add(1)?;
            }
        } else {
            *pieces.get_mut(count)? = u16::try_from(digits_value(group, 16, 4, true)?).ok()?;
            count = count.checked_add(1)?;
        }
    }
    Some((pieces, count))
}

/// 1–65535 in decimal, no leading zero.
fn read_port(text: &[u8]) -> Option<u16> {
    u16::try_from(digits_value(text, 10, 5, false)?)
        .ok()
        .filter(|&port| port != 0)
}

/// RFC 3986 `pchar`s and the `extra` bytes; every `%` starts a two-hex-digit escape.
fn is_uri_text(text: &str, extra: &[u8]) -> bool {
    let mut bytes = text.bytes();
    while let Some(byte) = bytes.next() {
        let valid = match byte {
            b'%' => {
                bytes.next().is_some_and(|b| b.is_ascii_hexdigit())
                    && bytes.next().is_some_and(|b| b.is_ascii_hexdigit())
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => true,
            b'-' | b'.' | b'_' | b'~' => true,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' => true,
            b':' | b'@' => true,
            _ => extra.contains(&byte),
        };
        if !valid {
            return false;
        }
    }
    true
}

/// `.` or `..`, also percent-encoded: WHATWG parsers resolve them, others keep them.
fn is_dot_segment(segment: &[u8]) -> bool {
    [&b"."[..], b"..", b"%2e", b".%2e", b"%2e.", b"%2e%2e"]
        .iter()
        .any(|dots| segment.eq_ignore_ascii_case(dots))
}

/// The text forms of a libp2p peer ID that are not canonical.
mod peer_id {
    use func_interfaces::limits::MAX_PROVIDER_ID_LEN;

    const BASE58_BTC: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const BASE58_FLICKR: &[u8] = b"123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const BASE64_URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const BASE45: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    const BASE32: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    const BASE32_HEX: &[u8] = b"0123456789abcdefghijklmnopqrstuv";
    const BASE32_Z: &[u8] = b"ybndrfg8ejkmcpqxot1uwisza345h769";

    /// Decoded bytes (an id is at most `MAX_PROVIDER_ID_LEN` characters, which never decode to more bytes).
    type Buffer = [u8; MAX_PROVIDER_ID_LEN];

    /// True when the whole `id` is a multibase text (any prefix of the multibase table whose
    /// text form fits in ASCII) of a CIDv1 with the `libp2p-key` multicodec (0x72) and a
    /// well-formed multihash. Letters of case-insensitive bases are read without case,
    /// padding `=` is ignored, and trailing bits are not checked: a doubtful id is refused.
    pub(super) fn is_libp2p_key_cid(id: &[u8]) -> bool {
        let Some((&prefix, text)) = id.split_first() else {
            return false;
        };
        let mut buffer: Buffer = [0; MAX_PROVIDER_ID_LEN];
        let decoded = match prefix {
            b'0' => bits(text, b"01", 1, false, &mut buffer),
            b'7' => bits(text, b"01234567", 3, false, &mut buffer),
            b'f' | b'F' => bits(text, b"0123456789abcdef", 4, true, &mut buffer),
            b'b' | b'B' | b'c' | b'C' => bits(text, BASE32, 5, true, &mut buffer),
            b'v' | b'V' | b't' | b'T' => bits(text, BASE32_HEX, 5, true, &mut buffer),
            b'h' => bits(text, BASE32_Z, 5, true, &mut buffer),
            b'm' | b'M' => bits(text, BASE64, 6, false, &mut buffer),
            b'u' | b'U' => bits(text, BASE64_URL, 6, false, &mut buffer),
            b'9' => big(text, b"0123456789", false, &mut buffer),
            b'k' | b'K' => big(text, BASE36, true, &mut buffer),
            b'z' => big(text, BASE58_BTC, false, &mut buffer),
            b'Z' => big(text, BASE58_FLICKR, false, &mut buffer),
            b'R' => base45(text, &mut buffer),
            // `p` (proquint) takes 6 characters per 2 bytes: no libp2p-key CID (≥ 36 bytes)
            // fits in an id; base256emoji and identity are not printable ASCII.
            _ => None,
        };
        decoded.is_some_and(is_libp2p_key_cid_bytes)
    }

    /// `0x01` (CIDv1), `0x72` (libp2p-key), then a multihash: code, digest length, digest.
    fn is_libp2p_key_cid_bytes(bytes: &[u8]) -> bool {
        let Some(multihash) = bytes.strip_prefix(&[0x01, 0x72]) else {
            return false;
        };
        let Some((_code, rest)) = varint(multihash) else {
            return false;
        };
        varint(rest).is_some_and(|(length, digest)| {
            u64::try_from(digest.len()).is_ok_and(|actual| actual == length)
        })
    }

    /// An unsigned LEB128 varint (at most 9 bytes) and the bytes after it.
    fn varint(bytes: &[u8]) -> Option<(u64, &[u8])> {
        let mut value: u64 = 0;
        let mut shift: u32 = 0;
        for (index, &byte) in bytes.iter().enumerate().take(9) {
            value |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some((value, bytes.get(index.checked_add(1)?..)?));
            }
            shift = shift.checked_add(7)?;
        }
        None
    }

    fn digit(alphabet: &[u8], character: u8, fold_case: bool) -> Option<u32> {
        let character = if fold_case {
            character.to_ascii_lowercase()
        } else {
            character
        };
        let position = alphabet.iter().position(|&a| a == character)?;
        u32::try_from(position).ok()
    }

    /// A base whose digits carry `width` bits each, packed big-endian (RFC 4648 style).
    fn bits<'b>(
        text: &[u8],
        alphabet: &[u8],
        width: u32,
        fold_case: bool,
        out: &'b mut Buffer,
    ) -> Option<&'b [u8]> {
        let end = text
            .iter()
            .rposition(|&c| c != b'=')
            .map_or(Some(0), |last| last.checked_add(1))?;
        let mut accumulator: u32 = 0;
        let mut held: u32 = 0;
        let mut length = 0usize;
        for &character in text.get(..end)? {
            // `held` < 8 before a digit is added, so the bits in use stay below 8 + 6.
            accumulator = accumulator.checked_shl(width)? | digit(alphabet, character, fold_case)?;
            held = held.checked_add(width)?;
            if held >= 8 {
                held = held.checked_sub(8)?;
                *out.get_mut(length)? = (accumulator.checked_shr(held)? & 0xff) as u8;
                length = length.checked_add(1)?;
            }
        }
        out.get(..length)
    }

    /// A base read as one big-endian number. A leading zero digit stands for a zero byte, which
    /// no CIDv1 starts with, so such a text is simply not one.
    fn big<'b>(
        text: &[u8],
        alphabet: &[u8],
        fold_case: bool,
        out: &'b mut Buffer,
    ) -> Option<&'b [u8]> {
        if digit(alphabet, *text.first()?, fold_case)? == 0 {
            return None;
        }
        let radix = u32::try_from(alphabet.len()).ok()?;
        for &character in text {
            let mut carry = digit(alphabet, character, fold_case)?;
            for byte in out.iter_mut().rev() {
                let value = u32::from(*byte).checked_mul(radix)?.checked_add(carry)?;
                *byte = (value & 0xff) as u8;
                carry = value.checked_shr(8)?;
            }
            if carry != 0 {
                return None;
            }
        }
        let start = out.iter().position(|&byte| byte != 0)?;
        out.get(start..)
    }

    /// RFC 9285: three characters `c d e` stand for two bytes `c + 45 d + 2025 e`, a final
    /// pair for one byte.
    fn base45<'b>(text: &[u8], out: &'b mut Buffer) -> Option<&'b [u8]> {
        let mut length = 0usize;
        for chunk in text.chunks(3) {
            let mut value: u32 = 0;
            let mut weight: u32 = 1;
            for &character in chunk {
                value = value.checked_add(digit(BASE45, character, false)?.checked_mul(weight)?)?;
                weight = weight.checked_mul(45)?;
            }
            let [_, _, high, low] = value.to_be_bytes();
            let (bytes, count) = match chunk.len() {
                3 if value <= 0xffff => ([high, low], 2),
                2 if value <= 0xff => ([low, 0], 1),
                _ => return None,
            };
            for &byte in bytes.iter().take(count) {
                *out.get_mut(length)? = byte;
                length = length.checked_add(1)?;
            }
        }
        out.get(..length)
    }
}

/// The two top-level fields validation reads.
struct Metadata {
    url: Field,
    name: Field,
}

/// A top-level field reduced to what validation needs.
#[derive(Default)]
enum Field {
    /// The key is absent.
    #[default]
    Missing,
    /// A JSON string (escapes decoded).
    Str(String),
    /// Any other JSON value, `null` included.
    Other,
}

/// A strict JSON reader over the metadata bytes. Every method returns `None` on malformed
/// input; positions only move forward, so each loop is bounded by the input length
/// (≤ `MAX_METADATA_LEN`).
struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
    /// A well-formed number was out of range (reported after the syntax: see `metadata`).
    number_out_of_range: bool,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            position: 0,
            number_out_of_range: false,
        }
    }

    /// The whole input: one object, then only whitespace. Also tells whether a number was
    /// out of range.
    fn metadata(mut self) -> Option<(Metadata, bool)> {
        self.skip_whitespace();
        let metadata = self.top_level_object()?;
        self.skip_whitespace();
        (self.position == self.bytes.len()).then_some((metadata, self.number_out_of_range))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.position = self.position.checked_add(1)?;
        Some(byte)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.position = self.position.saturating_add(1);
        }
    }

    /// The top-level object, keeping `url` and `name`.
    fn top_level_object(&mut self) -> Option<Metadata> {
        let mut metadata = Metadata {
            url: Field::Missing,
            name: Field::Missing,
        };
        self.expect(b'{')?;
        self.skip_whitespace();
        if self.peek()? == b'}' {
            self.position = self.position.saturating_add(1);
            return Some(metadata);
        }
        loop {
            self.skip_whitespace();
            let key = self.string()?;
            self.skip_whitespace();
            self.expect(b':')?;
            self.skip_whitespace();
            let slot = match key.as_str() {
                "url" => Some(&mut metadata.url),
                "name" => Some(&mut metadata.name),
                _ => None,
            };
            match slot {
                Some(slot) => {
                    if !matches!(slot, Field::Missing) {
                        return None;
                    }
                    *slot = if self.peek()? == b'"' {
                        Field::Str(self.string()?)
                    } else {
                        self.value(1)?;
                        Field::Other
                    };
                }
                None => self.value(1)?,
            }
            self.skip_whitespace();
            match self.next()? {
                b',' => continue,
                b'}' => return Some(metadata),
                _ => return None,
            }
        }
    }

    /// Skips any JSON value; a container at `depth` holds values at `depth + 1`.
    fn value(&mut self, depth: u32) -> Option<()> {
        let opens_container = matches!(self.peek()?, b'{' | b'[');
        if opens_container && depth > MAX_DEPTH {
            return None;
        }
        let inner = depth.checked_add(1)?;
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' => self.sequence(b'}', |reader| {
                reader.string()?;
                reader.skip_whitespace();
                reader.expect(b':')?;
                reader.skip_whitespace();
                reader.value(inner)
            }),
            b'[' => self.sequence(b']', |reader| reader.value(inner)),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    /// `open item (, item)* close` or `open close`, the opening byte at the cursor.
    fn sequence(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.next()?;
        self.skip_whitespace();
        if self.peek()? == close {
            self.position = self.position.saturating_add(1);
            return Some(());
        }
        loop {
            self.skip_whitespace();
            item(self)?;
            self.skip_whitespace();
            match self.next()? {
                b',' => continue,
                byte if byte == close => return Some(()),
                _ => return None,
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.position.checked_add(word.len())?;
        (self.bytes.get(self.position..end)? == word).then(|| self.position = end)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, read as text only; flags a
    /// non-zero number whose leading digit's decimal exponent exceeds `MAX_NUMBER_EXPONENT`.
    fn number(&mut self) -> Option<()> {
        let bytes = self.bytes;
        if self.peek() == Some(b'-') {
            self.next()?;
        }
        let integer_start = self.position;
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        let integer = bytes.get(integer_start..self.position)?;
        let mut fraction: &[u8] = &[];
        if self.peek() == Some(b'.') {
            self.next()?;
            let start = self.position;
            self.next().filter(u8::is_ascii_digit)?;
            self.digits();
            fraction = bytes.get(start..self.position)?;
        }
        let mut exponent: i64 = 0;
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.next()?;
            let negative = self.peek() == Some(b'-');
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.next()?;
            }
            let start = self.position;
            self.next().filter(u8::is_ascii_digit)?;
            self.digits();
            // Saturating at EXPONENT_CAP: every step stays below 10 × EXPONENT_CAP + 9.
            let magnitude = bytes
                .get(start..self.position)?
                .iter()
                .fold(0i64, |value, &digit| {
                    value
                        .saturating_mul(10)
                        .saturating_add(i64::from(digit & 0x0f))
                        .min(EXPONENT_CAP)
                });
            exponent = if negative {
                magnitude.checked_neg()?
            } else {
                magnitude
            };
        }
        if let Some(leading) = leading_exponent(integer, fraction) {
            // |leading| ≤ MAX_METADATA_LEN and |exponent| ≤ EXPONENT_CAP: no saturation.
            if leading.saturating_add(exponent) > MAX_NUMBER_EXPONENT {
                self.number_out_of_range = true;
            }
        }
        Some(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            self.position = self.position.saturating_add(1);
        }
    }

    /// A string at the cursor, escapes decoded. The input is UTF-8 (it is a `&str`), so
    /// unescaped bytes are copied as they are; control characters must be escaped.
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let mut decoded = ink::prelude::vec::Vec::new();
        loop {
            match self.next()? {
                b'"' => return String::from_utf8(decoded).ok(),
                b'\\' => {
                    let unescaped = match self.next()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    let mut buffer = [0; 4];
                    decoded.extend_from_slice(unescaped.encode_utf8(&mut buffer).as_bytes());
                }
                byte if byte < 0x20 => return None,
                byte => decoded.push(byte),
            }
        }
    }

    /// The character of a `\uXXXX` escape (after the `u`), a surrogate pair included.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                self.expect(b'\\')?;
                self.expect(b'u')?;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return None;
                }
                // (first − 0xD800) × 0x400 + (second − 0xDC00) + 0x10000 < 0x110000.
                first
                    .checked_sub(0xD800)?
                    .checked_mul(0x400)?
                    .checked_add(second.checked_sub(0xDC00)?)?
                    .checked_add(0x10000)?
            }
            0xDC00..=0xDFFF => return None,
            code => code,
        };
        char::from_u32(code)
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut value: u32 = 0;
        for _ in 0..4 {
            let digit = char::from(self.next()?).to_digit(16)?;
            value = value.checked_mul(16)?.checked_add(digit)?;
        }
        Some(value)
    }
}

/// The decimal exponent of a number's leading non-zero digit, before its `e` part: 2 for
/// `123.4`, −3 for `0.00123`; `None` for zero.
fn leading_exponent(integer: &[u8], fraction: &[u8]) -> Option<i64> {
    if let Some(first) = integer.iter().position(|&digit| digit != b'0') {
        let after = integer.len().checked_sub(first)?.checked_sub(1)?;
        return i64::try_from(after).ok();
    }
    let first = fraction.iter().position(|&digit| digit != b'0')?;
    i64::try_from(first.checked_add(1)?).ok()?.checked_neg()
}

#[cfg(test)]
mod differential;

#[cfg(test)]
mod tests {
    use super::*;
    use RegistryError::*;

    fn check(metadata: &str) -> Result<(), RegistryError> {
        validate_metadata(metadata)
    }

    #[test]
    fn provider_id_of_one_to_64_printable_bytes_is_valid() {
        assert_eq!(validate_provider_id(b"a"), Ok(()));
        assert_eq!(validate_provider_id(&[b'~'; 64]), Ok(()));
        assert_eq!(validate_provider_id(b"unique-provider-id"), Ok(()));
        assert_eq!(
            validate_provider_id(b"!#$%&'()*+,-./:;<=>?@[]^_`{|}"),
            Ok(())
        );
    }

    #[test]
    fn provider_id_peer_id_in_base58_is_valid() {
        for id in [
            "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN",
            "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
            "16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY",
        ] {
            assert_eq!(validate_provider_id(id.as_bytes()), Ok(()), "{id}");
        }
    }

    #[test]
    fn provider_id_peer_id_as_cid_fails() {
        // The two peer ids above as CIDv1 (libp2p-key) in base36, base58btc, base64, base16
        // and base32 (the ed25519 one is 65 bytes long in base32 and base16).
        for id in [
            "k51qzi5uqu5dhnwe629wdlncpql6frppdpwnz4wtlcw816aysd5wwlk63g4wmh",
            "K51QZI5UQU5DHNWE629WDLNCPQL6FRPPDPWNZ4WTLCW816AYSD5WWLK63G4WMH",
            "z5AanNVJCxnJqKC3batZBdpMCpLX9Uea96wKjcfFnuvfnzoJaWxBDex",
            "mAXIAJAgBEiA7aie8zrakLWKjqNAqbw1zZTIVdx3iQ6Y6wEihi1naKQ",
            "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe",
            "BAFZBEIE5745RPV2M6TJYUUGYWY4D5EWRQGQQHFNF445HE3OMZPJBX5XQXE",
            "k2k4r8ncs1yoluq95unsd7x2vfhgve0ncjoggwqx9vyh3vl8warrcp15",
            "zdvgqC3jczfCwLUoSyWT8GLc5UZ9aG4RkAg7XAfidRbX9qVj6",
            "mAXISIJ3/OxfXTPTTilDYtjg+ktGBoQOVpec6cm3My9Ib9vC5",
        ] {
            assert_eq!(
                validate_provider_id(id.as_bytes()),
                Err(ProviderIdNotCanonical),
                "{id}"
            );
        }
        assert_eq!(
            validate_provider_id(
                b"f017212209dff3b17d74cf4d38a50d8b6383e92d181a10395a5e73a726dcccbd21bf6f0b9"
            ),
            Err(ProviderIdTooLong)
        );
        // A short but complete one in base16: 0x01 0x72, identity multihash of 2 bytes.
        assert_eq!(
            validate_provider_id(b"f01720002abcd"),
            Err(ProviderIdNotCanonical)
        );
    }

    #[test]
    fn provider_id_that_only_looks_like_a_cid_is_valid() {
        for id in [
            "bafz",
            "bafzone-gpu",
            "cafzone",
            "f0172",
            "f01720002abcdef",
            "k51-node",
            "zebra",
            "mAXI",
            "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
        ] {
            assert_eq!(validate_provider_id(id.as_bytes()), Ok(()), "{id}");
        }
    }

    #[test]
    fn provider_id_with_space_control_or_non_ascii_fails() {
        for id in [
            &b"peer id"[..],
            b" peer",
            b"peer\n",
            b"peer\t1",
            b"\0",
            b"\x7f",
            &[0xff; 64],
            "nœud".as_bytes(),
            "peer\u{200b}".as_bytes(),
        ] {
            assert_eq!(
                validate_provider_id(id),
                Err(ProviderIdInvalidCharacter),
                "{id:?}"
            );
        }
    }

    #[test]
    fn provider_id_empty_fails() {
        assert_eq!(validate_provider_id(b""), Err(EmptyProviderId));
    }

    #[test]
    fn provider_id_of_65_bytes_fails() {
        assert_eq!(validate_provider_id(&[b'x'; 65]), Err(ProviderIdTooLong));
    }

    #[test]
    fn metadata_with_url_only_is_valid() {
        assert_eq!(check(r#"{"url":"https://node.example.com"}"#), Ok(()));
        assert_eq!(check(r#"{"url":"http://10.0.0.7:8080"}"#), Ok(()));
        assert_eq!(check(r#"{"url":"https://a"}"#), Ok(()));
    }

    #[test]
    fn metadata_with_name_and_whitespace_is_valid() {
        assert_eq!(
            check(" \n\t{ \"name\" : \"gpu-1\" ,\r\n \"url\" : \"https://node.example.com\" }\n"),
            Ok(())
        );
        assert_eq!(check(r#"{"url":"https://a","name":""}"#), Ok(()));
    }

    #[test]
    fn metadata_url_with_port_path_query_and_fragment_is_valid() {
        for url in [
            "https://node.example.com:8443/v1/infer?model=llama#top",
            "http://host:1/",
            "https://[::1]:8080/",
            "https://host?",
            "https://host#",
        ] {
            assert_eq!(check(&format!(r#"{{"url":"{url}"}}"#)), Ok(()), "{url}");
        }
    }

    #[test]
    fn metadata_with_other_fields_of_any_type_is_valid() {
        let metadata = r#"{
            "url": "https://node.example.com",
            "name": "node",
            "gpus": 8,
            "price": -1.5e-3,
            "big": 123456789012345678901234567890,
            "tags": ["a", {"b": [1, 2, null]}],
            "caps": {"models": {"llama": {"ctx": 8192}}, "url": 5},
            "live": true,
            "region": null
        }"#;
        assert_eq!(check(metadata), Ok(()));
    }

    #[test]
    fn metadata_with_escaped_strings_is_valid() {
        assert_eq!(check(r#"{"url":"https:\/\/node.example.com\/x"}"#), Ok(()));
        assert_eq!(
            check(r#"{"url":"https://a\u002eb","name":"caf\u00e9"}"#),
            Ok(())
        );
        assert_eq!(check(r#"{"\u0075rl":"https://a"}"#), Ok(()));
        assert_eq!(check(r#"{"url":"https://a","name":"say \"hi\""}"#), Ok(()));
        assert_eq!(
            check(r#"{"url":"https://a","name":"say \"hi\"\n"}"#),
            Err(MetadataControlCharacter),
            "a newline is a control character"
        );
    }

    #[test]
    fn metadata_with_unicode_is_valid() {
        assert_eq!(
            check(r#"{"url":"https://buecher.example/%C3%BC","name":"节点 🚀"}"#),
            Ok(())
        );
        assert_eq!(
            check(r#"{"url":"https://a","name":"\ud83d\ude80"}"#),
            Ok(())
        );
    }

    #[test]
    fn metadata_of_exactly_max_length_is_valid() {
        let prefix = r#"{"url":"https://a","pad":""#;
        let pad = "x".repeat(MAX_METADATA_LEN - prefix.len() - 2);
        let metadata = format!("{prefix}{pad}\"}}");
        assert_eq!(metadata.len(), MAX_METADATA_LEN);
        assert_eq!(check(&metadata), Ok(()));
    }

    #[test]
    fn metadata_over_max_length_fails_before_parsing() {
        assert_eq!(
            check(&"x".repeat(MAX_METADATA_LEN + 1)),
            Err(MetadataTooLong)
        );
        let prefix = r#"{"url":"https://a","pad":""#;
        let pad = "x".repeat(MAX_METADATA_LEN - prefix.len() - 1);
        assert_eq!(check(&format!("{prefix}{pad}\"}}")), Err(MetadataTooLong));
    }

    #[test]
    fn metadata_length_counts_bytes_not_chars() {
        // 400 three-byte characters: 400 chars, 1200 bytes.
        let metadata = format!(r#"{{"url":"https://a","name":"{}"}}"#, "节".repeat(400));
        assert_eq!(check(&metadata), Err(MetadataTooLong));
    }

    #[test]
    fn metadata_not_json_fails() {
        for metadata in [
            "",
            "   ",
            "https://node.example.com",
            "{",
            r#"{"url":"https://a""#,
            r#"{"url":"https://a",}"#,
            r#"{'url':'https://a'}"#,
            r#"{url:"https://a"}"#,
            r#"{"url":"https://a" "name":"n"}"#,
            r#"{"url":"https://a\x"}"#,
        ] {
            assert_eq!(check(metadata), Err(MetadataNotJson), "{metadata:?}");
        }
    }

    #[test]
    fn metadata_json_but_not_an_object_fails() {
        for metadata in [
            "[]",
            r#"["https://a"]"#,
            r#"["https://a", "name"]"#,
            r#""https://a""#,
            "5",
            "null",
            "true",
        ] {
            assert_eq!(check(metadata), Err(MetadataNotJson), "{metadata:?}");
        }
    }

    #[test]
    fn metadata_nested_deeper_than_max_depth_fails() {
        let nested = |depth: u32| {
            let depth = depth as usize;
            format!(
                r#"{{"url":"https://a","x":{}1{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            )
        };
        assert_eq!(check(&nested(MAX_DEPTH)), Ok(()));
        assert_eq!(check(&nested(MAX_DEPTH + 1)), Err(MetadataNotJson));
    }

    #[test]
    fn metadata_numbers_follow_the_json_grammar() {
        for number in ["0", "-0", "12", "1.5", "-1.5e10", "2E-3", "1e+2"] {
            assert_eq!(
                check(&format!(r#"{{"url":"https://a","n":{number}}}"#)),
                Ok(()),
                "{number}"
            );
        }
        for number in ["01", "1.", ".5", "+1", "1e", "-", "0x10", "NaN", "Infinity"] {
            assert_eq!(
                check(&format!(r#"{{"url":"https://a","n":{number}}}"#)),
                Err(MetadataNotJson),
                "{number}"
            );
        }
    }

    #[test]
    fn metadata_with_invalid_escapes_fails() {
        for text in [
            r#""\x""#,
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\u12""#,
            "\"a\u{1}\"",
        ] {
            assert_eq!(
                check(&format!(r#"{{"url":"https://a","n":{text}}}"#)),
                Err(MetadataNotJson),
                "{text}"
            );
        }
    }

    #[test]
    fn metadata_with_trailing_garbage_fails() {
        assert_eq!(check(r#"{"url":"https://a"} x"#), Err(MetadataNotJson));
        assert_eq!(check(r#"{"url":"https://a"}{}"#), Err(MetadataNotJson));
        assert_eq!(check(r#"{"url":"https://a"},"#), Err(MetadataNotJson));
    }

    #[test]
    fn metadata_with_duplicate_url_or_name_fails() {
        assert_eq!(
            check(r#"{"url":"https://a","url":"https://b"}"#),
            Err(MetadataNotJson)
        );
        assert_eq!(
            check(r#"{"url":"https://a","name":"x","name":"y"}"#),
            Err(MetadataNotJson)
        );
    }

    #[test]
    fn metadata_without_url_fails() {
        assert_eq!(check("{}"), Err(MetadataMissingUrl));
        assert_eq!(check(" { } "), Err(MetadataMissingUrl));
        assert_eq!(check(r#"{"name":"node"}"#), Err(MetadataMissingUrl));
        assert_eq!(check(r#"{"URL":"https://a"}"#), Err(MetadataMissingUrl));
        assert_eq!(
            check(r#"{"node":{"url":"https://a"}}"#),
            Err(MetadataMissingUrl),
            "a nested url does not count"
        );
    }

    #[test]
    fn metadata_url_not_a_string_fails() {
        for url in [
            "null",
            "5",
            "-1.5",
            "true",
            "[]",
            r#"["https://a"]"#,
            r#"{"href":"https://a"}"#,
        ] {
            assert_eq!(
                check(&format!(r#"{{"url":{url}}}"#)),
                Err(MetadataInvalidUrl),
                "{url}"
            );
        }
    }

    #[test]
    fn metadata_url_with_wrong_scheme_fails() {
        for url in [
            "",
            "node.example.com",
            "ftp://node.example.com",
            "ws://node.example.com",
            "HTTPS://node.example.com",
            "http:/node.example.com",
            "https:node.example.com",
            " https://node.example.com",
            "//node.example.com",
        ] {
            assert_eq!(
                check(&format!(r#"{{"url":"{url}"}}"#)),
                Err(MetadataInvalidUrl),
                "{url:?}"
            );
        }
    }

    #[test]
    fn metadata_url_with_empty_host_fails() {
        for url in [
            "https://",
            "http://",
            "https:///path",
            "https://?q=1",
            "https://#f",
        ] {
            assert_eq!(
                check(&format!(r#"{{"url":"{url}"}}"#)),
                Err(MetadataInvalidUrl),
                "{url:?}"
            );
        }
    }

    #[test]
    fn metadata_url_with_whitespace_or_control_characters_fails() {
        for (url, error) in [
            ("https://node example.com", MetadataUrlInvalidHost),
            ("https://node.example.com/a b", MetadataUrlInvalidPath),
            ("https://node.example.com ", MetadataUrlInvalidHost),
            (r"https://node\t.example.com", MetadataControlCharacter),
            (r"https://node.example.com\n", MetadataControlCharacter),
            (r"https://a\u0000b", MetadataControlCharacter),
            (r"https://a\u00a0b", MetadataUrlNotAscii),
            ("https://a\u{2003}b", MetadataUrlNotAscii),
        ] {
            assert_eq!(
                check(&format!(r#"{{"url":"{url}"}}"#)),
                Err(error),
                "{url:?}"
            );
        }
    }

    #[test]
    fn metadata_issue_11_examples_fail_with_named_errors() {
        for (metadata, error) in [
            (r#"{"url":"https://@"}"#, MetadataUrlCredentials),
            (r#"{"url":"https://:8443/v1"}"#, MetadataInvalidUrl),
            (r#"{"url":"https://user:pw@host/"}"#, MetadataUrlCredentials),
            (r#"{"url":"https://[::1"}"#, MetadataUrlInvalidHost),
            (
                "{\"url\":\"https://a\u{200b}.example\"}",
                MetadataControlCharacter,
            ),
            (
                "{\"url\":\"https://a\u{202e}.example\"}",
                MetadataControlCharacter,
            ),
            (
                r#"{"url":"https://a\u200b.example"}"#,
                MetadataControlCharacter,
            ),
            (r#"{"url":"https://host:65536/"}"#, MetadataUrlInvalidPort),
            (
                r#"{"url":"https://a.example","n":1e400}"#,
                MetadataNumberOutOfRange,
            ),
        ] {
            assert_eq!(check(metadata), Err(error), "{metadata}");
        }
    }

    #[test]
    fn metadata_name_with_control_or_format_character_fails() {
        for name in [
            r"\u0000",
            r"a\nb",
            "\u{7f}",
            r"\u200e",
            "\u{202e}",
            r"\ufeff",
            "\u{e0041}",
        ] {
            assert_eq!(
                check(&format!(r#"{{"url":"https://a","name":"{name}"}}"#)),
                Err(MetadataControlCharacter),
                "{name:?}"
            );
        }
        assert_eq!(
            check(r#"{"url":"https://a","name":"\u00e9 \u2028 \u00a0 x"}"#),
            Ok(()),
            "other separators and spaces are allowed in a name"
        );
    }

    #[test]
    fn metadata_number_of_1e308_or_more_fails_and_below_is_valid() {
        for number in [
            "9.99e307",
            "-9e307",
            "0e999",
            "1e-999",
            "0.0001e311",
            "99e306",
        ] {
            assert_eq!(
                check(&format!(r#"{{"url":"https://a","n":{number}}}"#)),
                Ok(()),
                "{number}"
            );
        }
        for number in [
            "1e308",
            "-1e308",
            "10e307",
            "0.001e311",
            "1e99999999999999999999",
        ] {
            assert_eq!(
                check(&format!(r#"{{"url":"https://a","n":{number}}}"#)),
                Err(MetadataNumberOutOfRange),
                "{number}"
            );
        }
        let long = format!(r#"{{"url":"https://a","n":1{}}}"#, "0".repeat(308));
        assert_eq!(check(&long), Err(MetadataNumberOutOfRange));
        assert_eq!(
            check(r#"{"url":"https://a","n":1e400,"x":}"#),
            Err(MetadataNotJson),
            "syntax first"
        );
    }

    #[test]
    fn metadata_name_not_a_string_fails() {
        for name in ["null", "7", "false", "[]", r#"["n"]"#, r#"{"first":"n"}"#] {
            assert_eq!(
                check(&format!(r#"{{"url":"https://a","name":{name}}}"#)),
                Err(MetadataNameNotString),
                "{name}"
            );
        }
    }

    #[test]
    fn metadata_invalid_url_is_reported_before_invalid_name() {
        assert_eq!(check(r#"{"name":5,"url":1}"#), Err(MetadataInvalidUrl));
        assert_eq!(check(r#"{"name":5}"#), Err(MetadataMissingUrl));
    }
}
