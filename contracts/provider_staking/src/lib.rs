//! `provider_staking`: one instance per model. Holds the stakes of the model's providers and the
//! model's reward funds, takes the scheduler's reward reports and pays rewards. See README.md.
#![cfg_attr(not(feature = "std"), no_std, no_main)]
#![allow(clippy::cast_possible_truncation)]
#![deny(clippy::arithmetic_side_effects)]

mod calls;
pub mod events;
pub mod funding;
pub mod ledger;
pub mod stakes;

#[cfg(test)]
mod tests;

#[ink::contract]
pub mod provider_staking {
    use crate::{
        calls,
        events::{
            BoostForNEpochs, EpochHardCapUpdated, ProviderClaimedRewards, ProviderShardsRecorded,
            ProviderStaked, ProviderUnstaked, RewardSetForEpoch, RewardsFunded,
        },
        funding::RewardFunding,
        ledger::{Boost, EpochReward, RewardLedger, ShardBatch},
        stakes::{self, StakeInfo, Stakes},
    };
    use func_interfaces::{
        ensure, limits::MAX_PAGE_SIZE, AccessControl, EpochId, ModelId, ProviderId,
        ProviderStaking, ProviderView, Role, StakingError,
    };
    use ink::prelude::vec::Vec;

    /// The staking and reward pool of one model.
    #[ink(storage)]
    pub struct ProviderStakingPool {
        access: AccessControl,
        model_id: ModelId,
        token: AccountId,
        registry: AccountId,
        epoch_controller: AccountId,
        router: AccountId,
        stakes: Stakes,
        rewards: RewardLedger,
    }

    impl ProviderStakingPool {
        /// Creates the pool of `model_id`; `model_router` calls this from `create_model`.
        /// `admin` owns the pool. The epoch reward hard cap starts at `Balance::MAX` (no cap).
        #[ink(constructor)]
        pub fn new(
            model_id: ModelId,
            token: AccountId,
            registry: AccountId,
            epoch_controller: AccountId,
            router: AccountId,
            admin: AccountId,
        ) -> Self {
            Self {
                access: AccessControl::new(admin),
                model_id,
                token,
                registry,
                epoch_controller,
                router,
                stakes: Stakes::default(),
                rewards: RewardLedger::default(),
            }
        }

        // ---- Providers -------------------------------------------------------------------

        /// Tops the stake of `id` up to the model's stake amount, pulling the missing FUNC from
        /// the caller (who must own `id` and have approved this pool); returns the amount
        /// pulled.
        ///
        /// # Errors
        /// `Access(Paused)`, `ProviderNotFound`, `NotProviderOwner`, `WrongModel`,
        /// `NotWhitelisted`, `ProviderJailed`, `ModelNotFound`, `ModelDisabled`,
        /// `AlreadyFullyStaked`, `Token`, `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `ProviderStaked`.
        #[ink(message)]
        pub fn stake_for_provider(&mut self, id: ProviderId) -> Result<Balance, StakingError> {
            self.access.ensure_not_paused()?;
            let view = self.owned_view(&id)?;
            self.stake(id, view)
        }

        /// Returns the whole stake of `id` to the caller, its owner, once
        /// `current_epoch >= last_stake_epoch + min_epochs_locked`. Works while paused, jailed,
        /// de-whitelisted, deactivated or with the model disabled: principal is never trapped.
        ///
        /// # Errors
        /// `ProviderNotFound`, `NotProviderOwner`, `NotStaked`, `StillLocked`, `Token`,
        /// `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `ProviderUnstaked`.
        #[ink(message)]
        pub fn unstake_provider(&mut self, id: ProviderId) -> Result<Balance, StakingError> {
            let view = self.owned_view(&id)?;
            self.unstake(id, view)
        }

