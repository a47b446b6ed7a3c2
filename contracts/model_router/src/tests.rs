//! Message-level tests of the router: everything the off-chain engine can run, that is every
//! path except the pool instantiation of `create_model` and `set_code` by the owner (both
//! covered end to end). The model table's own rules are tested in `models.rs`.
use crate::{
    events::{
        ModelDisabled, ModelEnabled, ModelStakeRequirementUpdated, ModelUpdated,
        ProviderRegistrySet, StakingCodeHashUpdated,
    },
    model_router::*,
    Model,
};
use func_interfaces::{
    access::{OwnershipTransferStarted, OwnershipTransferred, RoleGranted, RoleRevoked},
    limits::{MAX_MODEL_NAME_LEN, MAX_PAGE_SIZE},
    AccessError, AccountId, Hash, ModelContext, ModelId, ModelRouter, Role, RouterError,
};
use ink::{
    env::{test, DefaultEnvironment},
    prelude::{format, string::String, vec::Vec},
    scale::Decode,
};

type Env = DefaultEnvironment;

fn accounts() -> test::DefaultAccounts<Env> {
    test::default_accounts::<Env>()
}

fn set_caller(account: AccountId) {
    test::set_caller::<Env>(account);
}

fn token() -> AccountId {
    AccountId::from([0x70; 32])
}

fn epoch_controller() -> AccountId {
    AccountId::from([0xec; 32])
}

fn registry() -> AccountId {
    AccountId::from([0x4e; 32])
}

fn code_hash() -> Hash {
    Hash::from([0xc0; 32])
}

fn pool_of(model_id: ModelId) -> AccountId {
    let mut bytes = [0xaa; 32];
    bytes[..4].copy_from_slice(&model_id.to_le_bytes());
    AccountId::from(bytes)
}

fn event_count() -> usize {
    test::recorded_events().count()
}

/// Decodes the last recorded event, checking its signature topic.
fn last_event<E: ink::env::Event + Decode>() -> E {
    let event = test::recorded_events().last().expect("no event recorded");
    let signature = E::SIGNATURE_TOPIC.expect("event is not anonymous");
    assert_eq!(event.topics.first(), Some(&signature.to_vec()));
    E::decode(&mut &event.data[..]).expect("event does not decode")
}

/// A router owned by alice, with the registry set; the caller is alice.
fn router() -> Router {
    set_caller(accounts().alice);
    let mut router = Router::new(token(), epoch_controller(), code_hash());
    router
        .set_provider_registry(registry())
        .expect("set registry");
    router
}

/// The model `insert_model` stores under `model_id`.
fn sample_model(model_id: ModelId) -> Model {
    let block = ink::env::block_number::<Env>();
    Model {
        name: format!("model-{model_id}"),
        shards: 4,
        compute_units: 1_000,
        stake_amount: 500,
        enabled: true,
        pool: pool_of(model_id),
        created_at_block: block,
        updated_at_block: block,
    }
}

/// Stores `model_id` as `create_model` does once its pool exists (off-chain tests
/// cannot instantiate contracts).
fn insert_model(router: &mut Router, model_id: ModelId) -> Model {
    let model = sample_model(model_id);
    router.models.add(model_id, &model).expect("add model");
    model
}

/// A router with model 7 and bob holding `ModelCreator`; the caller is bob.
fn router_with_model() -> (Router, Model) {
    let mut router = router();
    let model = insert_model(&mut router, 7);
    router
        .grant_role(Role::ModelCreator, accounts().bob)
        .expect("grant");
    set_caller(accounts().bob);
    (router, model)
}

const MISSING_MODEL_CREATOR: RouterError =
    RouterError::Access(AccessError::MissingRole(Role::ModelCreator));
const NOT_OWNER: RouterError = RouterError::Access(AccessError::NotOwner);

// ---- storage layout ----

#[ink::test]
fn root_cell_holds_no_bytes() {
    use ink::storage::traits::Storable;
    let (router, _) = router_with_model();
    let mut cell = Vec::new();
    Storable::encode(&router, &mut cell);
    assert!(cell.is_empty());
}

// ---- constructor and wiring ----

#[ink::test]
fn new_sets_caller_as_owner_and_stores_addresses() {
    set_caller(accounts().alice);
    let router = Router::new(token(), epoch_controller(), code_hash());
    assert_eq!(router.owner(), accounts().alice);
    assert_eq!(router.pending_owner(), None);
    assert_eq!(router.token(), token());
    assert_eq!(router.epoch_controller(), epoch_controller());
    assert_eq!(router.staking_code_hash(), code_hash());
    assert_eq!(router.provider_registry(), None);
    assert_eq!(router.model_count(), 0);
    assert_eq!(event_count(), 0);
}

