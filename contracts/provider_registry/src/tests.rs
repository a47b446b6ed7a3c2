//! `#[ink::test]`s of the registry's messages. Off-chain tests cannot call other contracts, so
//! success paths that need the router or the epoch controller go through the `*_with` methods
//! with fixed values; every failure that happens before the first call goes through the
//! message itself. Cross-contract flows are covered end to end in `tests/`.
use crate::{events::*, provider_registry::Registry, types::*};
use func_interfaces::{
    access::{OwnershipTransferStarted, OwnershipTransferred, Paused, RoleGranted},
    limits::{MAX_BATCH_SIZE, MAX_JAIL_EPOCHS, MAX_PAGE_SIZE, MAX_PROVIDERS_PER_OWNER},
    AccessError, AccountId, Balance, EpochId, ModelContext, ModelId, ProviderId, ProviderView,
    RegistryError, Role, StakingError,
};
use ink::{
    env::{test, DefaultEnvironment},
    scale::Decode,
};
use RegistryError::*;

const MODEL: ModelId = 1;
const OTHER_MODEL: ModelId = 2;
const EPOCH: EpochId = 10;
const STAKE: Balance = 1_000;
const META: &str = r#"{"url":"https://node.example.com","name":"gpu-1"}"#;

fn accounts() -> test::DefaultAccounts<DefaultEnvironment> {
    test::default_accounts::<DefaultEnvironment>()
}

fn set_caller(account: AccountId) {
    test::set_caller::<DefaultEnvironment>(account);
}

fn router() -> AccountId {
    AccountId::from([0xaa; 32])
}

fn epoch_controller() -> AccountId {
    AccountId::from([0xee; 32])
}

fn pool() -> AccountId {
    AccountId::from([0x77; 32])
}

fn model(enabled: bool) -> ModelContext {
    ModelContext {
        stake_amount: STAKE,
        enabled,
        pool: pool(),
    }
}

fn id(name: &str) -> ProviderId {
    name.as_bytes().to_vec()
}

/// A registry owned by alice, who is also the caller afterwards.
fn deploy(auto_whitelist: bool) -> Registry {
    set_caller(accounts().alice);
    Registry::new(router(), epoch_controller(), auto_whitelist)
}

/// `register` as `owner` with an enabled model and epoch `EPOCH` supplied.
fn register_as(
    registry: &mut Registry,
    owner: AccountId,
    provider: &str,
    model_id: ModelId,
) -> Result<ProviderRecord, RegistryError> {
    set_caller(owner);
    registry.register_with(id(provider), model_id, META.into(), |asked| {
        assert_eq!(asked, model_id);
        Ok((model(true), EPOCH))
    })
}

/// Registers `provider` for bob, then makes alice (the owner) the caller again.
fn bob_registers(registry: &mut Registry, provider: &str) {
    register_as(registry, accounts().bob, provider, MODEL).expect("registration failed");
    set_caller(accounts().alice);
}

fn event_count() -> usize {
    test::recorded_events().count()
}

/// The recorded events of type `E`, decoded, in emission order.
fn emitted<E: ink::env::Event + Decode>() -> Vec<E> {
    let signature = E::SIGNATURE_TOPIC.expect("events have a signature topic");
    test::recorded_events()
        .filter(|event| event.topics.first().map(Vec::as_slice) == Some(&signature[..]))
        .map(|event| E::decode(&mut &event.data[..]).expect("event decodes"))
        .collect()
}

fn whitelister() -> AccountId {
    accounts().charlie
}

/// A registry with bob's provider "p1" and charlie as whitelister; caller alice.
fn deploy_with_provider(auto_whitelist: bool) -> Registry {
    let mut registry = deploy(auto_whitelist);
    registry
        .grant_role(Role::Whitelister, whitelister())
        .expect("grant failed");
    bob_registers(&mut registry, "p1");
    registry
}

// ---------------------------------------------------------------- constructor

#[ink::test]
fn new_sets_owner_addresses_and_auto_whitelist() {
    let registry = deploy(true);
    assert_eq!(registry.owner(), accounts().alice);
    assert_eq!(registry.pending_owner(), None);
    assert_eq!(registry.router(), router());
    assert_eq!(registry.epoch_controller(), epoch_controller());
    assert!(registry.auto_whitelist());
    assert!(!registry.paused());
    assert_eq!(registry.provider_count(), 0);
    assert!(!deploy(false).auto_whitelist());
}

// ---------------------------------------------------------------- register

#[ink::test]
fn register_valid_provider_stores_record_metadata_and_indexes() {
    let mut registry = deploy(false);
    test::advance_block::<DefaultEnvironment>();
    test::advance_block::<DefaultEnvironment>();
    let record = register_as(&mut registry, accounts().bob, "p1", MODEL).unwrap();

    let expected = ProviderRecord {
        owner: accounts().bob,
        model_id: MODEL,
        pool: pool(),
        registered_at_block: 2,
        registered_epoch: EPOCH,
        whitelisted: false,
        jailed_until: 0,
        deactivated: false,
        owner_position: 0,
        model_position: 0,
    };
    assert_eq!(record, expected);
    assert_eq!(
        registry.get_provider(id("p1")),
        Some(ProviderInfo::new(id("p1"), expected, META.into()))
    );
    assert!(registry.registered(id("p1")));
    assert_eq!(registry.provider_count(), 1);
    assert_eq!(registry.provider_count_by_model(MODEL), 1);
    assert_eq!(
        registry.get_provider_ids_by_owner(accounts().bob),
        vec![id("p1")]
    );
    assert_eq!(
        registry.get_provider_ids_by_model(MODEL, 0, 10).ids,
        vec![id("p1")]
    );
}

#[ink::test]
fn register_emits_provider_registered_only_without_auto_whitelist() {
    let mut registry = deploy(false);
    register_as(&mut registry, accounts().bob, "p1", MODEL).unwrap();
    assert_eq!(event_count(), 1);
    assert_eq!(
        emitted::<ProviderRegistered>(),
        vec![ProviderRegistered {
            id: id("p1"),
            model_id: MODEL,
            owner: accounts().bob,
            epoch: EPOCH,
            metadata: META.into(),
        }]
    );
}

#[ink::test]
fn register_with_auto_whitelist_whitelists_and_emits_both_events() {
    let mut registry = deploy(true);
    let record = register_as(&mut registry, accounts().bob, "p1", MODEL).unwrap();
    assert!(record.whitelisted);
    assert!(registry.get_provider(id("p1")).unwrap().whitelisted);
    assert_eq!(emitted::<ProviderRegistered>().len(), 1);
    assert_eq!(
        emitted::<ProviderWhitelisted>(),
        vec![ProviderWhitelisted { id: id("p1") }]
    );
}

#[ink::test]
fn register_invalid_id_fails() {
    let mut registry = deploy(true);
    assert_eq!(
        registry.register(Vec::new(), MODEL, META.into()),
        Err(EmptyProviderId)
    );
    assert_eq!(
        registry.register(vec![b'x'; 65], MODEL, META.into()),
        Err(ProviderIdTooLong)
    );
    assert_eq!(registry.provider_count(), 0);
    assert_eq!(event_count(), 0);
}