        /// Pays the caller, owner of `id`, the unclaimed rewards of `id` through `to_epoch`,
        /// the claim starting at `from_epoch`; returns the amount.
        ///
        /// # Errors
        /// `Access(Paused)`, `ProviderNotFound`, `NotProviderOwner`, `ProviderJailed`,
        /// `InvalidEpochRange`, `EpochNotClaimable`, `AlreadyClaimed`, `ClaimGap`,
        /// `NothingToClaim`, `Token`, `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `ProviderClaimedRewards`.
        #[ink(message)]
        pub fn claim_rewards(
            &mut self,
            id: ProviderId,
            from_epoch: EpochId,
            to_epoch: EpochId,
        ) -> Result<Balance, StakingError> {
            self.access.ensure_not_paused()?;
            let view = self.owned_view(&id)?;
            self.claim(id, view, from_epoch, to_epoch)
        }

        // ---- Reward funding ----------------------------------------------------------------

        /// Pulls `amount` FUNC from the caller (who approved this pool) into the reward funds.
        ///
        /// # Errors
        /// `Access(Paused)`, `ZeroAmount`, `Token`, `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `RewardsFunded`.
        #[ink(message)]
        pub fn fund_rewards(&mut self, amount: Balance) -> Result<(), StakingError> {
            self.access.ensure_not_paused()?;
            let from = self.env().caller();
            self.rewards.fund(amount)?;
            calls::transfer_from(self.token, from, self.env().account_id(), amount)?;
            self.env().emit_event(RewardsFunded { from, amount });
            Ok(())
        }

        /// Pulls `amount` FUNC from the caller into the reward funds and adds `amount / epochs`
        /// to the boost of each of the next `epochs` epochs (`current + 1 ..= current +
        /// epochs`). A boost is reserved when its epoch is reported; until then it is part of
        /// the unreserved funds.
        ///
        /// # Errors
        /// `Access(Paused)`; `InvalidBoost` unless `1 <= epochs <= MAX_BOOST_EPOCHS`,
        /// `amount > 0` and `epochs` divides `amount`; `Token`, `CrossContractCall`,
        /// `Overflow`.
        ///
        /// # Events
        /// `BoostForNEpochs`.
        #[ink(message)]
        pub fn boost_rewards_for_n_epochs(
            &mut self,
            epochs: u32,
            amount: Balance,
        ) -> Result<(), StakingError> {
            self.access.ensure_not_paused()?;
            let boost = Boost::new(epochs, amount)?;
            let info = calls::epoch_info(self.epoch_controller)?;
            let start_epoch = self.rewards.add_boost(&boost, info.current_epoch)?;
            let sender = self.env().caller();
            calls::transfer_from(self.token, sender, self.env().account_id(), amount)?;
            self.env().emit_event(BoostForNEpochs {
                sender,
                start_epoch,
                epochs,
                amount,
            });
            Ok(())
        }

        /// Owner only: sets the most the scheduler may report as an epoch's `total` (boosts
        /// come on top). Existing reports are unaffected.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `EpochHardCapUpdated`.
        #[ink(message)]
        pub fn set_epoch_reward_hard_cap(&mut self, hard_cap: Balance) -> Result<(), StakingError> {
            self.access.ensure_owner()?;
            self.rewards.set_hard_cap(hard_cap);
            self.env().emit_event(EpochHardCapUpdated { hard_cap });
            Ok(())
        }

        // ---- Scheduler -----------------------------------------------------------------------

        /// Scheduler only: reports (or corrects) the reward `total` and `total_shards` of
        /// `epoch`, an ended epoch that is not final, and reserves `total + boost(epoch)`.
        ///
        /// # Errors
        /// `Access(MissingRole(Scheduler))`, `Access(Paused)`, `EpochNotEnded`,
        /// `EpochFinalized`, `AboveHardCap`, `ShardsExceedTotal`, `InsufficientRewardFunding`,
        /// `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `RewardSetForEpoch`.
        #[ink(message)]
        pub fn set_epoch_reward(
            &mut self,
            epoch: EpochId,
            total: Balance,
            total_shards: u64,
        ) -> Result<(), StakingError> {
            self.access.ensure_role(Role::Scheduler)?;
            self.access.ensure_not_paused()?;
            let info = calls::epoch_info(self.epoch_controller)?;
            let reward = self
                .rewards
                .set_epoch_reward(epoch, total, total_shards, &info)?;
            self.env().emit_event(RewardSetForEpoch {
                epoch,
                total: reward.total,
                boost: reward.boost,
                total_shards: reward.total_shards,
            });
            Ok(())
        }

