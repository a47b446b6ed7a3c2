//! `model_router`: the address book of the FUNC provider network, its model registry and the
//! factory of the per-model `provider_staking` pools. See `README.md` for the message table.
#![cfg_attr(not(feature = "std"), no_std, no_main)]
#![allow(clippy::cast_possible_truncation)]
#![deny(clippy::arithmetic_side_effects)]

mod calls;
pub mod events;
pub mod model;
pub mod models;

pub use model::Model;
pub use models::Models;

#[cfg(test)]
mod tests;

#[ink::contract]
pub mod model_router {
    use crate::{
        calls::{self, PoolArgs},
        events::{
            ModelCreated, ModelDisabled, ModelEnabled, ModelStakeRequirementUpdated, ModelUpdated,
            ProviderRegistrySet, StakingCodeHashUpdated,
        },
        model::{self, Model},
        models::Models,
    };
    use func_interfaces::{
        ensure, AccessControl, ModelContext, ModelId, ModelRouter, Role, RouterError,
    };
    use ink::{
        prelude::{string::String, vec::Vec},
        storage::{traits::ManualKey, Lazy},
    };

    /// The router's address book: the contracts a new pool is wired to and the code it is
    /// instantiated from.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct RouterConfig {
        pub token: AccountId,
        pub epoch_controller: AccountId,
        /// `None` until `set_provider_registry`; set once.
        pub registry: Option<AccountId>,
        /// The code `create_model` instantiates new pools from.
        pub staking_code_hash: Hash,
    }

    /// Model registry and pool factory. Every field has its own storage key: the root cell
    /// holds no bytes, so a later version may add items under new keys
    /// (`docs/CONVENTIONS.md`).
    #[ink(storage)]
    pub struct Router {
        /// `OWNR` and `ROLE`.
        pub(crate) access: AccessControl,
        /// "MRCF": the address book.
        pub(crate) config: Lazy<RouterConfig, ManualKey<0x4d52_4346>>,
        /// `MCNT`, `MODL`, `MIDX`: the models and their creation order.
        pub(crate) models: Models,
    }

    impl Router {
        /// Creates the router, owned by the caller. The registry address is set afterwards
        /// with `set_provider_registry` (the registry is deployed with this router's address).
        #[ink(constructor)]
        pub fn new(token: AccountId, epoch_controller: AccountId, staking_code_hash: Hash) -> Self {
            let mut config = Lazy::new();
            config.set(&RouterConfig {
                token,
                epoch_controller,
                registry: None,
                staking_code_hash,
            });
            Self {
                access: AccessControl::new(Self::env().caller()),
                config,
                models: Models::default(),
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
            let mut config = self.config();
            ensure!(config.registry.is_none(), RouterError::RegistryAlreadySet);
            config.registry = Some(registry);
            self.config.set(&config);
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
            let mut config = self.config();
            let previous = config.staking_code_hash;
            config.staking_code_hash = code_hash;
            self.config.set(&config);
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
            let (config, registry) = self.check_create(model_id, &name, stake_amount)?;
            let pool = calls::instantiate_pool(
                config.staking_code_hash,
                PoolArgs {
                    model_id,
                    token: config.token,
                    registry,
                    epoch_controller: config.epoch_controller,
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
            self.models.add(model_id, &model)?;
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
            self.access.ensure_role(Role::ModelCreator)?;
            let now = self.env().block_number();
            self.models.set_enabled(model_id, true, now)?;
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
            self.access.ensure_role(Role::ModelCreator)?;
            let now = self.env().block_number();
            self.models.set_enabled(model_id, false, now)?;
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
            let now = self.env().block_number();
            let model = self
                .models
                .update(model_id, name, shards, compute_units, now)?;
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
            let now = self.env().block_number();
            let previous = self.models.set_stake_amount(model_id, stake_amount, now)?;
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
            self.models.find(model_id).map(|model| model.stake_amount)
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
            self.models.page(start, limit)
        }

        /// Number of models ever created (models are never removed).
        #[ink(message)]
        pub fn model_count(&self) -> u32 {
            self.models.count()
        }

        // ---- Address book ----

        /// The FUNC token.
        #[ink(message)]
        pub fn token(&self) -> AccountId {
            self.config().token
        }

        /// The provider registry, `None` until `set_provider_registry`.
        #[ink(message)]
        pub fn provider_registry(&self) -> Option<AccountId> {
            self.config().registry
        }

        /// The epoch controller.
        #[ink(message)]
        pub fn epoch_controller(&self) -> AccountId {
            self.config().epoch_controller
        }

        /// The code hash new staking pools are instantiated from.
        #[ink(message)]
        pub fn staking_code_hash(&self) -> Hash {
            self.config().staking_code_hash
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

        /// The `MRCF` cell, written by the constructor. Read it once per message where several
        /// of its fields are needed.
        fn config(&self) -> RouterConfig {
            self.config.get().unwrap_or(RouterConfig {
                token: AccountId::from([0; 32]),
                epoch_controller: AccountId::from([0; 32]),
                registry: None,
                staking_code_hash: Hash::from([0; 32]),
            })
        }

        /// Every check of `create_model` that precedes the instantiation, in the documented
        /// order; returns the address book and the registry it names.
        pub(crate) fn check_create(
            &self,
            model_id: ModelId,
            name: &str,
            stake_amount: Balance,
        ) -> Result<(RouterConfig, AccountId), RouterError> {
            self.access.ensure_role(Role::ModelCreator)?;
            model::check_name(name)?;
            model::check_stake_amount(stake_amount)?;
            let config = self.config();
            let registry = config.registry.ok_or(RouterError::RegistryNotSet)?;
            self.models.ensure_new(model_id)?;
            Ok((config, registry))
        }
    }

    impl ModelRouter for Router {
        /// Stake requirement, enabled flag and pool of `model_id`.
        ///
        /// # Errors
        /// `ModelNotFound`.
        #[ink(message)]
        fn model_context(&self, model_id: ModelId) -> Result<ModelContext, RouterError> {
            self.models.context(model_id)
        }
    }
}