#[ink::test]
fn register_invalid_metadata_fails_with_its_reason() {
    let mut registry = deploy(true);
    for (metadata, error) in [
        ("x".repeat(1025), MetadataTooLong),
        ("https://node.example.com".into(), MetadataNotJson),
        ("{}".into(), MetadataMissingUrl),
        (r#"{"url":"ftp://a"}"#.into(), MetadataInvalidUrl),
        (
            r#"{"url":"https://a","name":1}"#.into(),
            MetadataNameNotString,
        ),
    ] {
        assert_eq!(registry.register(id("p1"), MODEL, metadata), Err(error));
    }
    assert!(!registry.registered(id("p1")));
    assert_eq!(event_count(), 0);
}

#[ink::test]
fn register_duplicate_id_fails() {
    let mut registry = deploy(true);
    bob_registers(&mut registry, "p1");
    set_caller(accounts().charlie);
    assert_eq!(
        registry.register(id("p1"), OTHER_MODEL, META.into()),
        Err(ProviderAlreadyRegistered)
    );
    assert_eq!(
        registry.register_and_stake(id("p1"), MODEL, META.into()),
        Err(ProviderAlreadyRegistered)
    );
    assert_eq!(
        registry.get_provider(id("p1")).unwrap().owner,
        accounts().bob
    );
    assert_eq!(registry.provider_count(), 1);
}

#[ink::test]
fn register_over_owner_limit_fails() {
    let mut registry = deploy(false);
    for n in 0..MAX_PROVIDERS_PER_OWNER {
        register_as(&mut registry, accounts().bob, &format!("p{n}"), MODEL).unwrap();
    }
    assert_eq!(
        registry.register(id("one-too-many"), MODEL, META.into()),
        Err(TooManyProviders)
    );
    assert_eq!(
        registry.get_provider_ids_by_owner(accounts().bob).len(),
        MAX_PROVIDERS_PER_OWNER as usize
    );
    // Another owner is not affected.
    register_as(&mut registry, accounts().charlie, "c0", MODEL).unwrap();
    assert_eq!(registry.provider_count(), MAX_PROVIDERS_PER_OWNER + 1);
}

#[ink::test]
fn register_disabled_model_fails() {
    let mut registry = deploy(true);
    set_caller(accounts().bob);
    assert_eq!(
        registry.register_with(id("p1"), MODEL, META.into(), |_| Ok((model(false), EPOCH))),
        Err(ModelDisabled)
    );
    assert!(!registry.registered(id("p1")));
    assert_eq!(registry.provider_count_by_model(MODEL), 0);
    assert_eq!(event_count(), 0);
}

#[ink::test]
fn register_failing_context_fails_and_stores_nothing() {
    let mut registry = deploy(true);
    for error in [ModelNotFound, CrossContractCall] {
        assert_eq!(
            registry.register_with(id("p1"), MODEL, META.into(), |_| Err(error.clone())),
            Err(error)
        );
    }
    assert!(!registry.registered(id("p1")));
    assert!(registry
        .get_provider_ids_by_owner(accounts().alice)
        .is_empty());
}

#[ink::test]
fn register_while_paused_fails() {
    let mut registry = deploy(true);
    registry.pause().unwrap();
    set_caller(accounts().bob);
    assert_eq!(
        registry.register(id("p1"), MODEL, META.into()),
        Err(Access(AccessError::Paused))
    );
    assert_eq!(
        registry.register_and_stake(id("p1"), MODEL, META.into()),
        Err(Access(AccessError::Paused))
    );
    assert_eq!(
        register_as(&mut registry, accounts().bob, "p1", MODEL),
        Err(Access(AccessError::Paused))
    );
    assert!(!registry.registered(id("p1")));
}

#[ink::test]
fn register_and_stake_invalid_input_fails_before_any_call() {
    let mut registry = deploy(true);
    assert_eq!(
        registry.register_and_stake(Vec::new(), MODEL, META.into()),
        Err(EmptyProviderId)
    );
    assert_eq!(
        registry.register_and_stake(id("p1"), MODEL, "{}".into()),
        Err(MetadataMissingUrl)
    );
}

#[ink::test]
fn register_builds_per_model_and_per_owner_indexes_in_order() {
    let mut registry = deploy(false);
    let a = accounts();
    register_as(&mut registry, a.bob, "b1", MODEL).unwrap();
    register_as(&mut registry, a.charlie, "c1", OTHER_MODEL).unwrap();
    register_as(&mut registry, a.bob, "b2", OTHER_MODEL).unwrap();
    register_as(&mut registry, a.charlie, "c2", MODEL).unwrap();

    assert_eq!(
        registry.get_provider_ids_by_owner(a.bob),
        vec![id("b1"), id("b2")]
    );
    assert_eq!(
        registry.get_provider_ids_by_owner(a.charlie),
        vec![id("c1"), id("c2")]
    );
    assert!(registry.get_provider_ids_by_owner(a.django).is_empty());
    // Pages list the newest position first.
    assert_eq!(
        registry.get_provider_ids_by_model(MODEL, 0, 10).ids,
        vec![id("c2"), id("b1")]
    );
    assert_eq!(
        registry.get_provider_ids_by_model(OTHER_MODEL, 0, 10).ids,
        vec![id("b2"), id("c1")]
    );
    assert_eq!(registry.provider_count_by_model(MODEL), 2);
    assert_eq!(registry.provider_count_by_model(3), 0);
    assert_eq!(registry.provider_count(), 4);
}

// ---------------------------------------------------------------- update_metadata

#[ink::test]
fn update_metadata_by_owner_replaces_it_and_emits() {
    let mut registry = deploy_with_provider(false);
    set_caller(accounts().bob);
    let new = r#"{"url":"http://10.0.0.2:8080/v1"}"#;
    registry.update_metadata(id("p1"), new.into()).unwrap();
    assert_eq!(registry.get_provider(id("p1")).unwrap().metadata, new);
    assert_eq!(
        emitted::<ProviderMetadataUpdated>(),
        vec![ProviderMetadataUpdated {
            id: id("p1"),
            metadata: new.into(),
        }]
    );
}

#[ink::test]
fn update_metadata_by_non_owner_fails() {
    let mut registry = deploy_with_provider(false);
    for caller in [accounts().alice, accounts().charlie] {
        set_caller(caller);
        assert_eq!(
            registry.update_metadata(id("p1"), r#"{"url":"https://evil"}"#.into()),
            Err(NotProviderOwner)
        );
    }
    assert_eq!(registry.get_provider(id("p1")).unwrap().metadata, META);
}

#[ink::test]
fn update_metadata_unknown_id_fails() {
    let mut registry = deploy_with_provider(false);
    set_caller(accounts().bob);
    assert_eq!(
        registry.update_metadata(id("nope"), META.into()),
        Err(ProviderNotFound)
    );
}

#[ink::test]
fn update_metadata_invalid_fails_and_keeps_the_old_one() {
    let mut registry = deploy_with_provider(false);
    set_caller(accounts().bob);
    assert_eq!(
        registry.update_metadata(id("p1"), r#"{"url":"https://"}"#.into()),
        Err(MetadataInvalidUrl)
    );
    assert_eq!(
        registry.update_metadata(id("p1"), "{}".into()),
        Err(MetadataMissingUrl)
    );
    assert_eq!(registry.get_provider(id("p1")).unwrap().metadata, META);
    assert!(emitted::<ProviderMetadataUpdated>().is_empty());
}

#[ink::test]
fn update_metadata_while_paused_fails() {
    let mut registry = deploy_with_provider(false);
    registry.pause().unwrap();
    set_caller(accounts().bob);
    assert_eq!(
        registry.update_metadata(id("p1"), r#"{"url":"https://b"}"#.into()),
        Err(Access(AccessError::Paused))
    );
    assert_eq!(registry.get_provider(id("p1")).unwrap().metadata, META);
}

// ---------------------------------------------------------------- deactivate / reactivate

#[ink::test]
fn deactivate_then_reactivate_by_owner_toggles_and_emits() {
    let mut registry = deploy_with_provider(false);
    set_caller(accounts().bob);
    registry.deactivate(id("p1")).unwrap();
    assert!(registry.get_provider(id("p1")).unwrap().deactivated);
    assert!(!registry.active(id("p1")), "deactivated: no call needed");
    registry.reactivate(id("p1")).unwrap();
    assert!(!registry.get_provider(id("p1")).unwrap().deactivated);
    assert_eq!(
        emitted::<ProviderDeactivated>(),
        vec![ProviderDeactivated { id: id("p1") }]
    );
    assert_eq!(
        emitted::<ProviderReactivated>(),
        vec![ProviderReactivated { id: id("p1") }]
    );
}

#[ink::test]
fn deactivate_twice_fails() {
    let mut registry = deploy_with_provider(false);
    set_caller(accounts().bob);
    registry.deactivate(id("p1")).unwrap();
    assert_eq!(registry.deactivate(id("p1")), Err(AlreadyDeactivated));
    assert_eq!(emitted::<ProviderDeactivated>().len(), 1);
}

#[ink::test]
fn reactivate_not_deactivated_fails() {
    let mut registry = deploy_with_provider(false);
    set_caller(accounts().bob);
    assert_eq!(registry.reactivate(id("p1")), Err(NotDeactivated));
    assert!(emitted::<ProviderReactivated>().is_empty());
}

#[ink::test]
fn deactivate_and_reactivate_by_non_owner_fail() {
    let mut registry = deploy_with_provider(false);
    set_caller(accounts().charlie);
    assert_eq!(registry.deactivate(id("p1")), Err(NotProviderOwner));
    assert!(!registry.get_provider(id("p1")).unwrap().deactivated);

    set_caller(accounts().bob);
    registry.deactivate(id("p1")).unwrap();
    set_caller(accounts().alice);
    assert_eq!(registry.reactivate(id("p1")), Err(NotProviderOwner));
    assert!(registry.get_provider(id("p1")).unwrap().deactivated);
}

#[ink::test]
fn deactivate_and_reactivate_unknown_id_fail() {
    let mut registry = deploy_with_provider(false);
    assert_eq!(registry.deactivate(id("nope")), Err(ProviderNotFound));
    assert_eq!(registry.reactivate(id("nope")), Err(ProviderNotFound));
}

#[ink::test]
fn deactivate_works_while_paused_but_reactivate_does_not() {
    // Issue 11.1: a provider can always take its node out of routing.
    let mut registry = deploy_with_provider(false);
    registry.pause().unwrap();
    set_caller(accounts().bob);
    assert_eq!(registry.deactivate(id("p1")), Ok(()));
    assert!(registry.get_provider(id("p1")).unwrap().deactivated);
    assert_eq!(
        registry.reactivate(id("p1")),
        Err(Access(AccessError::Paused))
    );
}

// ---------------------------------------------------------------- whitelist

#[ink::test]
fn whitelist_by_whitelister_sets_flags_and_emits_per_id() {
    let mut registry = deploy_with_provider(false);
    bob_registers(&mut registry, "p2");
    set_caller(whitelister());
    registry.whitelist(vec![id("p1"), id("p2")]).unwrap();
    assert!(registry.get_provider(id("p1")).unwrap().whitelisted);
    assert!(registry.get_provider(id("p2")).unwrap().whitelisted);
    assert_eq!(
        emitted::<ProviderWhitelisted>(),
        vec![
            ProviderWhitelisted { id: id("p1") },
            ProviderWhitelisted { id: id("p2") }
        ]
    );
    // Again: unchanged, still one event per id.
    registry.whitelist(vec![id("p1")]).unwrap();
    assert_eq!(emitted::<ProviderWhitelisted>().len(), 3);
}

#[ink::test]
fn whitelist_by_owner_passes_the_role_check() {
    let mut registry = deploy_with_provider(false);
    registry.whitelist(vec![id("p1")]).unwrap();
    assert!(registry.get_provider(id("p1")).unwrap().whitelisted);
}

#[ink::test]
fn whitelist_by_non_whitelister_fails() {
    let mut registry = deploy_with_provider(false);
    set_caller(accounts().bob);
    assert_eq!(
        registry.whitelist(vec![id("p1")]),
        Err(Access(AccessError::MissingRole(Role::Whitelister)))
    );
    assert!(!registry.get_provider(id("p1")).unwrap().whitelisted);
    assert!(emitted::<ProviderWhitelisted>().is_empty());
}

#[ink::test]
fn whitelist_empty_or_oversized_batch_fails() {
    let mut registry = deploy_with_provider(false);
    set_caller(whitelister());
    assert_eq!(registry.whitelist(Vec::new()), Err(InvalidBatchSize));
    assert_eq!(
        registry.whitelist(vec![id("p1"); MAX_BATCH_SIZE + 1]),
        Err(InvalidBatchSize)
    );
    assert!(!registry.get_provider(id("p1")).unwrap().whitelisted);
    registry.whitelist(vec![id("p1"); MAX_BATCH_SIZE]).unwrap();
    assert!(registry.get_provider(id("p1")).unwrap().whitelisted);
}

#[ink::test]
fn whitelist_with_an_unknown_id_changes_nothing() {
    let mut registry = deploy_with_provider(false);
    set_caller(whitelister());
    assert_eq!(
        registry.whitelist(vec![id("p1"), id("nope")]),
        Err(ProviderNotFound)
    );
    assert!(!registry.get_provider(id("p1")).unwrap().whitelisted);
    assert!(emitted::<ProviderWhitelisted>().is_empty());
}

#[ink::test]
fn remove_from_whitelist_clears_flags_and_emits_per_id() {
    let mut registry = deploy_with_provider(true);
    bob_registers(&mut registry, "p2");
    set_caller(whitelister());
    registry
        .remove_from_whitelist(vec![id("p2"), id("p1")])
        .unwrap();
    assert!(!registry.get_provider(id("p1")).unwrap().whitelisted);
    assert!(!registry.get_provider(id("p2")).unwrap().whitelisted);
    assert!(
        !registry.whitelisted(id("p1")),
        "off the list: no call needed"
    );
    assert_eq!(
        emitted::<ProviderRemovedFromWhitelist>(),
        vec![
            ProviderRemovedFromWhitelist { id: id("p2") },
            ProviderRemovedFromWhitelist { id: id("p1") }
        ]
    );
}

#[ink::test]
fn remove_from_whitelist_by_non_whitelister_fails() {
    let mut registry = deploy_with_provider(true);
    set_caller(accounts().bob);
    assert_eq!(
        registry.remove_from_whitelist(vec![id("p1")]),
        Err(Access(AccessError::MissingRole(Role::Whitelister)))
    );
    assert!(registry.get_provider(id("p1")).unwrap().whitelisted);
}

#[ink::test]
fn remove_from_whitelist_bad_batch_or_unknown_id_changes_nothing() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    assert_eq!(
        registry.remove_from_whitelist(Vec::new()),
        Err(InvalidBatchSize)
    );
    assert_eq!(
        registry.remove_from_whitelist(vec![id("p1"); MAX_BATCH_SIZE + 1]),
        Err(InvalidBatchSize)
    );
    assert_eq!(
        registry.remove_from_whitelist(vec![id("p1"), id("nope")]),
        Err(ProviderNotFound)
    );
    assert!(registry.get_provider(id("p1")).unwrap().whitelisted);
    assert!(emitted::<ProviderRemovedFromWhitelist>().is_empty());
}

#[ink::test]
fn whitelist_and_remove_work_while_paused() {
    let mut registry = deploy_with_provider(false);
    registry.pause().unwrap();
    set_caller(whitelister());
    registry.whitelist(vec![id("p1")]).unwrap();
    registry.remove_from_whitelist(vec![id("p1")]).unwrap();
}

#[ink::test]
fn revoked_whitelister_can_no_longer_whitelist() {
    let mut registry = deploy_with_provider(false);
    registry
        .revoke_role(Role::Whitelister, whitelister())
        .unwrap();
    set_caller(whitelister());
    assert_eq!(
        registry.whitelist(vec![id("p1")]),
        Err(Access(AccessError::MissingRole(Role::Whitelister)))
    );
}

// ---------------------------------------------------------------- jail / unjail

#[ink::test]
fn jail_for_epochs_sets_jailed_until_and_emits() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    registry.jail_with(id("p1"), 3, || Ok(EPOCH)).unwrap();
    let record = registry.get_provider(id("p1")).unwrap();
    assert_eq!(record.jailed_until, EPOCH + 3);
    assert!(record.whitelisted, "jail leaves the whitelist flag alone");
    assert_eq!(
        emitted::<ProviderJailed>(),
        vec![ProviderJailed {
            id: id("p1"),
            epochs: 3,
            jailed_until: EPOCH + 3,
        }]
    );
    // A new sentence replaces the old one.
    registry.jail_with(id("p1"), 1, || Ok(EPOCH + 1)).unwrap();
    assert_eq!(
        registry.get_provider(id("p1")).unwrap().jailed_until,
        EPOCH + 2
    );
}

#[ink::test]
fn jail_for_epochs_by_non_whitelister_fails() {
    let mut registry = deploy_with_provider(true);
    set_caller(accounts().bob);
    assert_eq!(
        registry.jail_for_epochs(id("p1"), 3),
        Err(Access(AccessError::MissingRole(Role::Whitelister)))
    );
    assert_eq!(registry.get_provider(id("p1")).unwrap().jailed_until, 0);
}

#[ink::test]
fn jail_for_epochs_out_of_bounds_fails() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    assert_eq!(
        registry.jail_for_epochs(id("p1"), 0),
        Err(JailEpochsOutOfBounds)
    );
    assert_eq!(
        registry.jail_for_epochs(id("p1"), MAX_JAIL_EPOCHS + 1),
        Err(JailEpochsOutOfBounds)
    );
    registry
        .jail_with(id("p1"), MAX_JAIL_EPOCHS, || Ok(EPOCH))
        .unwrap();
    assert_eq!(
        registry.get_provider(id("p1")).unwrap().jailed_until,
        EPOCH + MAX_JAIL_EPOCHS
    );
}

#[ink::test]
fn jail_for_epochs_unknown_id_fails() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    assert_eq!(
        registry.jail_for_epochs(id("nope"), 3),
        Err(ProviderNotFound)
    );
}