#[ink::test]
fn set_provider_registry_by_owner_sets_it_and_emits() {
    set_caller(accounts().alice);
    let mut router = Router::new(token(), epoch_controller(), code_hash());
    assert_eq!(router.set_provider_registry(registry()), Ok(()));
    assert_eq!(router.provider_registry(), Some(registry()));
    assert_eq!(
        last_event::<ProviderRegistrySet>(),
        ProviderRegistrySet {
            registry: registry()
        }
    );
}

#[ink::test]
fn set_provider_registry_twice_fails() {
    let mut router = router();
    let events = event_count();
    assert_eq!(
        router.set_provider_registry(accounts().django),
        Err(RouterError::RegistryAlreadySet)
    );
    assert_eq!(router.provider_registry(), Some(registry()));
    assert_eq!(event_count(), events);
}

#[ink::test]
fn set_provider_registry_by_non_owner_fails() {
    set_caller(accounts().alice);
    let mut router = Router::new(token(), epoch_controller(), code_hash());
    set_caller(accounts().bob);
    assert_eq!(router.set_provider_registry(registry()), Err(NOT_OWNER));
    assert_eq!(router.provider_registry(), None);
    assert_eq!(event_count(), 0);
}

#[ink::test]
fn set_staking_code_hash_by_owner_updates_and_emits() {
    let mut router = router();
    let new_hash = Hash::from([0xc1; 32]);
    assert_eq!(router.set_staking_code_hash(new_hash), Ok(()));
    assert_eq!(router.staking_code_hash(), new_hash);
    assert_eq!(
        last_event::<StakingCodeHashUpdated>(),
        StakingCodeHashUpdated {
            previous: code_hash(),
            code_hash: new_hash,
        }
    );
}

#[ink::test]
fn set_staking_code_hash_by_non_owner_fails() {
    let (mut router, _) = router_with_model();
    let events = event_count();
    assert_eq!(
        router.set_staking_code_hash(Hash::from([0xc1; 32])),
        Err(NOT_OWNER)
    );
    assert_eq!(router.staking_code_hash(), code_hash());
    assert_eq!(event_count(), events);
}

// ---- create_model (every path that returns before the instantiation) ----

#[ink::test]
fn create_model_without_model_creator_role_fails() {
    let mut router = router();
    set_caller(accounts().bob);
    assert_eq!(
        router.create_model(1, "llama".into(), 4, 1_000, 500),
        Err(MISSING_MODEL_CREATOR)
    );
    assert!(!router.model_exists(1));
    assert_eq!(router.model_count(), 0);
}

#[ink::test]
fn create_model_with_invalid_name_fails() {
    let mut router = router();
    let too_long = "a".repeat(MAX_MODEL_NAME_LEN + 1);
    for name in [String::new(), too_long] {
        assert_eq!(
            router.create_model(1, name, 4, 1_000, 500),
            Err(RouterError::InvalidModelName)
        );
    }
    assert_eq!(router.model_count(), 0);
}

#[ink::test]
fn create_model_with_zero_stake_fails() {
    let mut router = router();
    assert_eq!(
        router.create_model(1, "llama".into(), 4, 1_000, 0),
        Err(RouterError::ZeroStakeAmount)
    );
    assert_eq!(router.model_count(), 0);
}

#[ink::test]
fn create_model_before_registry_is_set_fails() {
    set_caller(accounts().alice);
    let mut router = Router::new(token(), epoch_controller(), code_hash());
    assert_eq!(
        router.create_model(1, "llama".into(), 4, 1_000, 500),
        Err(RouterError::RegistryNotSet)
    );
    assert_eq!(router.model_count(), 0);
}

#[ink::test]
fn create_model_with_existing_id_fails() {
    let (mut router, model) = router_with_model();
    let events = event_count();
    assert_eq!(
        router.create_model(7, "other".into(), 1, 1, 1),
        Err(RouterError::ModelAlreadyExists)
    );
    assert_eq!(router.get_model(7), Some(model));
    assert_eq!(router.model_count(), 1);
    assert_eq!(event_count(), events);
}

#[ink::test]
fn create_model_with_full_index_fails() {
    let mut router = router();
    router.models.set_count(u32::MAX);
    assert_eq!(
        router.create_model(1, "llama".into(), 4, 1_000, 500),
        Err(RouterError::ModelAlreadyExists)
    );
    assert_eq!(
        router.models.add(1, &sample_model(1)),
        Err(RouterError::ModelAlreadyExists)
    );
    assert!(!router.model_exists(1));
}