        /// Scheduler only: records (or corrects) the shards of up to `MAX_BATCH_SIZE` providers
        /// in `epoch`, after its reward was set. A provider listed twice gets its last entry;
        /// 0 shards remove a provider's record.
        ///
        /// # Errors
        /// `Access(MissingRole(Scheduler))`, `Access(Paused)`, `InvalidBatchSize`,
        /// `EpochNotEnded`, `EpochFinalized`, `EpochRewardNotSet`, `UnknownProvider`,
        /// `TooManyPendingEpochs`, `ShardsExceedTotal`, `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `ProviderShardsRecorded`.
        #[ink(message)]
        pub fn record_provider_shards(
            &mut self,
            epoch: EpochId,
            shards: Vec<(ProviderId, u64)>,
        ) -> Result<(), StakingError> {
            self.access.ensure_role(Role::Scheduler)?;
            self.access.ensure_not_paused()?;
            let batch = ShardBatch::new(shards)?;
            let providers = batch.providers();
            let info = calls::epoch_info(self.epoch_controller)?;
            let reward = self.rewards.record_provider_shards(epoch, batch, &info)?;
            self.env().emit_event(ProviderShardsRecorded {
                epoch,
                providers,
                recorded_shards: reward.recorded_shards,
            });
            Ok(())
        }

        // ---- Views -----------------------------------------------------------------------

        /// FUNC staked for `id` (0 if none).
        #[ink(message)]
        pub fn get_provider_staked_amount(&self, id: ProviderId) -> Balance {
            self.stakes.amount(&id)
        }

        /// Stake of `id` and the epoch of its latest stake.
        #[ink(message)]
        pub fn get_stake(&self, id: ProviderId) -> Option<StakeInfo> {
            self.stakes.get(&id)
        }

        /// Sum of all stakes.
        #[ink(message)]
        pub fn effective_staked_balance(&self) -> Balance {
            self.stakes.total()
        }

        /// What `id` can claim now (through the last claimable epoch), including final epochs
        /// not yet folded into its ledger. Reads the epoch controller; 0 if that fails.
        #[ink(message)]
        pub fn pending_rewards(&self, id: ProviderId) -> Balance {
            calls::epoch_info(self.epoch_controller)
                .and_then(|info| self.rewards.pending_rewards(&id, &info))
                .unwrap_or(0)
        }

        /// Rewards `id` earned in `from_epoch..=to_epoch`, claimed or not, final or not
        /// (computed with the current reports). `from_epoch` 0 counts as 1; an empty range
        /// gives 0.
        #[ink(message)]
        pub fn view_rewards(
            &self,
            id: ProviderId,
            from_epoch: EpochId,
            to_epoch: EpochId,
        ) -> Balance {
            self.rewards
                .view_rewards(&id, from_epoch, to_epoch)
                .unwrap_or(0)
        }

        /// Last epoch `id` claimed (0: none).
        #[ink(message)]
        pub fn claimed_through(&self, id: ProviderId) -> EpochId {
            self.rewards.claimed_through(&id)
        }

        /// Shards recorded for `id` in `epoch` (0 if none).
        #[ink(message)]
        pub fn provider_shards(&self, id: ProviderId, epoch: EpochId) -> u64 {
            self.rewards.provider_shards(&id, epoch)
        }

        /// The reward split in `epoch`: `total + boost` once reported, else the boost so far.
        #[ink(message)]
        pub fn total_reward_for_epoch(&self, epoch: EpochId) -> Balance {
            self.rewards.total_reward_for_epoch(epoch)
        }

        /// The scheduler's report of `epoch`, if any.
        #[ink(message)]
        pub fn epoch_reward(&self, epoch: EpochId) -> Option<EpochReward> {
            self.rewards.epoch_reward(epoch)
        }

