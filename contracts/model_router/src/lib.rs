//! `model_router`: the address book of the FUNC provider network, its model registry and the
//! factory of the per-model `provider_staking` pools. See `README.md` for the message table.
#![cfg_attr(not(feature = "std"), no_std, no_main)]
#![allow(clippy::cast_possible_truncation)]
#![deny(clippy::arithmetic_side_effects)]

mod calls;
pub mod events;
pub mod model;

pub use model::Model;

#[ink::contract]
pub mod model_router {
    use crate::{
        calls::{self, PoolArgs},
        events::{
            ModelCreated, ModelDisabled, ModelEnabled, ModelStakeRequirementUpdated, ModelUpdated,
            ProviderRegistrySet, StakingCodeHashUpdated,
        },
        model::{self, Model},
    };
    use func_interfaces::{
        ensure, AccessControl, ModelContext, ModelId, ModelRouter, Role, RouterError,
    };
    use ink::{
        prelude::{string::String, vec::Vec},
        storage::{traits::ManualKey, Mapping},
    };

    /// Model registry and pool factory. Models are never removed (their pools hold stakes),
    /// so the index `model_ids` is dense: positions `0..model_count`.
    #[ink(storage)]
    pub struct Router {
        access: AccessControl,
        token: AccountId,
        epoch_controller: AccountId,
        registry: Option<AccountId>,
        staking_code_hash: Hash,
        model_count: u32,
        /// "MODL": model id → model.
        models: Mapping<ModelId, Model, ManualKey<0x4d4f_444c>>,
        /// "MIDX": creation position → model id, for pagination.
        model_ids: Mapping<u32, ModelId, ManualKey<0x4d49_4458>>,
    }

    impl Router {
        /// Creates the router, owned by the caller. The registry address is set afterwards
        /// with `set_provider_registry` (the registry is deployed with this router's address).
        #[ink(constructor)]
        pub fn new(token: AccountId, epoch_controller: AccountId, staking_code_hash: Hash) -> Self {
            Self {
                access: AccessControl::new(Self::env().caller()),
                token,
                epoch_controller,
                registry: None,
                staking_code_hash,
                model_count: 0,
                models: Mapping::default(),
                model_ids: Mapping::default(),
            }
        }

        // ---- Wiring ----

        /// Owner only: records the `provider_registry` address, once.
        ///
        /// # Errors
        /// `Access(NotOwner)`; `RegistryAlreadySet` on a second call.
        ///
        /// # Events
        /// `ProviderRegistrySet`.
        #[ink(message)]
        pub fn set_provider_registry(&mut self, registry: AccountId) -> Result<(), RouterError> {
            self.access.ensure_owner()?;
            ensure!(self.registry.is_none(), RouterError::RegistryAlreadySet);
            self.registry = Some(registry);
            self.env().emit_event(ProviderRegistrySet { registry });
            Ok(())
        }

        /// Owner only: sets the code hash that `create_model` instantiates new pools from.
        /// Existing pools are unaffected; they upgrade through their own `set_code`.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `StakingCodeHashUpdated`.
        #[ink(message)]
        pub fn set_staking_code_hash(&mut self, code_hash: Hash) -> Result<(), RouterError> {
            self.access.ensure_owner()?;
            let previous = self.staking_code_hash;
            self.staking_code_hash = code_hash;
            self.env().emit_event(StakingCodeHashUpdated {
                previous,
                code_hash,
            });
            Ok(())
        }

        // ---- Models ----