#[ink::test]
fn jail_for_epochs_overflowing_epoch_fails() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    assert_eq!(
        registry.jail_with(id("p1"), 2, || Ok(EpochId::MAX - 1)),
        Err(Overflow)
    );
    assert_eq!(registry.get_provider(id("p1")).unwrap().jailed_until, 0);
}

#[ink::test]
fn jail_for_epochs_failing_epoch_controller_changes_nothing() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    assert_eq!(
        registry.jail_with(id("p1"), 2, || Err(CrossContractCall)),
        Err(CrossContractCall)
    );
    assert_eq!(registry.get_provider(id("p1")).unwrap().jailed_until, 0);
    assert!(emitted::<ProviderJailed>().is_empty());
}

#[ink::test]
fn unjail_jailed_provider_releases_it_and_emits() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    registry.jail_with(id("p1"), 5, || Ok(EPOCH)).unwrap();
    registry.unjail_with(id("p1"), || Ok(EPOCH + 4)).unwrap();
    assert_eq!(registry.get_provider(id("p1")).unwrap().jailed_until, 0);
    assert_eq!(
        emitted::<ProviderUnjailed>(),
        vec![ProviderUnjailed { id: id("p1") }]
    );
}

#[ink::test]
fn unjail_not_jailed_fails() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    assert_eq!(registry.unjail_with(id("p1"), || Ok(EPOCH)), Err(NotJailed));
    registry.jail_with(id("p1"), 5, || Ok(EPOCH)).unwrap();
    assert_eq!(
        registry.unjail_with(id("p1"), || Ok(EPOCH + 5)),
        Err(NotJailed),
        "the sentence is over at jailed_until"
    );
    assert_eq!(
        registry.get_provider(id("p1")).unwrap().jailed_until,
        EPOCH + 5
    );
    assert!(emitted::<ProviderUnjailed>().is_empty());
}