        /// Boost of `epoch` (0 if none).
        #[ink(message)]
        pub fn boost_for_epoch(&self, epoch: EpochId) -> Balance {
            self.rewards.boost(epoch)
        }

        /// Reward funds: `balance` (funded − paid) and `reserved` (promised − paid).
        #[ink(message)]
        pub fn reward_funding(&self) -> RewardFunding {
            self.rewards.funding()
        }

        /// Most the scheduler may report as an epoch's total (`Balance::MAX`: no cap).
        #[ink(message)]
        pub fn epoch_reward_hard_cap(&self) -> Balance {
            self.rewards.hard_cap()
        }

        /// Highest last-claimable epoch seen; epochs up to it are final.
        #[ink(message)]
        pub fn finalized_through(&self) -> EpochId {
            self.rewards.finalized_through()
        }

        #[ink(message)]
        pub fn model_id(&self) -> ModelId {
            self.model_id
        }

        #[ink(message)]
        pub fn token(&self) -> AccountId {
            self.token
        }

        #[ink(message)]
        pub fn registry(&self) -> AccountId {
            self.registry
        }

        #[ink(message)]
        pub fn router(&self) -> AccountId {
            self.router
        }

        #[ink(message)]
        pub fn epoch_controller(&self) -> AccountId {
            self.epoch_controller
        }

        // ---- Administration ------------------------------------------------------------------

        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.access.owner()
        }

        #[ink(message)]
        pub fn pending_owner(&self) -> Option<AccountId> {
            self.access.pending_owner()
        }

