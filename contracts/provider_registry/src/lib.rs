//! Provider registry of the FUNC provider network: providers, their metadata, whitelist and
//! jail, the per-owner and per-model indexes gateways read, and cluster operations over all of
//! an owner's providers. See `README.md` for the message table and the storage map.
#![cfg_attr(not(feature = "std"), no_std, no_main)]
#![allow(clippy::cast_possible_truncation)]
#![deny(clippy::arithmetic_side_effects)]

mod calls;
pub mod cluster;
pub mod events;
pub mod metadata;
pub mod permissions;
pub mod providers;
pub mod types;

pub use self::provider_registry::{Registry, RegistryRef};
pub use providers::Providers;
pub use types::{
    ActiveProvider, ActiveProvidersPage, ClusterOutcome, ProviderIdsPage, ProviderInfo,
    ProviderRecord,
};

#[cfg(test)]
mod tests;

#[ink::contract]
pub mod provider_registry {
    use crate::{
        calls,
        cluster::{self, PoolResults},
        events::*,
        metadata::{validate_metadata, validate_provider_id},
        permissions::{self, is_active},
        providers::{self, Providers},
        types::*,
    };
    use func_interfaces::{
        ensure, AccessControl, EpochId, ModelContext, ModelId, ProviderId, ProviderView,
        RegistryError, Role,
    };
    use ink::{
        prelude::{string::String, vec, vec::Vec},
        storage::{traits::ManualKey, Lazy},
    };

    pub use crate::providers::MAX_ACTIVE_PAGE_BYTES;

    /// A model's context (router) and the current epoch (epoch controller).
    type ModelAndEpoch = Result<(ModelContext, EpochId), RegistryError>;
    /// The stakes (in a pool) of some providers, in order.
    type Stakes = Result<Vec<Balance>, RegistryError>;