#[ink::test]
fn unjail_by_non_whitelister_fails() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    registry.jail_with(id("p1"), 5, || Ok(EPOCH)).unwrap();
    set_caller(accounts().bob);
    assert_eq!(
        registry.unjail(id("p1")),
        Err(Access(AccessError::MissingRole(Role::Whitelister)))
    );
    assert_eq!(
        registry.get_provider(id("p1")).unwrap().jailed_until,
        EPOCH + 5
    );
}

#[ink::test]
fn unjail_unknown_id_fails() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    assert_eq!(registry.unjail(id("nope")), Err(ProviderNotFound));
}

#[ink::test]
fn jail_and_unjail_work_while_paused() {
    let mut registry = deploy_with_provider(true);
    registry.pause().unwrap();
    set_caller(whitelister());
    registry.jail_with(id("p1"), 5, || Ok(EPOCH)).unwrap();
    registry.unjail_with(id("p1"), || Ok(EPOCH)).unwrap();
}

// ---------------------------------------------------------------- toggle_automatic_whitelist

#[ink::test]
fn toggle_automatic_whitelist_by_owner_flips_and_emits() {
    let mut registry = deploy(false);
    registry.toggle_automatic_whitelist().unwrap();
    assert!(registry.auto_whitelist());
    register_as(&mut registry, accounts().bob, "p1", MODEL).unwrap();
    assert!(registry.get_provider(id("p1")).unwrap().whitelisted);

    set_caller(accounts().alice);
    registry.toggle_automatic_whitelist().unwrap();
    assert!(!registry.auto_whitelist());
    assert_eq!(
        emitted::<AutomaticWhitelistToggled>(),
        vec![
            AutomaticWhitelistToggled { enabled: true },
            AutomaticWhitelistToggled { enabled: false }
        ]
    );
}