        /// Model creator only: registers an enabled model and instantiates its staking pool
        /// (owned by the router's owner) from `staking_code_hash`. Returns the pool's address.
        /// The caller pays the pool's storage deposit.
        ///
        /// # Errors
        /// In this order: `Access(MissingRole(ModelCreator))`; `InvalidModelName` (empty or
        /// over `MAX_MODEL_NAME_LEN` bytes); `ZeroStakeAmount`; `RegistryNotSet`;
        /// `ModelAlreadyExists` (also, unreachably in practice, once `u32::MAX` models exist);
        /// `PoolInstantiationFailed` when the chain refuses the instantiation.
        ///
        /// # Events
        /// `ModelCreated`.
        #[ink(message)]
        pub fn create_model(
            &mut self,
            model_id: ModelId,
            name: String,
            shards: u32,
            compute_units: u64,
            stake_amount: Balance,
        ) -> Result<AccountId, RouterError> {
            let registry = self.check_create(model_id, &name, stake_amount)?;
            let pool = calls::instantiate_pool(
                self.staking_code_hash,
                PoolArgs {
                    model_id,
                    token: self.token,
                    registry,
                    epoch_controller: self.epoch_controller,
                    router: self.env().account_id(),
                    admin: self.access.owner(),
                },
            )?;
            let now = self.env().block_number();
            let model = Model {
                name,
                shards,
                compute_units,
                stake_amount,
                enabled: true,
                pool,
                created_at_block: now,
                updated_at_block: now,
            };
            self.add_model(model_id, &model)?;
            self.env().emit_event(ModelCreated {
                model_id,
                pool,
                name: model.name,
                shards,
                compute_units,
                stake_amount,
            });
            Ok(pool)
        }

        /// Model creator only: enables a disabled model.
        ///
        /// # Errors
        /// `Access(MissingRole(ModelCreator))`, `ModelNotFound`, `ModelAlreadyEnabled`.
        ///
        /// # Events
        /// `ModelEnabled`.
        #[ink(message)]
        pub fn enable_model(&mut self, model_id: ModelId) -> Result<(), RouterError> {
            self.set_enabled(model_id, true)?;
            self.env().emit_event(ModelEnabled { model_id });
            Ok(())
        }

        /// Model creator only: disables a model. Its providers stop being active and cannot
        /// register or stake; unstaking and claiming stay possible.
        ///
        /// # Errors
        /// `Access(MissingRole(ModelCreator))`, `ModelNotFound`, `ModelAlreadyDisabled`.
        ///
        /// # Events
        /// `ModelDisabled`.
        #[ink(message)]
        pub fn disable_model(&mut self, model_id: ModelId) -> Result<(), RouterError> {
            self.set_enabled(model_id, false)?;
            self.env().emit_event(ModelDisabled { model_id });
            Ok(())
        }

        /// Model creator only: replaces a model's name, shards and compute units.
        ///
        /// # Errors
        /// `Access(MissingRole(ModelCreator))`, `InvalidModelName`, `ModelNotFound`.
        ///
        /// # Events
        /// `ModelUpdated`.
        #[ink(message)]
        pub fn update_model(
            &mut self,
            model_id: ModelId,
            name: String,
            shards: u32,
            compute_units: u64,
        ) -> Result<(), RouterError> {
            self.access.ensure_role(Role::ModelCreator)?;
            model::check_name(&name)?;
            let mut model = self.find(model_id)?;
            model.name = name;
            model.shards = shards;
            model.compute_units = compute_units;
            self.save(model_id, &mut model);
            self.env().emit_event(ModelUpdated {
                model_id,
                name: model.name,
                shards,
                compute_units,
            });
            Ok(())
        }

        /// Model creator only: sets the FUNC a provider of the model must stake. Providers
        /// below a raised requirement are inactive until they top up with
        /// `stake_for_provider`.
        ///
        /// # Errors
        /// `Access(MissingRole(ModelCreator))`, `ZeroStakeAmount`, `ModelNotFound`.
        ///
        /// # Events
        /// `ModelStakeRequirementUpdated`.
        #[ink(message)]
        pub fn update_model_stake_requirement(
            &mut self,
            model_id: ModelId,
            stake_amount: Balance,
        ) -> Result<(), RouterError> {
            self.access.ensure_role(Role::ModelCreator)?;
            model::check_stake_amount(stake_amount)?;
            let mut model = self.find(model_id)?;
            let previous = model.stake_amount;
            model.stake_amount = stake_amount;
            self.save(model_id, &mut model);
            self.env().emit_event(ModelStakeRequirementUpdated {
                model_id,
                previous,
                stake_amount,
            });
            Ok(())
        }

        // ---- Model views ----

        /// FUNC a provider of `model_id` must stake.
        ///
        /// # Errors
        /// `ModelNotFound`.
        #[ink(message)]
        pub fn model_stake_amount(&self, model_id: ModelId) -> Result<Balance, RouterError> {
            self.find(model_id).map(|model| model.stake_amount)
        }

