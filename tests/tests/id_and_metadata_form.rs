//! Issue 11.6 (one canonical text form for peer-ID ids) and 11.7 (metadata every gateway can
//! read) on a real node: the named error comes back from the dry-run, the transaction
//! reverts, nothing changes; the canonical forms register.
#![cfg(feature = "e2e-tests")]

use func_e2e::*;
use func_interfaces::RegistryError;

/// An Ed25519 peer ID in its base58btc form and the same peer ID as CIDv1 (libp2p-key).
const PEER_ID: &str = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN";
const PEER_ID_AS_CID: [&str; 3] = [
    "k51qzi5uqu5dhnwe629wdlncpql6frppdpwnz4wtlcw816aysd5wwlk63g4wmh",
    "z5AanNVJCxnJqKC3batZBdpMCpLX9Uea96wKjcfFnuvfnzoJaWxBDex",
    "mAXIAJAgBEiA7aie8zrakLWKjqNAqbw1zZTIVdx3iQ6Y6wEihi1naKQ",
];
/// An RSA peer ID and its CIDv1 in base32.
const RSA_PEER_ID: &str = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
const RSA_PEER_ID_AS_CID: &str = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";

#[test]
fn provider_ids_take_one_text_form() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let bob = who::bob();
        let good = metadata("https://node.example.org");
        let before = snapshot(client, suite).await;
        let mut cases: Vec<(&str, RegistryError)> = PEER_ID_AS_CID
            .iter()
            .map(|id| (*id, RegistryError::ProviderIdNotCanonical))
            .collect();
        cases.push((RSA_PEER_ID_AS_CID, RegistryError::ProviderIdNotCanonical));
        cases.push(("peer bob", RegistryError::ProviderIdInvalidCharacter));
        cases.push(("peer\u{200b}bob", RegistryError::ProviderIdInvalidCharacter));
        for (id, expected) in cases {
            assert_rejected(
                client,
                &bob,
                &suite.registry().register(pid(id), MODEL_ID, good.clone()),
                expected.clone(),
            )
            .await;
            assert_rejected(
                client,
                &bob,
                &suite
                    .registry()
                    .register_and_stake(pid(id), MODEL_ID, good.clone()),
                expected,
            )
            .await;
        }
        assert_eq!(snapshot(client, suite).await, before);
        // The canonical forms and the seed's free-form id register.
        for id in [PEER_ID, RSA_PEER_ID, "unique-provider-id"] {
            register(client, suite, &bob, id, MODEL_ID).await;
            assert!(read(client, &suite.registry().registered(pid(id))).await);
        }
        Ok(ctx)
    })
}

#[test]
fn metadata_that_gateways_read_differently_is_refused() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let bob = who::bob();
        register(client, suite, &bob, "peer-bob", MODEL_ID).await;
        let before = snapshot(client, suite).await;
        let cases = [
            (
                r#"{"url":"https://@"}"#,
                RegistryError::MetadataUrlCredentials,
            ),
            (
                r#"{"url":"https://:8443/v1"}"#,
                RegistryError::MetadataInvalidUrl,
            ),
            (
                r#"{"url":"https://user:pw@host/"}"#,
                RegistryError::MetadataUrlCredentials,
            ),
            (
                r#"{"url":"https://[::1"}"#,
                RegistryError::MetadataUrlInvalidHost,
            ),
            (
                r#"{"url":"https://a\u200b.example"}"#,
                RegistryError::MetadataControlCharacter,
            ),
            (
                r#"{"url":"https://a\u202e.example"}"#,
                RegistryError::MetadataControlCharacter,
            ),
            (
                r#"{"url":"https://host:65536/"}"#,
                RegistryError::MetadataUrlInvalidPort,
            ),
            (
                r#"{"url":"https://a.example","n":1e400}"#,
                RegistryError::MetadataNumberOutOfRange,
            ),
            (
                r#"{"url":"https://bücher.example/"}"#,
                RegistryError::MetadataUrlNotAscii,
            ),
            (
                r#"{"url":"https://a/../b"}"#,
                RegistryError::MetadataUrlInvalidPath,
            ),
            (
                r#"{"url":"https://a","name":"\u202egpu"}"#,
                RegistryError::MetadataControlCharacter,
            ),
        ];
        for (metadata, expected) in cases {
            assert_rejected(
                client,
                &bob,
                &suite
                    .registry()
                    .register(pid("peer-new"), MODEL_ID, metadata.into()),
                expected.clone(),
            )
            .await;
            assert_rejected(
                client,
                &bob,
                &suite
                    .registry()
                    .update_metadata(pid("peer-bob"), metadata.into()),
                expected,
            )
            .await;
        }
        assert_eq!(snapshot(client, suite).await, before);
        // Gateway-readable metadata with an IPv6 host, a port, a query and a name registers.
        send(
            client,
            &bob,
            &suite.registry().update_metadata(
                pid("peer-bob"),
                r#"{"url":"https://[2001:db8::7]:8443/v1?model=llama","name":"gpu-1"}"#.into(),
            ),
        )
        .await;
        Ok(ctx)
    })
}