#[ink::test]
fn toggle_automatic_whitelist_by_non_owner_fails() {
    let mut registry = deploy(false);
    registry
        .grant_role(Role::Whitelister, whitelister())
        .unwrap();
    for caller in [accounts().bob, whitelister()] {
        set_caller(caller);
        assert_eq!(
            registry.toggle_automatic_whitelist(),
            Err(Access(AccessError::NotOwner))
        );
    }
    assert!(!registry.auto_whitelist());
}

// ---------------------------------------------------------------- cluster operations

#[ink::test]
fn claim_rewards_cluster_while_paused_fails() {
    let mut registry = deploy_with_provider(true);
    registry.pause().unwrap();
    set_caller(accounts().bob);
    assert_eq!(
        registry.claim_rewards_cluster(1, 2),
        Err(Access(AccessError::Paused))
    );
    assert!(emitted::<RewardClaimedForCluster>().is_empty());
}

#[ink::test]
fn run_cluster_calls_each_pool_once_and_collects_in_order() {
    let mut registry = deploy_with_provider(true);
    bob_registers(&mut registry, "p2");
    register_as(&mut registry, accounts().charlie, "c1", MODEL).unwrap();

    let mut calls = Vec::new();
    let outcome = registry
        .run_cluster(accounts().bob, 0, |pool_of, entries| {
            assert_eq!(pool_of, pool());
            assert!(entries.iter().all(|(_, view)| view.owner == accounts().bob));
            calls.push(entries.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>());
            Ok(vec![
                Ok(40),
                Err(StakingError::StillLocked { unlock_epoch: 9 }),
            ])
        })
        .unwrap();
    assert_eq!(
        calls,
        vec![vec![id("p2"), id("p1")]],
        "one call with only bob's ids, newest first"
    );
    assert_eq!(
        outcome,
        ClusterOutcome {
            succeeded: vec![id("p2")],
            failed: vec![(id("p1"), StakingError::StillLocked { unlock_epoch: 9 })],
            total: 40,
            next_start: None,
        }
    );
}

#[ink::test]
fn run_cluster_failed_pool_call_fails_each_of_its_ids() {
    let mut registry = deploy_with_provider(true);
    bob_registers(&mut registry, "p2");
    let outcome = registry
        .run_cluster(accounts().bob, 0, |_, _| Err(CrossContractCall))
        .unwrap();
    assert_eq!(
        outcome.failed,
        vec![
            (id("p2"), StakingError::CrossContractCall),
            (id("p1"), StakingError::CrossContractCall)
        ]
    );
    let short = registry
        .run_cluster(accounts().bob, 0, |_, _| Ok(vec![Ok(1)]))
        .unwrap();
    assert_eq!(
        short.succeeded,
        Vec::<ProviderId>::new(),
        "an answer of the wrong length"
    );
    assert_eq!(short.failed.len(), 2);
}

#[ink::test]
#[allow(clippy::arithmetic_side_effects)] // small test counters
fn run_cluster_pages_by_pools_within_the_proof_budget() {
    use func_interfaces::limits::MAX_CLUSTER_POOLS_PER_CALL;
    let mut registry = deploy(true);
    // Bob's providers spread over three pools: two in the first, one in each other.
    let pools = [1u8, 1, 2, 3];
    for (n, pool_n) in pools.into_iter().enumerate() {
        set_caller(accounts().bob);
        let pool_n = AccountId::from([pool_n; 32]);
        registry
            .register_with(id(&format!("m{n}")), n as u32 + 1, META.into(), move |_| {
                Ok((
                    ModelContext {
                        stake_amount: STAKE,
                        enabled: true,
                        pool: pool_n,
                    },
                    EPOCH,
                ))
            })
            .unwrap();
    }
    let answer = |_: AccountId, entries: Vec<(ProviderId, ProviderView)>| {
        Ok(entries.iter().map(|_| Ok(1)).collect())
    };
    let mut start = 0;
    let mut pages = Vec::new();
    loop {
        let mut called = 0;
        let outcome = registry
            .run_cluster(accounts().bob, start, |pool_of, entries| {
                called += 1;
                answer(pool_of, entries)
            })
            .unwrap();
        assert!(called <= MAX_CLUSTER_POOLS_PER_CALL);
        pages.push(outcome.succeeded.clone());
        match outcome.next_start {
            Some(next) => start = next,
            None => break,
        }
    }
    // One pool per page (MAX_CLUSTER_POOLS_PER_CALL = 1), newest first: pools 3 and 2, then
    // pool 1's two providers.
    assert_eq!(
        pages,
        vec![vec![id("m3")], vec![id("m2")], vec![id("m1"), id("m0")]]
    );
}

#[ink::test]
fn run_cluster_pages_many_providers_of_one_pool() {
    use func_interfaces::limits::CLUSTER_CALL_BUDGET;
    let mut registry = deploy(true);
    for n in 0..MAX_PROVIDERS_PER_OWNER {
        register_as(&mut registry, accounts().bob, &format!("p{n}"), MODEL).unwrap();
    }
    let first = registry
        .run_cluster(accounts().bob, 0, |_, entries| {
            Ok(entries.iter().map(|_| Ok(1)).collect())
        })
        .unwrap();
    assert_eq!(first.succeeded.len(), CLUSTER_CALL_BUDGET as usize);
    assert_eq!(
        first.next_start,
        Some(MAX_PROVIDERS_PER_OWNER - CLUSTER_CALL_BUDGET)
    );
}

#[ink::test]
fn run_cluster_without_providers_is_empty() {
    let registry = deploy(true);
    let outcome = registry
        .run_cluster(accounts().eve, 0, |_, _| Ok(Vec::new()))
        .unwrap();
    assert_eq!(outcome, ClusterOutcome::default());
}

#[ink::test]
fn run_cluster_total_overflow_fails() {
    let mut registry = deploy_with_provider(true);
    bob_registers(&mut registry, "p2");
    assert_eq!(
        registry.run_cluster(accounts().bob, 0, |_, _| Ok(vec![
            Ok(Balance::MAX),
            Ok(Balance::MAX)
        ])),
        Err(Overflow)
    );
}