        /// Whether `model_id` exists.
        #[ink(message)]
        pub fn model_exists(&self, model_id: ModelId) -> bool {
            self.models.contains(model_id)
        }

        /// Whether `model_id` exists and is enabled.
        #[ink(message)]
        pub fn model_enabled(&self, model_id: ModelId) -> bool {
            self.models.get(model_id).is_some_and(|model| model.enabled)
        }

        /// The staking pool of `model_id`, `None` for an unknown model.
        #[ink(message)]
        pub fn provider_staking(&self, model_id: ModelId) -> Option<AccountId> {
            self.models.get(model_id).map(|model| model.pool)
        }

        /// The model `model_id`, `None` for an unknown model.
        #[ink(message)]
        pub fn get_model(&self, model_id: ModelId) -> Option<Model> {
            self.models.get(model_id)
        }

        /// Models in creation order, from position `start`, at most `limit` of them; `limit`
        /// is clamped to `MAX_PAGE_SIZE` (100). Empty once `start >= model_count()`.
        #[ink(message)]
        pub fn get_models(&self, start: u32, limit: u32) -> Vec<(ModelId, Model)> {
            // At most MAX_PAGE_SIZE iterations: `page` clamps the range.
            model::page(start, limit, self.model_count)
                .filter_map(|index| {
                    let model_id = self.model_ids.get(index)?;
                    Some((model_id, self.models.get(model_id)?))
                })
                .collect()
        }

        /// Number of models ever created (models are never removed).
        #[ink(message)]
        pub fn model_count(&self) -> u32 {
            self.model_count
        }

        // ---- Address book ----

        /// The FUNC token.
        #[ink(message)]
        pub fn token(&self) -> AccountId {
            self.token
        }

        /// The provider registry, `None` until `set_provider_registry`.
        #[ink(message)]
        pub fn provider_registry(&self) -> Option<AccountId> {
            self.registry
        }

        /// The epoch controller.
        #[ink(message)]
        pub fn epoch_controller(&self) -> AccountId {
            self.epoch_controller
        }

        /// The code hash new staking pools are instantiated from.
        #[ink(message)]
        pub fn staking_code_hash(&self) -> Hash {
            self.staking_code_hash
        }

        // ---- Administration (delegated to `AccessControl`) ----

        /// The owner (admin).
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.access.owner()
        }

        /// The account named by `transfer_ownership`, until it accepts.
        #[ink(message)]
        pub fn pending_owner(&self) -> Option<AccountId> {
            self.access.pending_owner()
        }

