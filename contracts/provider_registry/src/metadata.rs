//! Validation of provider ids and provider metadata: pure functions, no storage, no environment.
//!
//! Metadata is a JSON object of at most [`MAX_METADATA_LEN`] bytes with a string `url` that
//! starts with `http://` or `https://` followed by a non-empty host, and an optional string
//! `name`. Other fields are allowed and skipped without being decoded.
//!
//! The JSON is read by the small strict reader below (RFC 8259 grammar, nesting at most
//! [`MAX_DEPTH`] deep) rather than `serde_json`: pallet-contracts rejects Wasm code that holds
//! floating-point instructions, and `serde_json` always links its float parsing and formatting.
use func_interfaces::{
    ensure,
    limits::{MAX_METADATA_LEN, MAX_PROVIDER_ID_LEN},
    RegistryError,
};
use ink::prelude::string::String;

/// Deepest nesting of arrays and objects accepted in metadata (bounds the reader's recursion).
pub const MAX_DEPTH: u32 = 16;

/// Checks that a provider id is 1 to [`MAX_PROVIDER_ID_LEN`] bytes long.
///
/// # Errors
/// `EmptyProviderId`, `ProviderIdTooLong`.
pub fn validate_provider_id(id: &[u8]) -> Result<(), RegistryError> {
    ensure!(!id.is_empty(), RegistryError::EmptyProviderId);
    ensure!(
        id.len() <= MAX_PROVIDER_ID_LEN,
        RegistryError::ProviderIdTooLong
    );
    Ok(())
}

/// Checks provider metadata (see the module documentation).
///
/// A duplicated `url` or `name` key is refused as `MetadataNotJson`: readers disagree on which
/// copy wins.
///
/// # Errors
/// `MetadataTooLong` (checked before parsing), `MetadataNotJson`, `MetadataMissingUrl`,
/// `MetadataInvalidUrl`, `MetadataNameNotString`.
pub fn validate_metadata(metadata: &str) -> Result<(), RegistryError> {
    ensure!(
        metadata.len() <= MAX_METADATA_LEN,
        RegistryError::MetadataTooLong
    );
    let Metadata { url, name } = Reader::new(metadata)
        .metadata()
        .ok_or(RegistryError::MetadataNotJson)?;
    match url {
        Field::Missing => return Err(RegistryError::MetadataMissingUrl),
        Field::Str(url) => ensure!(is_valid_url(&url), RegistryError::MetadataInvalidUrl),
        Field::Other => return Err(RegistryError::MetadataInvalidUrl),
    }
    ensure!(
        !matches!(name, Field::Other),
        RegistryError::MetadataNameNotString
    );
    Ok(())
}

/// `http://` or `https://`, then a non-empty host (everything up to the first `/`, `?` or
/// `#`); no whitespace or control character anywhere.
fn is_valid_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host_present = rest
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|host| !host.is_empty());
    host_present && !url.chars().any(|c| c.is_whitespace() || c.is_control())
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
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            position: 0,
        }
    }

    /// The whole input: one object, then only whitespace.
    fn metadata(mut self) -> Option<Metadata> {
        self.skip_whitespace();
        let metadata = self.top_level_object()?;
        self.skip_whitespace();
        (self.position == self.bytes.len()).then_some(metadata)
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

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, read as text only.
    fn number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.next()?;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.next()?;
            self.next().filter(u8::is_ascii_digit)?;
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.next()?;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.next()?;
            }
            self.next().filter(u8::is_ascii_digit)?;
            self.digits();
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

#[cfg(test)]
mod tests {
    use super::*;
    use RegistryError::*;

    fn check(metadata: &str) -> Result<(), RegistryError> {
        validate_metadata(metadata)
    }

    #[test]
    fn provider_id_of_one_to_64_bytes_is_valid() {
        assert_eq!(validate_provider_id(b"a"), Ok(()));
        assert_eq!(validate_provider_id(&[0xff; 64]), Ok(()));
        assert_eq!(
            validate_provider_id(b"12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN"),
            Ok(())
        );
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
            "http://user@host:1/",
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
        assert_eq!(
            check(r#"{"url":"https://a","name":"say \"hi\"\n"}"#),
            Ok(())
        );
    }

    #[test]
    fn metadata_with_unicode_is_valid() {
        assert_eq!(
            check(r#"{"url":"https://bücher.example/ü","name":"节点 🚀"}"#),
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
        for url in [
            "https://node example.com",
            "https://node.example.com/a b",
            "https://node.example.com ",
            r"https://node\t.example.com",
            r"https://node.example.com\n",
            r"https://a\u0000b",
            r"https://a\u00a0b",
            "https://a\u{2003}b",
        ] {
            assert_eq!(
                check(&format!(r#"{{"url":"{url}"}}"#)),
                Err(MetadataInvalidUrl),
                "{url:?}"
            );
        }
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