        /// Owner only: names `new_owner`, who must call `accept_ownership`.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `OwnershipTransferStarted`.
        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), StakingError> {
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
        pub fn accept_ownership(&mut self) -> Result<(), StakingError> {
            Ok(self.access.accept_ownership()?)
        }

        /// Owner only: grants `role` (`Scheduler` reports rewards, `Pauser` pauses).
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `RoleGranted`.
        #[ink(message)]
        pub fn grant_role(&mut self, role: Role, account: AccountId) -> Result<(), StakingError> {
            Ok(self.access.grant_role(role, account)?)
        }

        /// Owner only: revokes `role`.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `RoleRevoked`.
        #[ink(message)]
        pub fn revoke_role(&mut self, role: Role, account: AccountId) -> Result<(), StakingError> {
            Ok(self.access.revoke_role(role, account)?)
        }

        /// True for the owner and for holders of `role`.
        #[ink(message)]
        pub fn has_role(&self, role: Role, account: AccountId) -> bool {
            self.access.has_role(role, account)
        }

        /// Pauser only: stops staking, claims, funding, boosts and reports (not unstaking).
        ///
        /// # Errors
        /// `Access(MissingRole(Pauser))`, `Access(AlreadyPaused)`.
        ///
        /// # Events
        /// `Paused`.
        #[ink(message)]
        pub fn pause(&mut self) -> Result<(), StakingError> {
            Ok(self.access.pause()?)
        }

        /// Pauser only: resumes the pool.
        ///
        /// # Errors
        /// `Access(MissingRole(Pauser))`, `Access(NotPaused)`.
        ///
        /// # Events
        /// `Unpaused`.
        #[ink(message)]
        pub fn unpause(&mut self) -> Result<(), StakingError> {
            Ok(self.access.unpause()?)
        }

        #[ink(message)]
        pub fn paused(&self) -> bool {
            self.access.paused()
        }

        /// Owner only: replaces the pool's code, keeping its storage.
        ///
        /// # Errors
        /// `Access(NotOwner)`, `Access(CodeUpgradeFailed)`.
        ///
        /// # Events
        /// `CodeUpgraded`.
        #[ink(message)]
        pub fn set_code(&mut self, code_hash: Hash) -> Result<(), StakingError> {
            Ok(self.access.set_code(code_hash)?)
        }

        // ---- Internals -----------------------------------------------------------------------

        /// Asks the registry for `id` and checks that the caller owns it.
        fn owned_view(&self, id: &ProviderId) -> Result<ProviderView, StakingError> {
            let view = calls::staking_view(self.registry, id.clone())?;
            ensure!(
                view.owner == self.env().caller(),
                StakingError::NotProviderOwner
            );
            Ok(view)
        }

        fn ensure_registry(&self) -> Result<(), StakingError> {
            ensure!(
                self.env().caller() == self.registry,
                StakingError::NotRegistry
            );
            Ok(())
        }

        /// Stakes for `id` as described by `view` (already authorised).
        fn stake(&mut self, id: ProviderId, view: ProviderView) -> Result<Balance, StakingError> {
            stakes::ensure_serves(&view, self.model_id)?;
            let info = calls::epoch_info(self.epoch_controller)?;
            stakes::ensure_not_jailed(&view, info.current_epoch)?;
            let model = calls::model_context(self.router, self.model_id)?;
            stakes::ensure_enabled(&model)?;
            let amount = self
                .stakes
                .stake(&id, model.stake_amount, info.current_epoch)?;
            self.rewards.open_account(&id);
            calls::transfer_from(self.token, view.owner, self.env().account_id(), amount)?;
            self.env().emit_event(ProviderStaked {
                id,
                model_id: self.model_id,
                epoch: info.current_epoch,
                amount,
                owner: view.owner,
            });
            Ok(amount)
        }

        /// Unstakes `id` for `view.owner` (already authorised).
        fn unstake(&mut self, id: ProviderId, view: ProviderView) -> Result<Balance, StakingError> {
            let info = calls::epoch_info(self.epoch_controller)?;
            let amount = self
                .stakes
                .unstake(&id, info.current_epoch, info.min_epochs_locked)?;
            calls::transfer(self.token, view.owner, amount)?;
            self.env().emit_event(ProviderUnstaked {
                id,
                model_id: self.model_id,
                epoch: info.current_epoch,
                amount,
                owner: view.owner,
            });
            Ok(amount)
        }

        /// Claims for `id` and pays `view.owner` (already authorised).
        fn claim(
            &mut self,
            id: ProviderId,
            view: ProviderView,
            from_epoch: EpochId,
            to_epoch: EpochId,
        ) -> Result<Balance, StakingError> {
            let info = calls::epoch_info(self.epoch_controller)?;
            stakes::ensure_not_jailed(&view, info.current_epoch)?;
            let amount = self.rewards.claim(&id, from_epoch, to_epoch, &info)?;
            calls::transfer(self.token, view.owner, amount)?;
            self.env().emit_event(ProviderClaimedRewards {
                id,
                model_id: self.model_id,
                from_epoch,
                to_epoch,
                amount,
                owner: view.owner,
            });
            Ok(amount)
        }
    }

    /// The registry's entry points: it passes the provider's view, which the pool trusts
    /// (never calling the registry back), and the rules are those of the direct messages.
    impl ProviderStaking for ProviderStakingPool {
        #[ink(message)]
        fn stake_for_registered(
            &mut self,
            id: ProviderId,
            view: ProviderView,
        ) -> Result<Balance, StakingError> {
            self.ensure_registry()?;
            self.access.ensure_not_paused()?;
            self.stake(id, view)
        }

        #[ink(message)]
        fn claim_for_registered(
            &mut self,
            id: ProviderId,
            view: ProviderView,
            from_epoch: EpochId,
            to_epoch: EpochId,
        ) -> Result<Balance, StakingError> {
            self.ensure_registry()?;
            self.access.ensure_not_paused()?;
            self.claim(id, view, from_epoch, to_epoch)
        }

        #[ink(message)]
        fn unstake_for_registered(
            &mut self,
            id: ProviderId,
            view: ProviderView,
        ) -> Result<Balance, StakingError> {
            self.ensure_registry()?;
            self.unstake(id, view)
        }

        #[ink(message)]
        fn staked_amounts(&self, ids: Vec<ProviderId>) -> Vec<Balance> {
            ids.iter()
                .take(MAX_PAGE_SIZE as usize)
                .map(|id| self.stakes.amount(id))
                .collect()
        }
    }
}