// ---------------------------------------------------------------- views

#[ink::test]
fn get_provider_and_registered_of_unknown_id() {
    let registry = deploy_with_provider(true);
    assert_eq!(registry.get_provider(id("nope")), None);
    assert!(!registry.registered(id("nope")));
    assert!(!registry.active(id("nope")));
    assert!(!registry.whitelisted(id("nope")));
}

#[ink::test]
fn active_and_whitelisted_of_unlisted_provider_are_false_without_calls() {
    let registry = deploy_with_provider(false);
    assert!(!registry.active(id("p1")));
    assert!(!registry.whitelisted(id("p1")));
}

#[ink::test]
fn staking_view_returns_the_pool_relevant_state() {
    use func_interfaces::ProviderRegistry as _;
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    registry.jail_with(id("p1"), 2, || Ok(EPOCH)).unwrap();
    assert_eq!(
        registry.staking_view(id("p1")),
        Ok(ProviderView {
            owner: accounts().bob,
            model_id: MODEL,
            whitelisted: true,
            jailed_until: EPOCH + 2,
            deactivated: false,
        })
    );
    assert_eq!(registry.staking_view(id("nope")), Err(ProviderNotFound));
}

#[ink::test]
fn get_provider_ids_by_model_pages_and_clamps() {
    let mut registry = deploy(false);
    let owners = [
        accounts().bob,
        accounts().charlie,
        accounts().django,
        accounts().eve,
    ];
    let total = MAX_PAGE_SIZE + 5;
    for n in 0..total {
        let owner = owners[(n % 4) as usize];
        register_as(&mut registry, owner, &format!("p{n}"), MODEL).unwrap();
    }
    let name = |n: u32| id(&format!("p{n}"));
    let page = registry.get_provider_ids_by_model(MODEL, 0, u32::MAX);
    assert_eq!(page.ids.len(), MAX_PAGE_SIZE as usize, "limit is capped");
    assert_eq!(page.ids.first(), Some(&name(total - 1)), "newest first");
    assert_eq!(page.next_start, Some(total - MAX_PAGE_SIZE));
    let rest = registry.get_provider_ids_by_model(MODEL, total - MAX_PAGE_SIZE, 10);
    assert_eq!(rest.ids, (0..5).rev().map(name).collect::<Vec<_>>());
    assert_eq!(rest.next_start, None);
    let window = registry.get_provider_ids_by_model(MODEL, 5, 2);
    assert_eq!(window.ids, vec![name(4), name(3)]);
    assert_eq!(window.next_start, Some(3));
    let empty = registry.get_provider_ids_by_model(MODEL, 1, 0);
    assert_eq!((empty.ids.len(), empty.next_start), (0, Some(1)));
    // A cursor past the end starts at the top.
    assert_eq!(
        registry.get_provider_ids_by_model(MODEL, u32::MAX, 1).ids,
        vec![name(total - 1)]
    );
    assert_eq!(
        registry.get_provider_ids_by_model(OTHER_MODEL, 0, 10),
        ProviderIdsPage::default()
    );
}

#[ink::test]
fn get_active_providers_of_an_empty_model_is_empty_and_final() {
    let registry = deploy_with_provider(true);
    // These ranges hold no position, so the page needs no call.
    for (model_id, start, limit) in [(OTHER_MODEL, 0, 10), (OTHER_MODEL, u32::MAX, 5)] {
        let page = registry.get_active_providers(model_id, start, limit);
        assert_eq!(
            page,
            ActiveProvidersPage::default(),
            "{model_id} {start} {limit}"
        );
    }
}

#[ink::test]
fn get_active_providers_empty_window_before_the_end_points_at_it() {
    let mut registry = deploy_with_provider(true);
    bob_registers(&mut registry, "p2");
    assert_eq!(
        registry.get_active_providers(MODEL, 0, 0),
        ActiveProvidersPage {
            providers: Vec::new(),
            next_start: Some(2),
        }
    );
}

/// Answers for the `*_with` views: `MODEL` enabled or not, epoch `EPOCH`.
fn answers(
    enabled: bool,
) -> impl FnOnce(ModelId) -> Result<(ModelContext, EpochId), RegistryError> {
    move |model_id| {
        assert_eq!(model_id, MODEL);
        Ok((model(enabled), EPOCH))
    }
}

fn no_call_expected<T, U>(_: T) -> U {
    panic!("no call expected")
}

fn no_stake_call_expected(_: AccountId, _: Vec<ProviderId>) -> Result<Vec<Balance>, RegistryError> {
    panic!("no stake call expected")
}

#[ink::test]
fn active_with_all_five_conditions_is_true() {
    let registry = deploy_with_provider(true);
    let active = registry.active_with(&id("p1"), answers(true), |pool_asked, ids| {
        assert_eq!(pool_asked, pool());
        assert_eq!(ids, vec![id("p1")]);
        Ok(vec![STAKE])
    });
    assert_eq!(active, Ok(true));
}

#[ink::test]
fn active_with_a_missing_condition_is_false() {
    let mut registry = deploy_with_provider(true);
    assert_eq!(
        registry.active_with(&id("p1"), answers(true), |_, _| Ok(vec![STAKE - 1])),
        Ok(false),
        "under-staked"
    );
    assert_eq!(
        registry.active_with(&id("p1"), answers(true), |_, _| Ok(Vec::new())),
        Ok(false),
        "no stake reported"
    );
    assert_eq!(
        registry.active_with(&id("p1"), answers(false), |_, _| Ok(vec![STAKE])),
        Ok(false),
        "model disabled"
    );
    set_caller(whitelister());
    registry.jail_with(id("p1"), 1, || Ok(EPOCH)).unwrap();
    assert_eq!(
        registry.active_with(&id("p1"), answers(true), |_, _| Ok(vec![STAKE])),
        Ok(false),
        "jailed"
    );
}

#[ink::test]
fn active_with_deactivated_unlisted_or_unknown_provider_makes_no_call() {
    let mut registry = deploy_with_provider(true);
    bob_registers(&mut registry, "p2");
    set_caller(accounts().bob);
    registry.deactivate(id("p1")).unwrap();
    set_caller(whitelister());
    registry.remove_from_whitelist(vec![id("p2")]).unwrap();
    for provider in ["p1", "p2", "nope"] {
        assert_eq!(
            registry.active_with(&id(provider), no_call_expected, no_stake_call_expected),
            Ok(false),
            "{provider}"
        );
    }
}

#[ink::test]
fn active_with_failing_call_is_an_error_that_active_reports_as_false() {
    let registry = deploy_with_provider(true);
    assert_eq!(
        registry.active_with(
            &id("p1"),
            |_| Err(CrossContractCall),
            no_stake_call_expected
        ),
        Err(CrossContractCall)
    );
    assert_eq!(
        registry.active_with(&id("p1"), answers(true), |_, _| Err(CrossContractCall)),
        Err(CrossContractCall)
    );
}