#[ink::test]
fn create_model_checks_by_owner_or_model_creator_pass() {
    let (router, _) = router_with_model();
    let registry_of = |router: &Router| {
        router
            .check_create(1, "llama", 500)
            .map(|(config, registry)| (config.registry, registry))
    };
    assert_eq!(registry_of(&router), Ok((Some(registry()), registry())));
    set_caller(accounts().alice);
    assert_eq!(registry_of(&router), Ok((Some(registry()), registry())));
}

#[ink::test]
fn add_model_appends_to_the_index() {
    let mut router = router();
    let first = insert_model(&mut router, 42);
    let second = insert_model(&mut router, 3);
    assert_eq!(router.model_count(), 2);
    assert_eq!(router.models.id_at(0), Some(42));
    assert_eq!(router.models.id_at(1), Some(3));
    assert_eq!(router.get_model(42), Some(first));
    assert_eq!(router.get_model(3), Some(second));
}

// ---- enable_model / disable_model ----

#[ink::test]
fn disable_model_by_model_creator_disables_and_emits() {
    let (mut router, model) = router_with_model();
    test::advance_block::<Env>();
    let now = ink::env::block_number::<Env>();
    assert_eq!(router.disable_model(7), Ok(()));
    assert!(!router.model_enabled(7));
    let expected = Model {
        enabled: false,
        updated_at_block: now,
        ..model
    };
    assert_eq!(router.get_model(7), Some(expected));
    assert_eq!(last_event::<ModelDisabled>(), ModelDisabled { model_id: 7 });
}

#[ink::test]
fn disable_model_when_disabled_fails() {
    let (mut router, _) = router_with_model();
    router.disable_model(7).expect("disable");
    let events = event_count();
    assert_eq!(
        router.disable_model(7),
        Err(RouterError::ModelAlreadyDisabled)
    );
    assert!(!router.model_enabled(7));
    assert_eq!(event_count(), events);
}

#[ink::test]
fn enable_model_when_enabled_fails() {
    let (mut router, model) = router_with_model();
    assert_eq!(
        router.enable_model(7),
        Err(RouterError::ModelAlreadyEnabled)
    );
    assert_eq!(router.get_model(7), Some(model));
}

#[ink::test]
fn enable_model_after_disable_enables_and_emits() {
    let (mut router, _) = router_with_model();
    router.disable_model(7).expect("disable");
    assert_eq!(router.enable_model(7), Ok(()));
    assert!(router.model_enabled(7));
    assert_eq!(last_event::<ModelEnabled>(), ModelEnabled { model_id: 7 });
}

#[ink::test]
fn enable_or_disable_model_unknown_fails() {
    let (mut router, _) = router_with_model();
    assert_eq!(router.enable_model(8), Err(RouterError::ModelNotFound));
    assert_eq!(router.disable_model(8), Err(RouterError::ModelNotFound));
}

#[ink::test]
fn enable_or_disable_model_without_role_fails() {
    let (mut router, model) = router_with_model();
    let events = event_count();
    set_caller(accounts().charlie);
    assert_eq!(router.disable_model(7), Err(MISSING_MODEL_CREATOR));
    assert_eq!(router.enable_model(7), Err(MISSING_MODEL_CREATOR));
    assert_eq!(router.get_model(7), Some(model));
    assert_eq!(event_count(), events);
}

// ---- update_model ----

#[ink::test]
fn update_model_by_model_creator_updates_and_emits() {
    let (mut router, model) = router_with_model();
    test::advance_block::<Env>();
    let now = ink::env::block_number::<Env>();
    assert_eq!(router.update_model(7, "llama-2".into(), 8, 2_000), Ok(()));
    let expected = Model {
        name: "llama-2".into(),
        shards: 8,
        compute_units: 2_000,
        updated_at_block: now,
        ..model
    };
    assert_eq!(router.get_model(7), Some(expected));
    assert_eq!(
        last_event::<ModelUpdated>(),
        ModelUpdated {
            model_id: 7,
            name: "llama-2".into(),
            shards: 8,
            compute_units: 2_000,
        }
    );
}

#[ink::test]
fn update_model_with_invalid_name_fails() {
    let (mut router, model) = router_with_model();
    assert_eq!(
        router.update_model(7, String::new(), 8, 2_000),
        Err(RouterError::InvalidModelName)
    );
    assert_eq!(
        router.update_model(7, "a".repeat(MAX_MODEL_NAME_LEN + 1), 8, 2_000),
        Err(RouterError::InvalidModelName)
    );
    assert_eq!(router.get_model(7), Some(model));
}

