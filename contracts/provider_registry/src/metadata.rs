//! Validation of provider ids and provider metadata: pure functions, no storage, no environment.
//!
//! Metadata is a JSON object of at most [`MAX_METADATA_LEN`] bytes with a string `url` that
//! starts with `http://` or `https://` followed by a non-empty host, and an optional string
//! `name`. Other fields are allowed and skipped without being decoded.
use core::fmt;
use func_interfaces::{
    ensure,
    limits::{MAX_METADATA_LEN, MAX_PROVIDER_ID_LEN},
    RegistryError,
};
use ink::prelude::string::String;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

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
    // serde also builds a struct from a JSON array; only an object is metadata.
    ensure!(
        metadata.trim_start().starts_with('{'),
        RegistryError::MetadataNotJson
    );
    let Metadata { url, name } =
        serde_json::from_str(metadata).map_err(|_| RegistryError::MetadataNotJson)?;
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

/// The only two fields validation reads; serde skips all others.
#[derive(serde::Deserialize)]
struct Metadata {
    #[serde(default)]
    url: Field,
    #[serde(default)]
    name: Field,
}

/// A top-level field reduced to what validation needs. Cheaper than `serde_json::Value`: no
/// map, no number type, nested values are skipped unread.
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

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_str<E>(self, value: &str) -> Result<Field, E> {
        Ok(Field::Str(value.into()))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Field, E> {
        Ok(Field::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Field, E> {
        Ok(Field::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Field, E> {
        Ok(Field::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Field, E> {
        Ok(Field::Other)
    }

    fn visit_unit<E>(self) -> Result<Field, E> {
        Ok(Field::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Field::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Field::Other)
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