/// Six providers of `MODEL` (p0..p5, bob's) around one of `OTHER_MODEL`: p1 deactivated,
/// p2 jailed, p3 off the whitelist; the rest eligible.
fn deploy_model_with_six_providers() -> Registry {
    let mut registry = deploy(true);
    registry
        .grant_role(Role::Whitelister, whitelister())
        .unwrap();
    for n in 0..6 {
        bob_registers(&mut registry, &format!("p{n}"));
        if n == 2 {
            register_as(&mut registry, accounts().charlie, "other", OTHER_MODEL).unwrap();
        }
    }
    set_caller(accounts().bob);
    registry.deactivate(id("p1")).unwrap();
    set_caller(whitelister());
    registry.jail_with(id("p2"), 1, || Ok(EPOCH)).unwrap();
    registry.remove_from_whitelist(vec![id("p3")]).unwrap();
    registry
}

fn active(provider: &str) -> ActiveProvider {
    ActiveProvider {
        id: id(provider),
        metadata: META.into(),
    }
}

#[ink::test]
fn get_active_providers_lists_active_providers_with_metadata() {
    let registry = deploy_model_with_six_providers();
    let page = registry.active_providers_with(MODEL, 0, 10, answers(true), |pool_asked, ids| {
        assert_eq!(pool_asked, pool());
        assert_eq!(ids, vec![id("p5"), id("p4"), id("p0")], "only eligible ids");
        Ok(vec![STAKE + 1, STAKE - 1, STAKE])
    });
    assert_eq!(
        page,
        ActiveProvidersPage {
            providers: vec![active("p5"), active("p0")],
            next_start: None,
        }
    );
}

#[ink::test]
fn get_active_providers_pages_by_position_from_the_top_down() {
    let registry = deploy_model_with_six_providers();
    let all_staked = |_: AccountId, ids: Vec<ProviderId>| Ok(vec![STAKE; ids.len()]);
    let first = registry.active_providers_with(MODEL, 0, 4, answers(true), all_staked);
    assert_eq!(
        first,
        ActiveProvidersPage {
            providers: vec![active("p5"), active("p4")],
            next_start: Some(2),
        }
    );
    let second = registry.active_providers_with(MODEL, 2, 4, answers(true), all_staked);
    assert_eq!(
        second,
        ActiveProvidersPage {
            providers: vec![active("p0")],
            next_start: None,
        }
    );
}

#[ink::test]
fn get_active_providers_of_disabled_model_is_empty_without_stake_call() {
    let registry = deploy_model_with_six_providers();
    let page = registry.active_providers_with(MODEL, 0, 2, answers(false), no_stake_call_expected);
    assert_eq!(
        page,
        ActiveProvidersPage {
            providers: Vec::new(),
            next_start: Some(4),
        }
    );
}

#[ink::test]
fn get_active_providers_without_eligible_provider_makes_no_stake_call() {
    let registry = deploy_model_with_six_providers();
    // Positions 1 to 3: p1, p2 and p3 are not eligible.
    let page = registry.active_providers_with(MODEL, 4, 3, answers(true), no_stake_call_expected);
    assert_eq!(
        page,
        ActiveProvidersPage {
            providers: Vec::new(),
            next_start: Some(1),
        }
    );
}

#[ink::test]
fn get_active_providers_failing_call_gives_an_empty_page_that_moves_on() {
    let registry = deploy_model_with_six_providers();
    let page = registry.active_providers_with(
        MODEL,
        0,
        2,
        |_| Err(CrossContractCall),
        no_stake_call_expected,
    );
    assert_eq!(page.providers, Vec::new());
    assert_eq!(page.next_start, Some(4));
    let page =
        registry.active_providers_with(MODEL, 0, 10, answers(true), |_, _| Err(CrossContractCall));
    assert_eq!(page.providers, Vec::new());
    assert_eq!(page.next_start, None);
}

#[ink::test]
fn get_active_providers_stops_before_the_page_byte_budget() {
    let mut registry = deploy(true);
    // Metadata of exactly 1000 bytes: 12 entries (3-byte ids) fit in 12 KiB, 13 do not.
    let prefix = r#"{"url":"https://a","pad":""#;
    let big = format!("{prefix}{}\"}}", "x".repeat(972));
    assert_eq!(big.len(), 1000);
    set_caller(accounts().bob);
    for n in 10..25 {
        registry
            .register_with(id(&format!("p{n}")), MODEL, big.clone(), answers(true))
            .unwrap();
    }
    let all_staked = |_: AccountId, ids: Vec<ProviderId>| Ok(vec![STAKE; ids.len()]);
    // 15 providers p10..p24 at positions 0..15, read from the top down.
    let first = registry.active_providers_with(MODEL, 0, 100, answers(true), all_staked);
    assert_eq!(first.providers.len(), 12);
    assert_eq!(first.providers[0].id, id("p24"));
    assert_eq!(first.next_start, Some(3));
    assert!(first.providers.iter().all(|p| p.metadata == big));
    let rest = registry.active_providers_with(MODEL, 3, 100, answers(true), all_staked);
    assert_eq!(
        rest.providers
            .iter()
            .map(|p| p.id.clone())
            .collect::<Vec<_>>(),
        vec![id("p12"), id("p11"), id("p10")]
    );
    assert_eq!(rest.next_start, None);
}

// ---------------------------------------------------------------- admin

#[ink::test]
fn transfer_ownership_two_step_hands_over_the_owner_checks() {
    let mut registry = deploy(false);
    registry.transfer_ownership(accounts().bob).unwrap();
    assert_eq!(registry.pending_owner(), Some(accounts().bob));
    set_caller(accounts().bob);
    registry.accept_ownership().unwrap();
    assert_eq!(registry.owner(), accounts().bob);
    registry.toggle_automatic_whitelist().unwrap();

    set_caller(accounts().alice);
    assert_eq!(
        registry.toggle_automatic_whitelist(),
        Err(Access(AccessError::NotOwner))
    );
    assert_eq!(emitted::<OwnershipTransferStarted>().len(), 1);
    assert_eq!(emitted::<OwnershipTransferred>().len(), 1);
}

#[ink::test]
fn transfer_ownership_by_non_owner_fails() {
    let mut registry = deploy(false);
    set_caller(accounts().bob);
    assert_eq!(
        registry.transfer_ownership(accounts().bob),
        Err(Access(AccessError::NotOwner))
    );
    assert_eq!(registry.pending_owner(), None);
}

#[ink::test]
fn accept_ownership_by_other_than_pending_owner_fails() {
    let mut registry = deploy(false);
    registry.transfer_ownership(accounts().bob).unwrap();
    set_caller(accounts().charlie);
    assert_eq!(
        registry.accept_ownership(),
        Err(Access(AccessError::NotPendingOwner))
    );
    assert_eq!(registry.owner(), accounts().alice);
}