#[ink::test]
fn update_model_unknown_fails() {
    let (mut router, _) = router_with_model();
    assert_eq!(
        router.update_model(8, "x".into(), 1, 1),
        Err(RouterError::ModelNotFound)
    );
    assert!(!router.model_exists(8));
}

#[ink::test]
fn update_model_without_role_fails() {
    let (mut router, model) = router_with_model();
    let events = event_count();
    set_caller(accounts().charlie);
    assert_eq!(
        router.update_model(7, "x".into(), 1, 1),
        Err(MISSING_MODEL_CREATOR)
    );
    assert_eq!(router.get_model(7), Some(model));
    assert_eq!(event_count(), events);
}

// ---- update_model_stake_requirement ----

#[ink::test]
fn update_model_stake_requirement_by_model_creator_updates_and_emits() {
    let (mut router, _) = router_with_model();
    assert_eq!(router.update_model_stake_requirement(7, 900), Ok(()));
    assert_eq!(router.model_stake_amount(7), Ok(900));
    assert_eq!(
        last_event::<ModelStakeRequirementUpdated>(),
        ModelStakeRequirementUpdated {
            model_id: 7,
            previous: 500,
            stake_amount: 900,
        }
    );
}

#[ink::test]
fn update_model_stake_requirement_zero_fails() {
    let (mut router, model) = router_with_model();
    assert_eq!(
        router.update_model_stake_requirement(7, 0),
        Err(RouterError::ZeroStakeAmount)
    );
    assert_eq!(router.get_model(7), Some(model));
}

#[ink::test]
fn update_model_stake_requirement_unknown_fails() {
    let (mut router, _) = router_with_model();
    assert_eq!(
        router.update_model_stake_requirement(8, 900),
        Err(RouterError::ModelNotFound)
    );
}

#[ink::test]
fn update_model_stake_requirement_without_role_fails() {
    let (mut router, model) = router_with_model();
    let events = event_count();
    set_caller(accounts().charlie);
    assert_eq!(
        router.update_model_stake_requirement(7, 900),
        Err(MISSING_MODEL_CREATOR)
    );
    assert_eq!(router.get_model(7), Some(model));
    assert_eq!(event_count(), events);
}

// ---- views ----

#[ink::test]
fn views_of_unknown_model_report_absence() {
    let router = router();
    assert!(!router.model_exists(1));
    assert!(!router.model_enabled(1));
    assert_eq!(router.provider_staking(1), None);
    assert_eq!(router.get_model(1), None);
    assert_eq!(
        router.model_stake_amount(1),
        Err(RouterError::ModelNotFound)
    );
    assert_eq!(router.model_context(1), Err(RouterError::ModelNotFound));
}

#[ink::test]
fn views_of_existing_model_report_it() {
    let (mut router, model) = router_with_model();
    assert!(router.model_exists(7));
    assert!(router.model_enabled(7));
    assert_eq!(router.provider_staking(7), Some(pool_of(7)));
    assert_eq!(router.get_model(7), Some(model.clone()));
    assert_eq!(router.model_stake_amount(7), Ok(500));
    assert_eq!(
        router.model_context(7),
        Ok(ModelContext {
            stake_amount: 500,
            enabled: true,
            pool: pool_of(7),
        })
    );
    router.disable_model(7).expect("disable");
    assert!(router.model_exists(7));
    assert!(!router.model_enabled(7));
    assert_eq!(router.model_context(7).map(|c| c.enabled), Ok(false));
}

#[ink::test]
fn get_models_returns_models_in_creation_order() {
    let mut router = router();
    let models: Vec<_> = [30, 10, 20]
        .into_iter()
        .map(|id| (id, insert_model(&mut router, id)))
        .collect();
    assert_eq!(router.get_models(0, 10), models);
    assert_eq!(router.get_models(1, 1), models[1..2].to_vec());
    assert_eq!(router.get_models(2, 10), models[2..].to_vec());
}

#[ink::test]
fn get_models_from_start_at_or_beyond_count_is_empty() {
    let mut router = router();
    insert_model(&mut router, 1);
    assert!(router.get_models(1, 10).is_empty());
    assert!(router.get_models(u32::MAX, u32::MAX).is_empty());
}

#[ink::test]
fn get_models_with_zero_limit_is_empty() {
    let mut router = router();
    insert_model(&mut router, 1);
    assert!(router.get_models(0, 0).is_empty());
}