        /// Owner only: names `new_owner`, who must call `accept_ownership`. Pools already
        /// created keep their own owner.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `OwnershipTransferStarted`.
        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), RouterError> {
            Ok(self.access.transfer_ownership(new_owner)?)
        }

        /// Pending owner only: completes the ownership transfer.
        ///
        /// # Errors
        /// `Access(NotPendingOwner)`.
        ///
        /// # Events
        /// `OwnershipTransferred`.
        #[ink(message)]
        pub fn accept_ownership(&mut self) -> Result<(), RouterError> {
            Ok(self.access.accept_ownership()?)
        }

        /// Owner only: grants `role` to `account` (only `ModelCreator` matters here).
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `RoleGranted`.
        #[ink(message)]
        pub fn grant_role(&mut self, role: Role, account: AccountId) -> Result<(), RouterError> {
            Ok(self.access.grant_role(role, account)?)
        }

        /// Owner only: revokes `role` from `account`.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `RoleRevoked`.
        #[ink(message)]
        pub fn revoke_role(&mut self, role: Role, account: AccountId) -> Result<(), RouterError> {
            Ok(self.access.revoke_role(role, account)?)
        }

        /// Whether `account` is the owner or holds `role`.
        #[ink(message)]
        pub fn has_role(&self, role: Role, account: AccountId) -> bool {
            self.access.has_role(role, account)
        }

        /// Owner only: replaces this contract's code, keeping its storage.
        ///
        /// # Errors
        /// `Access(NotOwner)`; `Access(CodeUpgradeFailed)` for a code hash the chain does not
        /// know.
        ///
        /// # Events
        /// `CodeUpgraded`.
        #[ink(message)]
        pub fn set_code(&mut self, code_hash: Hash) -> Result<(), RouterError> {
            Ok(self.access.set_code(code_hash)?)
        }

        // ---- Internals ----

        /// Every check of `create_model` that precedes the instantiation; returns the registry.
        fn check_create(
            &self,
            model_id: ModelId,
            name: &str,
            stake_amount: Balance,
        ) -> Result<AccountId, RouterError> {
            self.access.ensure_role(Role::ModelCreator)?;
            model::check_name(name)?;
            model::check_stake_amount(stake_amount)?;
            let registry = self.registry.ok_or(RouterError::RegistryNotSet)?;
            ensure!(
                !self.models.contains(model_id),
                RouterError::ModelAlreadyExists
            );
            // The index is full only when u32::MAX models exist and a single id is left; that
            // last model is refused with the same error (RouterError has no capacity variant).
            ensure!(self.model_count < u32::MAX, RouterError::ModelAlreadyExists);
            Ok(registry)
        }

        /// Stores a new model and appends its id to the index.
        fn add_model(&mut self, model_id: ModelId, model: &Model) -> Result<(), RouterError> {
            let index = self.model_count;
            self.model_count = index
                .checked_add(1)
                .ok_or(RouterError::ModelAlreadyExists)?;
            self.model_ids.insert(index, &model_id);
            // The name is at most MAX_MODEL_NAME_LEN bytes, so the value is far below the
            // static buffer and `insert` cannot trap (see `model` tests).
            self.models.insert(model_id, model);
            Ok(())
        }

        /// The model `model_id`.
        fn find(&self, model_id: ModelId) -> Result<Model, RouterError> {
            self.models.get(model_id).ok_or(RouterError::ModelNotFound)
        }

        /// Writes back a changed model, stamping the current block.
        fn save(&mut self, model_id: ModelId, model: &mut Model) {
            model.updated_at_block = self.env().block_number();
            self.models.insert(model_id, model);
        }

        /// Shared body of `enable_model` and `disable_model`.
        fn set_enabled(&mut self, model_id: ModelId, enabled: bool) -> Result<(), RouterError> {
            self.access.ensure_role(Role::ModelCreator)?;
            let mut model = self.find(model_id)?;
            let unchanged = if enabled {
                RouterError::ModelAlreadyEnabled
            } else {
                RouterError::ModelAlreadyDisabled
            };
            ensure!(model.enabled != enabled, unchanged);
            model.enabled = enabled;
            self.save(model_id, &mut model);
            Ok(())
        }
    }

    impl ModelRouter for Router {
        /// Stake requirement, enabled flag and pool of `model_id`.
        ///
        /// # Errors
        /// `ModelNotFound`.
        #[ink(message)]
        fn model_context(&self, model_id: ModelId) -> Result<ModelContext, RouterError> {
            self.find(model_id).map(|model| model.context())
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use func_interfaces::{
            access::{OwnershipTransferStarted, OwnershipTransferred, RoleGranted, RoleRevoked},
            limits::{MAX_MODEL_NAME_LEN, MAX_PAGE_SIZE},
            AccessError,
        };
        use ink::{
            env::{test, DefaultEnvironment},
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
            router.add_model(model_id, &model).expect("add model");
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
            router.model_count = u32::MAX;
            assert_eq!(
                router.create_model(1, "llama".into(), 4, 1_000, 500),
                Err(RouterError::ModelAlreadyExists)
            );
            assert_eq!(
                router.add_model(1, &sample_model(1)),
                Err(RouterError::ModelAlreadyExists)
            );
            assert!(!router.model_exists(1));
        }

        #[ink::test]
        fn create_model_checks_by_owner_or_model_creator_pass() {
            let (router, _) = router_with_model();
            assert_eq!(router.check_create(1, "llama", 500), Ok(registry()));
            set_caller(accounts().alice);
            assert_eq!(router.check_create(1, "llama", 500), Ok(registry()));
        }

        #[ink::test]
        fn add_model_appends_to_the_index() {
            let mut router = router();
            let first = insert_model(&mut router, 42);
            let second = insert_model(&mut router, 3);
            assert_eq!(router.model_count(), 2);
            assert_eq!(router.model_ids.get(0), Some(42));
            assert_eq!(router.model_ids.get(1), Some(3));
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
    }
}