#[ink::test]
fn grant_and_revoke_role_by_non_owner_fail() {
    let mut registry = deploy(false);
    registry.grant_role(Role::Pauser, accounts().bob).unwrap();
    set_caller(accounts().bob);
    assert_eq!(
        registry.grant_role(Role::Whitelister, accounts().bob),
        Err(Access(AccessError::NotOwner))
    );
    assert_eq!(
        registry.revoke_role(Role::Pauser, accounts().bob),
        Err(Access(AccessError::NotOwner))
    );
    assert!(!registry.has_role(Role::Whitelister, accounts().bob));
    assert!(registry.has_role(Role::Pauser, accounts().bob));
    assert!(
        registry.has_role(Role::Whitelister, accounts().alice),
        "owner"
    );
    let granted = emitted::<RoleGranted>();
    assert_eq!(granted.len(), 1);
    assert_eq!(
        (granted[0].role, granted[0].account, granted[0].by),
        (Role::Pauser, accounts().bob, accounts().alice)
    );
}

#[ink::test]
fn pause_and_unpause_need_the_pauser_role() {
    let mut registry = deploy(false);
    set_caller(accounts().bob);
    assert_eq!(
        registry.pause(),
        Err(Access(AccessError::MissingRole(Role::Pauser)))
    );
    assert!(!registry.paused());

    set_caller(accounts().alice);
    registry.grant_role(Role::Pauser, accounts().bob).unwrap();
    set_caller(accounts().bob);
    registry.pause().unwrap();
    assert!(registry.paused());
    let paused = emitted::<Paused>();
    assert_eq!(paused.len(), 1);
    assert_eq!(paused[0].by, accounts().bob);

    set_caller(accounts().charlie);
    assert_eq!(
        registry.unpause(),
        Err(Access(AccessError::MissingRole(Role::Pauser)))
    );
    assert!(registry.paused());
    set_caller(accounts().bob);
    registry.unpause().unwrap();
    assert!(!registry.paused());
}

#[ink::test]
fn set_code_by_non_owner_fails() {
    let mut registry = deploy(false);
    set_caller(accounts().bob);
    assert_eq!(
        registry.set_code([7; 32].into()),
        Err(Access(AccessError::NotOwner))
    );
}

// ---------------------------------------------------------------- deregistration (11.6)

/// No stake in the pool: the owner path of `deregister`.
fn unstaked(_: AccountId, _: ProviderId, _: ProviderView) -> Result<Balance, RegistryError> {
    Ok(0)
}

#[ink::test]
fn deregister_frees_the_id_and_the_owners_slot() {
    let mut registry = deploy(true);
    for n in 0..MAX_PROVIDERS_PER_OWNER {
        register_as(&mut registry, accounts().bob, &format!("p{n}"), MODEL).unwrap();
    }
    assert_eq!(
        register_as(&mut registry, accounts().bob, "one-more", MODEL),
        Err(TooManyProviders)
    );
    set_caller(accounts().bob);
    registry
        .deregister_with(id("p0"), accounts().bob, || Ok(EPOCH), unstaked)
        .unwrap();
    assert!(!registry.registered(id("p0")));
    assert_eq!(registry.get_provider(id("p0")), None);
    assert_eq!(registry.provider_count(), MAX_PROVIDERS_PER_OWNER - 1);
    assert_eq!(
        registry.provider_count_by_model(MODEL),
        MAX_PROVIDERS_PER_OWNER - 1
    );
    // The last id moved into the freed position of both indexes.
    let last = format!("p{}", MAX_PROVIDERS_PER_OWNER - 1);
    assert_eq!(
        registry.get_provider_ids_by_owner(accounts().bob)[0],
        id(&last)
    );
    assert_eq!(
        registry
            .get_provider_ids_by_model(MODEL, 0, MAX_PAGE_SIZE)
            .ids
            .last(),
        Some(&id(&last))
    );
    // The slot is free again, and anyone may take the id, for any model.
    register_as(&mut registry, accounts().bob, "one-more", MODEL).unwrap();
    register_as(&mut registry, accounts().charlie, "p0", OTHER_MODEL).unwrap();
    assert_eq!(
        registry.get_provider(id("p0")).unwrap().owner,
        accounts().charlie
    );
    assert_eq!(
        emitted::<ProviderDeregistered>(),
        vec![ProviderDeregistered {
            id: id("p0"),
            model_id: MODEL,
            owner: accounts().bob,
            by: accounts().bob,
            returned_stake: 0,
        }]
    );
}

#[ink::test]
fn deregister_keeps_the_indexes_consistent_in_any_order() {
    let mut registry = deploy(true);
    for name in ["a", "b", "c", "d"] {
        register_as(&mut registry, accounts().bob, name, MODEL).unwrap();
    }
    set_caller(accounts().bob);
    for name in ["b", "d", "a"] {
        registry
            .deregister_with(id(name), accounts().bob, || Ok(EPOCH), unstaked)
            .unwrap();
    }
    assert_eq!(
        registry.get_provider_ids_by_owner(accounts().bob),
        vec![id("c")]
    );
    assert_eq!(
        registry.get_provider_ids_by_model(MODEL, 0, 10).ids,
        vec![id("c")]
    );
    let record = registry.get_provider(id("c")).unwrap();
    assert_eq!(record.owner, accounts().bob);
    registry
        .deregister_with(id("c"), accounts().bob, || Ok(EPOCH), unstaked)
        .unwrap();
    assert_eq!(registry.provider_count(), 0);
    assert!(registry
        .get_provider_ids_by_owner(accounts().bob)
        .is_empty());
}

#[ink::test]
fn deregister_with_a_stake_or_in_jail_fails_and_changes_nothing() {
    let mut registry = deploy_with_provider(true);
    set_caller(accounts().bob);
    assert_eq!(
        registry.deregister_with(
            id("p1"),
            accounts().bob,
            || Ok(EPOCH),
            |_, _, _| { Err(StillStaked { amount: STAKE }) }
        ),
        Err(StillStaked { amount: STAKE })
    );
    set_caller(whitelister());
    registry.jail_with(id("p1"), 2, || Ok(EPOCH)).unwrap();
    set_caller(accounts().bob);
    assert_eq!(
        registry.deregister_with(id("p1"), accounts().bob, || Ok(EPOCH + 1), unstaked),
        Err(Jailed {
            until_epoch: EPOCH + 2
        })
    );
    assert!(registry.registered(id("p1")));
    assert!(emitted::<ProviderDeregistered>().is_empty());
}

#[ink::test]
fn deregister_by_non_owner_fails() {
    let mut registry = deploy_with_provider(true);
    set_caller(accounts().charlie);
    assert_eq!(registry.deregister(id("p1")), Err(NotProviderOwner));
    assert_eq!(registry.deregister(id("nope")), Err(ProviderNotFound));
    assert!(registry.registered(id("p1")));
}

#[ink::test]
fn release_provider_by_non_whitelister_fails() {
    let mut registry = deploy_with_provider(true);
    set_caller(accounts().bob);
    assert_eq!(
        registry.release_provider(id("p1")),
        Err(Access(AccessError::MissingRole(Role::Whitelister)))
    );
    assert!(registry.registered(id("p1")));
}

#[ink::test]
#[should_panic(expected = "off-chain environment does not support contract invocation")]
fn release_provider_by_a_whitelister_asks_the_pool() {
    let mut registry = deploy_with_provider(true);
    set_caller(whitelister());
    let _ = registry.release_provider(id("p1"));
}