    /// The contracts the registry calls and its registration switch.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct RegistryConfig {
        pub router: AccountId,
        pub epoch_controller: AccountId,
        /// Registration whitelists.
        pub auto_whitelist: bool,
    }

    /// Every field has its own storage key: the root cell holds no bytes, so a later version
    /// may add items under new keys (`docs/CONVENTIONS.md`).
    #[ink(storage)]
    pub struct Registry {
        /// `OWNR` and `ROLE`.
        access: AccessControl,
        /// "RCFG": the router, the epoch controller, the registration switch.
        config: Lazy<RegistryConfig, ManualKey<0x5243_4647>>,
        /// `PCNT`, `PROV`, `META`, `OIDX`, `OCNT`, `MIDX`, `MCNT`: the providers, their
        /// metadata, the owner and model indexes and the live count.
        providers: Providers,
        /// "V2NT", only in the `upgrade-v2` test build: the item a later version adds.
        #[cfg(feature = "upgrade-v2")]
        upgrade_note: Lazy<u32, ManualKey<0x5632_4e54>>,
    }

    impl Registry {
        /// A registry reading models from `router` and epochs from `epoch_controller`; the
        /// caller becomes its owner. With `auto_whitelist`, registration whitelists.
        #[ink(constructor)]
        pub fn new(router: AccountId, epoch_controller: AccountId, auto_whitelist: bool) -> Self {
            let mut config = Lazy::new();
            config.set(&RegistryConfig {
                router,
                epoch_controller,
                auto_whitelist,
            });
            Self {
                access: AccessControl::new(Self::env().caller()),
                config,
                providers: Providers::default(),
                #[cfg(feature = "upgrade-v2")]
                upgrade_note: Lazy::new(),
            }
        }

        // ------------------------------------------------------------------ providers

        /// Registers provider `id` of `model_id`, owned by the caller. Whitelisted at once
        /// when automatic whitelisting is on.
        ///
        /// # Errors
        /// `Access(Paused)`; `EmptyProviderId`, `ProviderIdTooLong`; the `Metadata*` errors;
        /// `ProviderAlreadyRegistered`; `TooManyProviders`; `ModelNotFound`, `ModelDisabled`,
        /// `Router(_)`; `CrossContractCall`.
        ///
        /// # Events
        /// `ProviderRegistered`, then `ProviderWhitelisted` with automatic whitelisting.
        #[ink(message)]
        pub fn register(
            &mut self,
            id: ProviderId,
            model_id: ModelId,
            metadata: String,
        ) -> Result<(), RegistryError> {
            self.register_with(id, model_id, metadata, self.model_and_epoch_calls())?;
            Ok(())
        }

        /// `register`, then stakes the model's stake amount from the caller into the model's
        /// pool, which the caller must have approved for that amount. Returns the amount
        /// staked. Nothing is registered when staking fails.
        ///
        /// # Errors
        /// As `register`; `Staking(_)` with the pool's refusal (e.g. `NotWhitelisted` when
        /// automatic whitelisting is off, `Token(InsufficientAllowance)`).
        ///
        /// # Events
        /// As `register`; the pool emits its own staking event.
        #[ink(message)]
        pub fn register_and_stake(
            &mut self,
            id: ProviderId,
            model_id: ModelId,
            metadata: String,
        ) -> Result<Balance, RegistryError> {
            let record =
                self.register_with(id.clone(), model_id, metadata, self.model_and_epoch_calls())?;
            calls::stake_for_registered(record.pool, id, record.view())
        }

        /// Replaces the metadata of the caller's provider `id`.
        ///
        /// # Errors
        /// `Access(Paused)`, `ProviderNotFound`, `NotProviderOwner`, the `Metadata*` errors.
        ///
        /// # Events
        /// `ProviderMetadataUpdated`.
        #[ink(message)]
        pub fn update_metadata(
            &mut self,
            id: ProviderId,
            metadata: String,
        ) -> Result<(), RegistryError> {
            self.access.ensure_not_paused()?;
            self.owned_record(&id)?;
            validate_metadata(&metadata)?;
            self.providers.set_metadata(&id, &metadata);
            self.env()
                .emit_event(ProviderMetadataUpdated { id, metadata });
            Ok(())
        }

        /// Deactivates the caller's provider `id`: it stops being active; its stake stays in
        /// the pool. Works while paused: a provider can always take its node out of routing.
        ///
        /// # Errors
        /// `ProviderNotFound`, `NotProviderOwner`, `AlreadyDeactivated`.
        ///
        /// # Events
        /// `ProviderDeactivated`.
        #[ink(message)]
        pub fn deactivate(&mut self, id: ProviderId) -> Result<(), RegistryError> {
            self.set_deactivated(&id, true)?;
            self.env().emit_event(ProviderDeactivated { id });
            Ok(())
        }

        /// Reactivates the caller's deactivated provider `id`.
        ///
        /// # Errors
        /// `Access(Paused)`, `ProviderNotFound`, `NotProviderOwner`, `NotDeactivated`.
        ///
        /// # Events
        /// `ProviderReactivated`.
        #[ink(message)]
        pub fn reactivate(&mut self, id: ProviderId) -> Result<(), RegistryError> {
            self.set_deactivated(&id, false)?;
            self.env().emit_event(ProviderReactivated { id });
            Ok(())
        }

        /// Frees the caller's provider `id` once nothing is staked for it: the id can be
        /// registered again (by anyone, for any model) and no longer counts towards the
        /// caller's `MAX_PROVIDERS_PER_OWNER`. Rewards the caller earned with `id` stay
        /// claimable by the caller in the pool (`claim_rewards`), never by a later holder.
        /// Works while paused.
        ///
        /// # Errors
        /// `ProviderNotFound`, `NotProviderOwner`, `Jailed`, `StillStaked`,
        /// `CrossContractCall`.
        ///
        /// # Events
        /// `ProviderDeregistered { returned_stake: 0 }`.
        #[ink(message)]
        pub fn deregister(&mut self, id: ProviderId) -> Result<(), RegistryError> {
            self.owned_record(&id)?;
            let (epoch_controller, caller) = (self.config().epoch_controller, self.env().caller());
            self.deregister_with(
                id,
                caller,
                move || calls::current_epoch(epoch_controller),
                |pool, id, _| {
                    let stake = calls::staked_amounts(pool, vec![id])?
                        .first()
                        .copied()
                        .unwrap_or(0);
                    ensure!(stake == 0, RegistryError::StillStaked { amount: stake });
                    Ok(0)
                },
            )
        }

        /// Whitelister only: frees a registered id in a dispute (e.g. a squatted peer ID). Any
        /// stake goes back to the id's owner first, lock or not; nothing is taken from it, and
        /// the owner keeps the rewards it earned with the id.
        ///
        /// # Errors
        /// `Access(MissingRole(Whitelister))`, `ProviderNotFound`, `Staking(_)`,
        /// `CrossContractCall`.
        ///
        /// # Events
        /// `ProviderDeregistered { by: caller, returned_stake }`; the pool emits
        /// `ProviderUnstaked` when it returned a stake.
        #[ink(message)]
        pub fn release_provider(&mut self, id: ProviderId) -> Result<(), RegistryError> {
            self.access.ensure_role(Role::Whitelister)?;
            let caller = self.env().caller();
            self.deregister_with(
                id,
                caller,
                || Ok(0),
                |pool, id, view| {
                    let stake = calls::staked_amounts(pool, vec![id.clone()])?
                        .first()
                        .copied()
                        .unwrap_or(0);
                    if stake == 0 {
                        return Ok(0);
                    }
                    calls::release_for_registered(pool, id, view)
                },
            )
        }

        /// Claims the rewards of `from_epoch..=to_epoch` for every provider the caller owns:
        /// one call per staking pool with all of the caller's ids in it, each pool paying its
        /// sum with one token transfer. One provider's failure does not stop the others; the
        /// outcome lists both. A call covers as many providers as fit one page's proof budget
        /// (`CLUSTER_CALL_BUDGET`: 2 providers of one model, under 1.0 MB of proof; one pool
        /// per call); `next_start` says where `claim_rewards_cluster_from` continues
        /// (never a silent cut).
        ///
        /// # Errors
        /// `Access(Paused)`; `CrossContractCall` when the epoch controller fails; `Overflow`.
        ///
        /// # Events
        /// `RewardClaimedForCluster`; each pool emits its claim events.
        #[ink(message)]
        pub fn claim_rewards_cluster(
            &mut self,
            from_epoch: EpochId,
            to_epoch: EpochId,
        ) -> Result<ClusterOutcome, RegistryError> {
            self.claim_rewards_cluster_from(from_epoch, to_epoch, 0)
        }

        /// `claim_rewards_cluster` from position `start` of the caller's providers (the
        /// `next_start` of the previous page).
        ///
        /// # Errors
        /// As `claim_rewards_cluster`.
        ///
        /// # Events
        /// As `claim_rewards_cluster`.
        #[ink(message)]
        pub fn claim_rewards_cluster_from(
            &mut self,
            from_epoch: EpochId,
            to_epoch: EpochId,
            start: u32,
        ) -> Result<ClusterOutcome, RegistryError> {
            self.access.ensure_not_paused()?;
            let owner = self.env().caller();
            let epoch = calls::current_epoch(self.config().epoch_controller)?;
            let outcome = self.run_cluster(owner, start, |pool, entries| {
                calls::claim_cluster_for_registered(pool, owner, entries, from_epoch, to_epoch)
            })?;
            self.env().emit_event(RewardClaimedForCluster {
                owner,
                epoch,
                from_epoch,
                to_epoch,
                succeeded: outcome.succeeded.clone(),
                failed: outcome.failed.clone(),
                total_claimed: outcome.total,
            });
            Ok(outcome)
        }

        /// Unstakes every provider the caller owns: one call per staking pool, each returning
        /// its stakes with one token transfer. Works while paused: principal is never trapped.
        /// One provider's failure (e.g. still locked) does not stop the others; the outcome
        /// lists both. Pages like `claim_rewards_cluster` (`unstake_cluster_from`).
        ///
        /// # Errors
        /// `CrossContractCall` when the epoch controller fails; `Overflow`.
        ///
        /// # Events
        /// `UnstakeCluster`; each pool emits its unstake events.
        #[ink(message)]
        pub fn unstake_cluster(&mut self) -> Result<ClusterOutcome, RegistryError> {
            self.unstake_cluster_from(0)
        }

        /// `unstake_cluster` from position `start` of the caller's providers.
        ///
        /// # Errors
        /// As `unstake_cluster`.
        ///
        /// # Events
        /// As `unstake_cluster`.
        #[ink(message)]
        pub fn unstake_cluster_from(
            &mut self,
            start: u32,
        ) -> Result<ClusterOutcome, RegistryError> {
            let owner = self.env().caller();
            let epoch = calls::current_epoch(self.config().epoch_controller)?;
            let outcome = self.run_cluster(owner, start, |pool, entries| {
                calls::unstake_cluster_for_registered(pool, owner, entries)
            })?;
            self.env().emit_event(UnstakeCluster {
                owner,
                epoch,
                succeeded: outcome.succeeded.clone(),
                failed: outcome.failed.clone(),
                total_unstaked: outcome.total,
            });
            Ok(outcome)
        }

        // ------------------------------------------------------------------ whitelisters

        /// Puts registered providers on the whitelist (1 to `MAX_BATCH_SIZE` ids; all or
        /// nothing). Jail is unaffected.
        ///
        /// # Errors
        /// `Access(MissingRole(Whitelister))`, `InvalidBatchSize`, `ProviderNotFound`.
        ///
        /// # Events
        /// `ProviderWhitelisted` per id.
        #[ink(message)]
        pub fn whitelist(&mut self, ids: Vec<ProviderId>) -> Result<(), RegistryError> {
            self.set_whitelisted(ids, true)
        }

        /// Takes registered providers off the whitelist (1 to `MAX_BATCH_SIZE` ids; all or
        /// nothing).
        ///
        /// # Errors
        /// `Access(MissingRole(Whitelister))`, `InvalidBatchSize`, `ProviderNotFound`.
        ///
        /// # Events
        /// `ProviderRemovedFromWhitelist` per id.
        #[ink(message)]
        pub fn remove_from_whitelist(&mut self, ids: Vec<ProviderId>) -> Result<(), RegistryError> {
            self.set_whitelisted(ids, false)
        }

        /// Jails provider `id` for `epochs` epochs from now: it is jailed while
        /// `current_epoch < current_epoch_now + epochs`. A new sentence replaces the old one.
        ///
        /// # Errors
        /// `Access(MissingRole(Whitelister))`, `JailEpochsOutOfBounds` (1..=`MAX_JAIL_EPOCHS`),
        /// `ProviderNotFound`, `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `ProviderJailed`.
        #[ink(message)]
        pub fn jail_for_epochs(
            &mut self,
            id: ProviderId,
            epochs: u32,
        ) -> Result<(), RegistryError> {
            self.jail_with(id, epochs, self.current_epoch_call())
        }

        /// Releases jailed provider `id`.
        ///
        /// # Errors
        /// `Access(MissingRole(Whitelister))`, `ProviderNotFound`, `NotJailed`,
        /// `CrossContractCall`.
        ///
        /// # Events
        /// `ProviderUnjailed`.
        #[ink(message)]
        pub fn unjail(&mut self, id: ProviderId) -> Result<(), RegistryError> {
            self.unjail_with(id, self.current_epoch_call())
        }

        // ------------------------------------------------------------------ owner

        /// Switches automatic whitelisting at registration on or off.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `AutomaticWhitelistToggled`.
        #[ink(message)]
        pub fn toggle_automatic_whitelist(&mut self) -> Result<(), RegistryError> {
            self.access.ensure_owner()?;
            let mut config = self.config();
            config.auto_whitelist = !config.auto_whitelist;
            self.config.set(&config);
            self.env().emit_event(AutomaticWhitelistToggled {
                enabled: config.auto_whitelist,
            });
            Ok(())
        }

        // ------------------------------------------------------------------ views

        /// Everything stored about provider `id`.
        #[ink(message)]
        pub fn get_provider(&self, id: ProviderId) -> Option<ProviderInfo> {
            let record = self.providers.get(&id)?;
            let metadata = self.providers.metadata(&id);
            Some(ProviderInfo::new(id, record, metadata))
        }

        /// Whether provider `id` is registered.
        #[ink(message)]
        pub fn registered(&self, id: ProviderId) -> bool {
            self.providers.contains(&id)
        }

        /// Whether provider `id` is active: registered, not deactivated, whitelisted and not
        /// jailed, its model enabled and its stake at least the model's stake amount. False
        /// when a called contract fails.
        #[ink(message)]
        pub fn active(&self, id: ProviderId) -> bool {
            self.active_with(&id, self.model_and_epoch_calls(), calls::staked_amounts)
                .unwrap_or(false)
        }

        /// Whether provider `id` is on the whitelist and not jailed now. False when the epoch
        /// controller fails.
        #[ink(message)]
        pub fn whitelisted(&self, id: ProviderId) -> bool {
            let Some(record) = self.providers.get(&id) else {
                return false;
            };
            record.whitelisted
                && calls::current_epoch(self.config().epoch_controller)
                    .is_ok_and(|epoch| record.whitelisted_at(epoch))
        }

        /// The ids `owner` registered, in registration order (at most
        /// `MAX_PROVIDERS_PER_OWNER`).
        #[ink(message)]
        pub fn get_provider_ids_by_owner(&self, owner: AccountId) -> Vec<ProviderId> {
            self.providers.ids_by_owner(owner)
        }

        /// How many providers of `model_id` are registered now (deregistered ids leave).
        #[ink(message)]
        pub fn provider_count_by_model(&self, model_id: ModelId) -> u32 {
            self.providers.count_by_model(model_id)
        }

        /// A page of the ids registered for `model_id`: `limit` (capped at `MAX_PAGE_SIZE`)
        /// positions of its list, newest first. `start` 0 begins a run at the newest id;
        /// continue with the page's `next_start` until it is `None`. A run offers every id that
        /// existed at its start and still exists at its end, whatever is registered or
        /// deregistered between pages (an id may appear twice, never be skipped).
        #[ink(message)]
        pub fn get_provider_ids_by_model(
            &self,
            model_id: ModelId,
            start: u32,
            limit: u32,
        ) -> ProviderIdsPage {
            self.providers.ids_by_model(model_id, start, limit)
        }

        /// The active providers of `model_id` among `limit` (capped at `MAX_PAGE_SIZE`)
        /// positions of its list, newest first, with their metadata: what a gateway routes
        /// with. `start` 0 begins a run; continue with `next_start` until it is `None` (the run
        /// offers every provider that existed throughout, as `get_provider_ids_by_model`).
        /// Costs at most one call each to the router, the epoch controller and the pool. A
        /// page ends early rather than exceed `MAX_ACTIVE_PAGE_BYTES`. A page whose calls fail
        /// lists no provider.
        #[ink(message)]
        pub fn get_active_providers(
            &self,
            model_id: ModelId,
            start: u32,
            limit: u32,
        ) -> ActiveProvidersPage {
            self.active_providers_with(
                model_id,
                start,
                limit,
                self.model_and_epoch_calls(),
                calls::staked_amounts,
            )
        }

        /// How many providers are registered now (deregistered ids leave).
        #[ink(message)]
        pub fn provider_count(&self) -> u32 {
            self.providers.count()
        }

        /// Whether registration whitelists.
        #[ink(message)]
        pub fn auto_whitelist(&self) -> bool {
            self.config().auto_whitelist
        }

        /// The model router.
        #[ink(message)]
        pub fn router(&self) -> AccountId {
            self.config().router
        }

        /// The epoch controller.
        #[ink(message)]
        pub fn epoch_controller(&self) -> AccountId {
            self.config().epoch_controller
        }

        // ------------------------------------------------------------------ admin

        /// The owner (admin).
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.access.owner()
        }

        /// The account named by `transfer_ownership` that has not accepted yet.
        #[ink(message)]
        pub fn pending_owner(&self) -> Option<AccountId> {
            self.access.pending_owner()
        }

        /// Names `new_owner`, who must call `accept_ownership`.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `OwnershipTransferStarted`.
        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), RegistryError> {
            Ok(self.access.transfer_ownership(new_owner)?)
        }

        /// Completes an ownership transfer; the caller becomes the owner.
        ///
        /// # Errors
        /// `Access(NotPendingOwner)`.
        ///
        /// # Events
        /// `OwnershipTransferred`.
        #[ink(message)]
        pub fn accept_ownership(&mut self) -> Result<(), RegistryError> {
            Ok(self.access.accept_ownership()?)
        }

        /// Grants `role` (here `Whitelister` or `Pauser`) to `account`.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `RoleGranted`.
        #[ink(message)]
        pub fn grant_role(&mut self, role: Role, account: AccountId) -> Result<(), RegistryError> {
            Ok(self.access.grant_role(role, account)?)
        }

        /// Revokes `role` from `account`.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `RoleRevoked`.
        #[ink(message)]
        pub fn revoke_role(&mut self, role: Role, account: AccountId) -> Result<(), RegistryError> {
            Ok(self.access.revoke_role(role, account)?)
        }

        /// Whether `account` is the owner or holds `role`.
        #[ink(message)]
        pub fn has_role(&self, role: Role, account: AccountId) -> bool {
            self.access.has_role(role, account)
        }

        /// Stops `register`, `register_and_stake`, `update_metadata`, `deactivate`,
        /// `reactivate` and `claim_rewards_cluster`.
        ///
        /// # Errors
        /// `Access(MissingRole(Pauser))`, `Access(AlreadyPaused)`.
        ///
        /// # Events
        /// `Paused`.
        #[ink(message)]
        pub fn pause(&mut self) -> Result<(), RegistryError> {
            Ok(self.access.pause()?)
        }

        /// Resumes the paused messages.
        ///
        /// # Errors
        /// `Access(MissingRole(Pauser))`, `Access(NotPaused)`.
        ///
        /// # Events
        /// `Unpaused`.
        #[ink(message)]
        pub fn unpause(&mut self) -> Result<(), RegistryError> {
            Ok(self.access.unpause()?)
        }

        /// Whether the registry is paused.
        #[ink(message)]
        pub fn paused(&self) -> bool {
            self.access.paused()
        }

        /// Replaces the contract's code, keeping its storage.
        ///
        /// # Errors
        /// `Access(NotOwner)`, `Access(CodeUpgradeFailed)`.
        ///
        /// # Events
        /// `CodeUpgraded`.
        #[ink(message)]
        pub fn set_code(&mut self, code_hash: Hash) -> Result<(), RegistryError> {
            Ok(self.access.set_code(code_hash)?)
        }

        // ------------------------------------------------------------------ internals
        //
        // The `*_with` methods take what other contracts answer as closures, called only after
        // every local check has passed, so that `#[ink::test]` (which cannot call other
        // contracts) covers the whole message with fixed answers.

        /// Registration: local checks, then `model_and_epoch`, then the writes.
        pub(crate) fn register_with(
            &mut self,
            id: ProviderId,
            model_id: ModelId,
            metadata: String,
            model_and_epoch: impl FnOnce(ModelId) -> ModelAndEpoch,
        ) -> Result<ProviderRecord, RegistryError> {
            self.access.ensure_not_paused()?;
            validate_provider_id(&id)?;
            validate_metadata(&metadata)?;
            let owner = self.env().caller();
            let admission = self.providers.admit(&id, owner)?;
            let (model, epoch) = model_and_epoch(model_id)?;
            ensure!(model.enabled, RegistryError::ModelDisabled);
            let record = ProviderRecord {
                owner,
                model_id,
                pool: model.pool,
                registered_at_block: self.env().block_number(),
                registered_epoch: epoch,
                whitelisted: self.config().auto_whitelist,
                jailed_until: 0,
                deactivated: false,
                // Set by `Providers::add`.
                owner_position: 0,
                model_position: 0,
            };
            let record = self.providers.add(&id, admission, record, &metadata)?;

            self.env().emit_event(ProviderRegistered {
                id: id.clone(),
                model_id,
                owner,
                epoch,
                metadata,
            });
            if record.whitelisted {
                self.env().emit_event(ProviderWhitelisted { id });
            }
            Ok(record)
        }

        /// Freeing an id: jail check (owner path: `current_epoch` is asked; governance passes
        /// 0), then `empty_pool` (refuses, or returns the stake it gave back), then the writes:
        /// record, metadata and both index entries go, the last entry of each index moving
        /// into the freed position.
        pub(crate) fn deregister_with(
            &mut self,
            id: ProviderId,
            by: AccountId,
            current_epoch: impl FnOnce() -> Result<EpochId, RegistryError>,
            empty_pool: impl FnOnce(
                AccountId,
                ProviderId,
                ProviderView,
            ) -> Result<Balance, RegistryError>,
        ) -> Result<(), RegistryError> {
            let record = self.providers.find(&id)?;
            permissions::ensure_may_leave(&record, current_epoch()?)?;
            let returned_stake = empty_pool(record.pool, id.clone(), record.view())?;
            self.providers.remove(&id, &record)?;
            self.env().emit_event(ProviderDeregistered {
                id,
                model_id: record.model_id,
                owner: record.owner,
                by,
                returned_stake,
            });
            Ok(())
        }

        /// Jailing: local checks, then `current_epoch()`, then the write.
        pub(crate) fn jail_with(
            &mut self,
            id: ProviderId,
            epochs: u32,
            current_epoch: impl FnOnce() -> Result<EpochId, RegistryError>,
        ) -> Result<(), RegistryError> {
            self.access.ensure_role(Role::Whitelister)?;
            permissions::check_jail_epochs(epochs)?;
            let mut record = self.providers.find(&id)?;
            let jailed_until = permissions::jail(&mut record, current_epoch()?, epochs)?;
            self.providers.save(&id, &record);
            self.env().emit_event(ProviderJailed {
                id,
                epochs,
                jailed_until,
            });
            Ok(())
        }

        /// Unjailing: local checks, then `current_epoch()`, then the write.
        pub(crate) fn unjail_with(
            &mut self,
            id: ProviderId,
            current_epoch: impl FnOnce() -> Result<EpochId, RegistryError>,
        ) -> Result<(), RegistryError> {
            self.access.ensure_role(Role::Whitelister)?;
            let mut record = self.providers.find(&id)?;
            permissions::unjail(&mut record, current_epoch()?)?;
            self.providers.save(&id, &record);
            self.env().emit_event(ProviderUnjailed { id });
            Ok(())
        }

        /// Runs `pool_call` once per staking pool for `owner`'s providers of the page at
        /// `start` (0: a new run from the newest id, else the previous page's `next_start`;
        /// pages go down the owner's index, so no id is ever skipped), as many as fit
        /// `CLUSTER_CALL_BUDGET` (at most `MAX_CLUSTER_POOLS_PER_CALL` pools), and collects
        /// the outcome in the page's order; `next_start` is the cursor of the next page. A failed pool call is
        /// recorded for each of its ids, never propagated: a callee's `Err` reverts only its
        /// own frame. See `cluster.rs`.
        pub(crate) fn run_cluster(
            &self,
            owner: AccountId,
            start: u32,
            pool_call: impl FnMut(AccountId, Vec<(ProviderId, ProviderView)>) -> PoolResults,
        ) -> Result<ClusterOutcome, RegistryError> {
            let ids = self.providers.ids_by_owner(owner);
            let page = cluster::plan(ids, start, |id| self.providers.get(id));
            cluster::execute(page, pool_call)
        }

        // ---- Upgrade probe: only in the `upgrade-v2` test build ----------------------------

        /// `upgrade-v2` test build only: the note stored under the new key `V2NT` (0 if unset).
        /// The end-to-end upgrade test upgrades a live suite to this build and back.
        #[cfg(feature = "upgrade-v2")]
        #[ink(message)]
        pub fn upgrade_note(&self) -> u32 {
            self.upgrade_note.get().unwrap_or(0)
        }

        /// `upgrade-v2` test build only, owner only: stores `note` under the new key `V2NT`.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        #[cfg(feature = "upgrade-v2")]
        #[ink(message)]
        pub fn set_upgrade_note(&mut self, note: u32) -> Result<(), RegistryError> {
            self.access.ensure_owner()?;
            self.upgrade_note.set(&note);
            Ok(())
        }

        /// The `RCFG` cell, written by the constructor.
        fn config(&self) -> RegistryConfig {
            self.config.get().unwrap_or(RegistryConfig {
                router: AccountId::from([0; 32]),
                epoch_controller: AccountId::from([0; 32]),
                auto_whitelist: false,
            })
        }

        /// Asks the router and the epoch controller, when called.
        fn model_and_epoch_calls(&self) -> impl FnOnce(ModelId) -> ModelAndEpoch {
            let RegistryConfig {
                router,
                epoch_controller,
                ..
            } = self.config();
            move |model_id| {
                Ok((
                    calls::model_context(router, model_id)?,
                    calls::current_epoch(epoch_controller)?,
                ))
            }
        }

        /// Asks the epoch controller for the current epoch, when called.
        fn current_epoch_call(&self) -> impl FnOnce() -> Result<EpochId, RegistryError> {
            let epoch_controller = self.config().epoch_controller;
            move || calls::current_epoch(epoch_controller)
        }

        /// The record of `id` if the caller owns it.
        fn owned_record(&self, id: &ProviderId) -> Result<ProviderRecord, RegistryError> {
            let record = self.providers.find(id)?;
            permissions::ensure_owner(&record, self.env().caller())?;
            Ok(record)
        }

        fn set_deactivated(
            &mut self,
            id: &ProviderId,
            deactivated: bool,
        ) -> Result<(), RegistryError> {
            if !deactivated {
                self.access.ensure_not_paused()?;
            }
            let mut record = self.owned_record(id)?;
            permissions::set_deactivated(&mut record, deactivated)?;
            self.providers.save(id, &record);
            Ok(())
        }

        fn set_whitelisted(
            &mut self,
            ids: Vec<ProviderId>,
            whitelisted: bool,
        ) -> Result<(), RegistryError> {
            self.access.ensure_role(Role::Whitelister)?;
            permissions::check_batch_size(ids.len())?;
            // Every id is checked before the first write (≤ MAX_BATCH_SIZE reads).
            let records = ids
                .iter()
                .map(|id| self.providers.find(id))
                .collect::<Result<Vec<_>, _>>()?;
            for (id, mut record) in ids.into_iter().zip(records) {
                if permissions::set_whitelisted(&mut record, whitelisted) {
                    self.providers.save(&id, &record);
                }
                if whitelisted {
                    self.env().emit_event(ProviderWhitelisted { id });
                } else {
                    self.env().emit_event(ProviderRemovedFromWhitelist { id });
                }
            }
            Ok(())
        }

        /// `active`, with call failures as errors. The provider's own flags are checked first
        /// so that most inactive providers cost no call.
        pub(crate) fn active_with(
            &self,
            id: &ProviderId,
            model_and_epoch: impl FnOnce(ModelId) -> ModelAndEpoch,
            stakes: impl FnOnce(AccountId, Vec<ProviderId>) -> Stakes,
        ) -> Result<bool, RegistryError> {
            let Some(record) = self.providers.get(id) else {
                return Ok(false);
            };
            if !record.may_be_active() {
                return Ok(false);
            }
            let (model, epoch) = model_and_epoch(record.model_id)?;
            let stake = stakes(model.pool, vec![id.clone()])?
                .first()
                .copied()
                .unwrap_or(0);
            Ok(is_active(&record, epoch, &model, stake))
        }

        /// `get_active_providers`: `model_and_epoch` runs only when the page holds positions,
        /// `stakes` only when some provider there is eligible. A failed call gives an empty
        /// page that still points at the next one.
        pub(crate) fn active_providers_with(
            &self,
            model_id: ModelId,
            start: u32,
            limit: u32,
            model_and_epoch: impl FnOnce(ModelId) -> ModelAndEpoch,
            stakes: impl FnOnce(AccountId, Vec<ProviderId>) -> Stakes,
        ) -> ActiveProvidersPage {
            let range = self.providers.model_page(model_id, start, limit);
            let bottom = range.start;
            let (providers, scanned_down_to) = self
                .scan_active(model_id, range, model_and_epoch, stakes)
                .unwrap_or((Vec::new(), bottom));
            ActiveProvidersPage {
                providers,
                next_start: providers::next_cursor(scanned_down_to),
            }
        }

        /// The active providers at the positions of `range` of `model_id`'s list, newest
        /// first, and the lowest position the scan covered (`range.start`, or just above the
        /// first provider that did not fit).
        fn scan_active(
            &self,
            model_id: ModelId,
            range: core::ops::Range<u32>,
            model_and_epoch: impl FnOnce(ModelId) -> ModelAndEpoch,
            stakes: impl FnOnce(AccountId, Vec<ProviderId>) -> Stakes,
        ) -> Result<(Vec<ActiveProvider>, u32), RegistryError> {
            let bottom = range.start;
            if range.is_empty() {
                return Ok((Vec::new(), bottom));
            }
            let (model, epoch) = model_and_epoch(model_id)?;
            if !model.enabled {
                return Ok((Vec::new(), bottom));
            }
            // ≤ MAX_PAGE_SIZE positions; only eligible providers cost a stake lookup.
            let candidates = self.providers.eligible_by_model(model_id, range, epoch);
            if candidates.is_empty() {
                return Ok((Vec::new(), bottom));
            }
            let ids = candidates.iter().map(|(_, id, _)| id.clone()).collect();
            let stakes = stakes(model.pool, ids)?;
            let active = candidates
                .into_iter()
                .zip(stakes)
                .filter(|((_, _, record), stake)| is_active(record, epoch, &model, *stake))
                .map(|((position, id, _), _)| (position, id));
            let (page, left_out) = self.providers.with_metadata(active);
            // Positions up to the one left out are still to be read.
            Ok((
                page,
                left_out.map_or(bottom, |position| position.saturating_add(1)),
            ))
        }
    }

    impl func_interfaces::ProviderRegistry for Registry {
        /// Owner, model, whitelist, jail and deactivation state of `id`, as its pool needs it.
        ///
        /// # Errors
        /// `ProviderNotFound`.
        #[ink(message)]
        fn staking_view(&self, id: ProviderId) -> Result<ProviderView, RegistryError> {
            self.providers
                .get(&id)
                .map(|record| record.view())
                .ok_or(RegistryError::ProviderNotFound)
        }
    }
}