#[ink::test]
fn get_models_clamps_limit_to_max_page_size() {
    let mut router = router();
    let extra = 5;
    for id in 0..MAX_PAGE_SIZE + extra {
        insert_model(&mut router, id);
    }
    let first = router.get_models(0, u32::MAX);
    assert_eq!(first.len(), MAX_PAGE_SIZE as usize);
    assert_eq!(first.last().map(|(id, _)| *id), Some(MAX_PAGE_SIZE - 1));
    let rest = router.get_models(MAX_PAGE_SIZE, u32::MAX);
    assert_eq!(rest.len(), extra as usize);
    assert_eq!(rest.first().map(|(id, _)| *id), Some(MAX_PAGE_SIZE));
}

// ---- administration ----

#[ink::test]
fn transfer_ownership_then_accept_ownership_moves_the_owner() {
    let a = accounts();
    let mut router = router();
    assert_eq!(router.transfer_ownership(a.bob), Ok(()));
    assert_eq!(router.pending_owner(), Some(a.bob));
    let started = last_event::<OwnershipTransferStarted>();
    assert_eq!((started.owner, started.pending_owner), (a.alice, a.bob));

    set_caller(a.bob);
    assert_eq!(router.accept_ownership(), Ok(()));
    assert_eq!(router.owner(), a.bob);
    assert_eq!(router.pending_owner(), None);
    let transferred = last_event::<OwnershipTransferred>();
    assert_eq!(
        (transferred.previous_owner, transferred.new_owner),
        (a.alice, a.bob)
    );
}

#[ink::test]
fn transfer_ownership_by_non_owner_fails() {
    let mut router = router();
    set_caller(accounts().bob);
    assert_eq!(router.transfer_ownership(accounts().bob), Err(NOT_OWNER));
    assert_eq!(router.pending_owner(), None);
    assert_eq!(router.owner(), accounts().alice);
}

#[ink::test]
fn accept_ownership_by_other_than_pending_owner_fails() {
    let mut router = router();
    router.transfer_ownership(accounts().bob).expect("transfer");
    set_caller(accounts().charlie);
    assert_eq!(
        router.accept_ownership(),
        Err(RouterError::Access(AccessError::NotPendingOwner))
    );
    assert_eq!(router.owner(), accounts().alice);
    assert_eq!(router.pending_owner(), Some(accounts().bob));
}

#[ink::test]
fn grant_role_then_revoke_role_by_owner_changes_access_and_emits() {
    let a = accounts();
    let mut router = router();
    insert_model(&mut router, 7);
    assert!(!router.has_role(Role::ModelCreator, a.bob));
    assert!(router.has_role(Role::ModelCreator, a.alice));

    assert_eq!(router.grant_role(Role::ModelCreator, a.bob), Ok(()));
    assert!(router.has_role(Role::ModelCreator, a.bob));
    let granted = last_event::<RoleGranted>();
    assert_eq!(
        (granted.role, granted.account, granted.by),
        (Role::ModelCreator, a.bob, a.alice)
    );

    assert_eq!(router.revoke_role(Role::ModelCreator, a.bob), Ok(()));
    assert!(!router.has_role(Role::ModelCreator, a.bob));
    let revoked = last_event::<RoleRevoked>();
    assert_eq!(
        (revoked.role, revoked.account, revoked.by),
        (Role::ModelCreator, a.bob, a.alice)
    );
    set_caller(a.bob);
    assert_eq!(router.disable_model(7), Err(MISSING_MODEL_CREATOR));
}

#[ink::test]
fn grant_role_or_revoke_role_by_non_owner_fails() {
    let (mut router, _) = router_with_model();
    let events = event_count();
    let charlie = accounts().charlie;
    assert_eq!(
        router.grant_role(Role::ModelCreator, charlie),
        Err(NOT_OWNER)
    );
    assert!(!router.has_role(Role::ModelCreator, charlie));
    assert_eq!(
        router.revoke_role(Role::ModelCreator, accounts().bob),
        Err(NOT_OWNER)
    );
    assert!(router.has_role(Role::ModelCreator, accounts().bob));
    assert_eq!(event_count(), events);
}

#[ink::test]
fn set_code_by_non_owner_fails() {
    // The owner path calls `set_code_hash`, which the off-chain engine does not
    // implement; it is covered end to end.
    let (mut router, _) = router_with_model();
    assert_eq!(router.set_code(Hash::from([0xc2; 32])), Err(NOT_OWNER));
}
