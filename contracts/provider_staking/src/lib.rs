//! `provider_staking`: one instance per model. Holds the stakes of the model's providers and the
//! model's reward funds, takes the scheduler's reward reports and pays rewards. See README.md.
#![cfg_attr(not(feature = "std"), no_std, no_main)]
#![allow(clippy::cast_possible_truncation)]
#![deny(clippy::arithmetic_side_effects)]

mod calls;
pub mod events;
pub mod frontier;
pub mod funding;
pub mod ledger;
pub mod stakes;

#[cfg(test)]
mod money_path;
#[cfg(test)]
mod tests;

#[ink::contract]
pub mod provider_staking {
    use crate::{
        calls,
        events::{
            BoostForNEpochs, EpochHardCapUpdated, EpochsClosed, ExcessWithdrawn,
            ProviderClaimedRewards, ProviderShardsRecorded, ProviderStaked, ProviderUnstaked,
            ReportsResumed, ReportsSuspended, RewardSetForEpoch, RewardsFunded, RewardsWithdrawn,
            UnclaimableRewardReleased,
        },
        funding::RewardFunding,
        ledger::{Boost, ClaimSession, Earner, EpochReward, RewardLedger, ShardBatch},
        stakes::{self, StakeInfo, StakePeriod, Stakes},
    };
    use func_interfaces::{
        ensure,
        limits::{MAX_PAGE_SIZE, MAX_PROVIDERS_PER_OWNER},
        AccessControl, EpochId, EpochInfo, ModelId, ProviderId, ProviderStaking, ProviderView,
        Role, StakingError,
    };
    use ink::{
        prelude::vec::Vec,
        storage::{traits::ManualKey, Lazy},
    };

    /// The pool's model and the contracts it calls, fixed at instantiation.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct PoolConfig {
        pub model_id: ModelId,
        pub token: AccountId,
        pub registry: AccountId,
        pub epoch_controller: AccountId,
        pub router: AccountId,
    }

    /// The staking and reward pool of one model. Every field has its own storage key: the
    /// root cell holds no bytes, so a later version may add items under new keys
    /// (`docs/CONVENTIONS.md`).
    #[ink(storage)]
    pub struct ProviderStakingPool {
        /// `OWNR` and `ROLE`.
        access: AccessControl,
        /// `PCFG`: the model and the contracts the pool calls.
        config: Lazy<PoolConfig, ManualKey<0x5043_4647>>,
        /// `STOT`, `STAK`, `PERD`.
        stakes: Stakes,
        /// `RLST`, `EPRW`, `BOST`, `OPEN`, `ERNR`, `LEDG`.
        rewards: RewardLedger,
        /// "V2NT", only in the `upgrade-v2` test build: the item a later version adds.
        #[cfg(feature = "upgrade-v2")]
        upgrade_note: Lazy<u32, ManualKey<0x5632_4e54>>,
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
            let mut config = Lazy::new();
            config.set(&PoolConfig {
                model_id,
                token,
                registry,
                epoch_controller,
                router,
            });
            Self {
                access: AccessControl::new(admin),
                config,
                stakes: Stakes::default(),
                rewards: RewardLedger::default(),
                #[cfg(feature = "upgrade-v2")]
                upgrade_note: Lazy::new(),
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
            // The pool's own record says whose stake it is: principal leaves through the pool
            // alone, whatever state the registry is in.
            let stake = self.stakes.get(&id).ok_or(StakingError::NotStaked)?;
            let caller = self.env().caller();
            ensure!(stake.owner == caller, StakingError::NotProviderOwner);
            let view = ProviderView {
                owner: caller,
                model_id: self.config().model_id,
                whitelisted: false,
                jailed_until: 0,
                deactivated: true,
            };
            self.unstake(id, view, false)
        }

        /// Pays the caller the unclaimed rewards it earned with `id` through `to_epoch`, the
        /// claim starting at `from_epoch`; returns the amount (FUNC base units). The caller is
        /// `id`'s owner, or a former holder of `id` (after a deregistration or a governance
        /// release) claiming what it earned while it held `id`.
        ///
        /// # Errors
        /// `Access(Paused)`, `ProviderNotFound` (unknown id, no former holding either),
        /// `NotProviderOwner`, `ProviderJailed` (current owner only), `InvalidEpochRange`,
        /// `EpochNotClaimable`, `AlreadyClaimed`, `ClaimGap`, `NothingToClaim`, `Token`,
        /// `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `ProviderClaimedRewards`, `UnclaimableRewardReleased`.
        #[ink(message)]
        pub fn claim_rewards(
            &mut self,
            id: ProviderId,
            from_epoch: EpochId,
            to_epoch: EpochId,
        ) -> Result<Balance, StakingError> {
            self.access.ensure_not_paused()?;
            let caller = self.env().caller();
            let view = match calls::staking_view(self.config().registry, id.clone()) {
                Ok(view) if view.owner == caller => view,
                // A former holder claims what it earned; no jail applies to a released id.
                Ok(_) | Err(StakingError::ProviderNotFound) => {
                    self.former_holder_view(&id, caller)?
                }
                Err(error) => return Err(error),
            };
            self.claim(id, view, from_epoch, to_epoch)
        }

        // ---- Reward funding ----------------------------------------------------------------

        /// Pulls `amount` FUNC (base units) from the caller (who approved this pool) into the
        /// reward funds. Works while paused: a report may need funds.
        ///
        /// # Errors
        /// `ZeroAmount`, `Token`, `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `RewardsFunded`.
        #[ink(message)]
        pub fn fund_rewards(&mut self, amount: Balance) -> Result<(), StakingError> {
            let from = self.env().caller();
            self.rewards.fund(amount)?;
            calls::transfer_from(self.config().token, from, self.env().account_id(), amount)?;
            self.env().emit_event(RewardsFunded { from, amount });
            Ok(())
        }

        /// Pulls `amount` FUNC from the caller into the reward funds and adds `amount / epochs`
        /// to the boost of each of the next `epochs` epochs (`current + 1 ..= current +
        /// epochs`). The boost is reserved at once, for its own epochs only; the part of an
        /// epoch nobody earns is released to the unreserved funds when the epoch is final.
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
            let cfg = self.config();
            let info = self.epoch_info_released(&cfg)?;
            let start_epoch = self.rewards.add_boost(&boost, info.current_epoch)?;
            let sender = self.env().caller();
            calls::transfer_from(cfg.token, sender, self.env().account_id(), amount)?;
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

        /// Owner only: sends `amount` FUNC of the unreserved reward funds to `to`. Never
        /// touches a stake or a reserved reward.
        ///
        /// # Errors
        /// `Access(NotOwner)`, `ZeroAmount`, `InsufficientRewardFunding`, `Token`,
        /// `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `RewardsWithdrawn`, `UnclaimableRewardReleased`.
        #[ink(message)]
        pub fn withdraw_unreserved(
            &mut self,
            to: AccountId,
            amount: Balance,
        ) -> Result<(), StakingError> {
            self.access.ensure_owner()?;
            let cfg = self.config();
            self.epoch_info_released(&cfg)?;
            self.rewards.withdraw(amount)?;
            calls::transfer(cfg.token, to, amount)?;
            self.env().emit_event(RewardsWithdrawn { to, amount });
            Ok(())
        }

        /// FUNC the pool holds beyond its stakes and reward funds (sent by a plain
        /// `transfer`): `token balance − stakes − reward balance`. 0 if the token cannot be
        /// read.
        #[ink(message)]
        pub fn excess_funds(&self) -> Balance {
            self.excess().unwrap_or(0)
        }

        /// Owner only: sends `amount` FUNC of the excess (see `excess_funds`) to `to`.
        ///
        /// # Errors
        /// `Access(NotOwner)`, `ZeroAmount`, `InsufficientExcess`, `Token`,
        /// `CrossContractCall`.
        ///
        /// # Events
        /// `ExcessWithdrawn`.
        #[ink(message)]
        pub fn withdraw_excess(
            &mut self,
            to: AccountId,
            amount: Balance,
        ) -> Result<(), StakingError> {
            self.access.ensure_owner()?;
            ensure!(amount > 0, StakingError::ZeroAmount);
            let available = self.excess()?;
            ensure!(
                amount <= available,
                StakingError::InsufficientExcess { available }
            );
            calls::transfer(self.config().token, to, amount)?;
            self.env().emit_event(ExcessWithdrawn { to, amount });
            Ok(())
        }

        // ---- Scheduler -----------------------------------------------------------------------

        /// Scheduler only: reports (or corrects) the reward `total` (FUNC base units) and
        /// `total_shards` of `epoch`, an ended epoch that is not final, and reserves `total`
        /// (the epoch's boost is reserved already). Works while paused: a pause never costs an
        /// earned reward (reports move no FUNC).
        ///
        /// # Errors
        /// `Access(MissingRole(Scheduler))`, `EpochNotEnded`, `EpochFinalized`,
        /// `AboveHardCap`, `ShardsExceedTotal`, `InsufficientRewardFunding`,
        /// `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `RewardSetForEpoch`, `UnclaimableRewardReleased`.
        #[ink(message)]
        pub fn set_epoch_reward(
            &mut self,
            epoch: EpochId,
            total: Balance,
            total_shards: u64,
        ) -> Result<(), StakingError> {
            let by_owner = self.access.ensure_role_by_owner(Role::Scheduler)?;
            let info = self.epoch_info_released(&self.config())?;
            let reward =
                self.rewards
                    .set_epoch_reward(epoch, (total, total_shards), &info, by_owner)?;
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
        /// 0 shards remove a provider's record. Each provider must have held a stake here in
        /// `epoch`; the reward goes to whoever held it then. Works while paused.
        ///
        /// # Errors
        /// `Access(MissingRole(Scheduler))`, `InvalidBatchSize`, `EpochNotEnded`,
        /// `EpochFinalized`, `EpochRewardNotSet`, `NotStakedInEpoch`, `TooManyPendingEpochs`,
        /// `ShardsExceedTotal`, `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `ProviderShardsRecorded`, `UnclaimableRewardReleased`.
        #[ink(message)]
        pub fn record_provider_shards(
            &mut self,
            epoch: EpochId,
            shards: Vec<(ProviderId, u64)>,
        ) -> Result<(), StakingError> {
            let by_owner = self.access.ensure_role_by_owner(Role::Scheduler)?;
            let batch = ShardBatch::new(shards)?;
            let providers = batch.providers();
            let info = self.epoch_info_released(&self.config())?;
            let stakes = &self.stakes;
            let reward = self.rewards.record_provider_shards(
                epoch,
                batch,
                (&info, by_owner),
                |id, epoch| stakes.holder_in(id, epoch),
            )?;
            self.env().emit_event(ProviderShardsRecorded {
                epoch,
                providers,
                recorded_shards: reward.recorded_shards,
            });
            Ok(())
        }

        /// Closes every unreported ended epoch up to `through` as empty: no reward, and claims
        /// may pass it once its correction window has passed (the scheduler may still report
        /// it until then). For stretches the scheduler has no data for; epochs in which the
        /// pool held no stake need no report at all.
        ///
        /// # Errors
        /// `Access(MissingRole(Scheduler))`, `ReportsSuspended` (unless the owner calls),
        /// `EpochNotEnded`, `EpochFinalized` (every epoch up to `through` is final),
        /// `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `EpochsClosed`.
        #[ink(message)]
        pub fn close_unreported_epochs(&mut self, through: EpochId) -> Result<(), StakingError> {
            let by_owner = self.access.ensure_role_by_owner(Role::Scheduler)?;
            let info = self.epoch_info_released(&self.config())?;
            self.rewards.close_unreported(through, &info, by_owner)?;
            self.env().emit_event(EpochsClosed {
                by: self.env().caller(),
                through,
            });
            Ok(())
        }

        /// Stops the scheduler's reports (a leaked or faulty scheduler key): reports from
        /// anyone but the owner fail with `ReportsSuspended`, and no epoch becomes final until
        /// `resume_reports`, so nothing earned is lost and no bad report becomes final. The
        /// owner may still report and correct. Claims of epochs already final go on.
        ///
        /// # Errors
        /// `Access(NotOwner)`, `CrossContractCall`, `Overflow`.
        ///
        /// # Events
        /// `ReportsSuspended`.
        #[ink(message)]
        pub fn suspend_reports(&mut self) -> Result<(), StakingError> {
            self.access.ensure_owner()?;
            let info = self.epoch_info_released(&self.config())?;
            self.rewards.suspend_reports(info.current_epoch);
            self.env().emit_event(ReportsSuspended {
                epoch: info.current_epoch,
            });
            Ok(())
        }

        /// Resumes the scheduler's reports: every report not final yet gets a fresh correction
        /// window from the current epoch.
        ///
        /// # Errors
        /// `Access(NotOwner)`, `CrossContractCall`.
        ///
        /// # Events
        /// `ReportsResumed`.
        #[ink(message)]
        pub fn resume_reports(&mut self) -> Result<(), StakingError> {
            self.access.ensure_owner()?;
            let info = calls::epoch_info(self.config().epoch_controller)?;
            self.rewards.resume_reports(info.current_epoch);
            self.env().emit_event(ReportsResumed {
                epoch: info.current_epoch,
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

        /// Closed stake periods of `id` still in a report window (who held it, from which
        /// epoch to which).
        #[ink(message)]
        pub fn stake_periods(&self, id: ProviderId) -> Vec<StakePeriod> {
            self.stakes.periods(&id)
        }

        /// What `id`'s last holder here can claim now (through the last claimable epoch),
        /// including final epochs not yet folded into its ledger. Reads the epoch controller;
        /// 0 if that fails.
        #[ink(message)]
        pub fn pending_rewards(&self, id: ProviderId) -> Balance {
            self.last_earner(id)
                .map_or(0, |earner| self.pending_of(&earner))
        }

        /// What `owner` can claim now of the rewards it earned with `id` (a former holder's
        /// view of `pending_rewards`).
        #[ink(message)]
        pub fn pending_rewards_of(&self, id: ProviderId, owner: AccountId) -> Balance {
            self.pending_of(&(id, owner))
        }

        /// Rewards `id`'s last holder here earned with it in `from_epoch..=to_epoch`, claimed
        /// or not, final or not (computed with the current reports). `from_epoch` 0 counts as
        /// 1; an empty range gives 0.
        #[ink(message)]
        pub fn view_rewards(
            &self,
            id: ProviderId,
            from_epoch: EpochId,
            to_epoch: EpochId,
        ) -> Balance {
            self.last_earner(id)
                .and_then(|earner| {
                    self.rewards
                        .view_rewards(&earner, from_epoch, to_epoch)
                        .ok()
                })
                .unwrap_or(0)
        }

        /// Last epoch `id`'s last holder here claimed (0: none).
        #[ink(message)]
        pub fn claimed_through(&self, id: ProviderId) -> EpochId {
            self.last_earner(id)
                .map_or(0, |earner| self.rewards.claimed_through(&earner))
        }

        /// Last epoch `owner` claimed of what it earned with `id` (0: none).
        #[ink(message)]
        pub fn claimed_through_of(&self, id: ProviderId, owner: AccountId) -> EpochId {
            self.rewards.claimed_through(&(id, owner))
        }

        /// Shards recorded for `id` in `epoch` (0 if none), whoever held it then.
        #[ink(message)]
        pub fn provider_shards(&self, id: ProviderId, epoch: EpochId) -> u64 {
            self.stakes
                .holder_in(&id, epoch)
                .map_or(0, |owner| self.rewards.provider_shards(&(id, owner), epoch))
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

        /// Reward funds: `balance` (funded − paid − withdrawn) and `reserved` (promised to
        /// boosts and reports − paid − released), with every final epoch's unclaimable part
        /// already released. Falls back to the stored figures if the epoch controller cannot
        /// be read.
        #[ink(message)]
        pub fn reward_funding(&self) -> RewardFunding {
            calls::epoch_info(self.config().epoch_controller)
                .and_then(|info| self.rewards.funding_at(&info))
                .unwrap_or(self.rewards.funding())
        }

        /// Epochs whose reservation is not settled yet (reported or boosted, not final when
        /// the pool last changed), ascending.
        #[ink(message)]
        pub fn open_epochs(&self) -> Vec<EpochId> {
            self.rewards.open_epochs()
        }

        /// Most the scheduler may report as an epoch's total (`Balance::MAX`: no cap).
        #[ink(message)]
        pub fn epoch_reward_hard_cap(&self) -> Balance {
            self.rewards.hard_cap()
        }

        /// The pool's final frontier now: epochs up to it are claimable and no longer
        /// reportable. It is the epoch controller's `last_claimable_epoch` while the scheduler
        /// reports in time, and stops before the first ended epoch not reported (see the
        /// README, "Finality"). 0 if the epoch controller cannot be read.
        #[ink(message)]
        pub fn finalized_through(&self) -> EpochId {
            calls::epoch_info(self.config().epoch_controller)
                .map_or(0, |info| self.rewards.final_through(&info))
        }

        /// Every ended epoch up to the returned one is reported, closed, or had no stake in
        /// the pool. 0 if the epoch controller cannot be read.
        #[ink(message)]
        pub fn reported_through(&self) -> EpochId {
            calls::epoch_info(self.config().epoch_controller)
                .map_or(0, |info| self.rewards.reported_through(info.current_epoch))
        }

        /// The owner has suspended the scheduler's reports (`suspend_reports`).
        #[ink(message)]
        pub fn reports_suspended(&self) -> bool {
            self.rewards.reports_suspended()
        }

        #[ink(message)]
        pub fn model_id(&self) -> ModelId {
            self.config().model_id
        }

        #[ink(message)]
        pub fn token(&self) -> AccountId {
            self.config().token
        }

        #[ink(message)]
        pub fn registry(&self) -> AccountId {
            self.config().registry
        }

        #[ink(message)]
        pub fn router(&self) -> AccountId {
            self.config().router
        }

        #[ink(message)]
        pub fn epoch_controller(&self) -> AccountId {
            self.config().epoch_controller
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

        /// Pauser only: stops staking, claims and boosts; never unstaking, funding or the
        /// scheduler's reports (`suspend_reports` stops those).
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
        pub fn set_upgrade_note(&mut self, note: u32) -> Result<(), StakingError> {
            self.access.ensure_owner()?;
            self.upgrade_note.set(&note);
            Ok(())
        }

        // ---- Internals -----------------------------------------------------------------------

        /// The `PCFG` cell, written by the constructor. Read it once per message where several
        /// of its fields are needed.
        fn config(&self) -> PoolConfig {
            self.config.get().unwrap_or(PoolConfig {
                model_id: 0,
                token: AccountId::from([0; 32]),
                registry: AccountId::from([0; 32]),
                epoch_controller: AccountId::from([0; 32]),
                router: AccountId::from([0; 32]),
            })
        }

        /// Asks the registry for `id` and checks that the caller owns it.
        fn owned_view(&self, id: &ProviderId) -> Result<ProviderView, StakingError> {
            let view = calls::staking_view(self.config().registry, id.clone())?;
            ensure!(
                view.owner == self.env().caller(),
                StakingError::NotProviderOwner
            );
            Ok(view)
        }

        /// The view under which `owner`, no longer `id`'s holder, claims what it earned with
        /// it: no jail (the id is no longer its to route).
        ///
        /// # Errors
        /// `NotProviderOwner` if `owner` never earned anything with `id` here.
        fn former_holder_view(
            &self,
            id: &ProviderId,
            owner: AccountId,
        ) -> Result<ProviderView, StakingError> {
            ensure!(
                self.rewards.claimed_through(&(id.clone(), owner)) > 0
                    || self.pending_of(&(id.clone(), owner)) > 0,
                StakingError::NotProviderOwner
            );
            Ok(ProviderView {
                owner,
                model_id: self.config().model_id,
                whitelisted: false,
                jailed_until: 0,
                deactivated: true,
            })
        }

        fn ensure_registry(&self) -> Result<(), StakingError> {
            ensure!(
                self.env().caller() == self.config().registry,
                StakingError::NotRegistry
            );
            Ok(())
        }

        /// `id` with the owner of its current stake, else of its latest closed period.
        fn last_earner(&self, id: ProviderId) -> Option<Earner> {
            let owner = self.stakes.last_holder(&id)?;
            Some((id, owner))
        }

        /// What `earner` can claim now; 0 if the epoch controller cannot be read.
        fn pending_of(&self, earner: &Earner) -> Balance {
            calls::epoch_info(self.config().epoch_controller)
                .and_then(|info| self.rewards.pending_rewards(earner, &info))
                .unwrap_or(0)
        }

        /// Token balance of the pool beyond stakes and reward funds.
        fn excess(&self) -> Result<Balance, StakingError> {
            let held = calls::balance_of(self.config().token, self.env().account_id())?;
            let owed = self
                .stakes
                .total()
                .checked_add(self.rewards.funding().balance)
                .ok_or(StakingError::Overflow)?;
            Ok(held.saturating_sub(owed))
        }

        /// Reads the epoch clock and settles every epoch that became final: what nobody can
        /// claim from it returns to the unreserved funds (one event per epoch).
        fn epoch_info_released(&mut self, cfg: &PoolConfig) -> Result<EpochInfo, StakingError> {
            let info = calls::epoch_info(cfg.epoch_controller)?;
            for (epoch, amount) in self.rewards.release_final(&info)? {
                self.env()
                    .emit_event(UnclaimableRewardReleased { epoch, amount });
            }
            Ok(info)
        }

        /// Stakes for `id` as described by `view` (already authorised).
        fn stake(&mut self, id: ProviderId, view: ProviderView) -> Result<Balance, StakingError> {
            let cfg = self.config();
            stakes::ensure_serves(&view, cfg.model_id)?;
            let info = calls::epoch_info(cfg.epoch_controller)?;
            stakes::ensure_not_jailed(&view, info.current_epoch)?;
            let model = calls::model_context(cfg.router, cfg.model_id)?;
            stakes::ensure_enabled(&model)?;
            let rewards = &self.rewards;
            let (amount, first_in_pool) = self.stakes.stake(
                &id,
                view.owner,
                model.stake_amount,
                (info.current_epoch, || rewards.final_through(&info)),
            )?;
            if first_in_pool {
                self.rewards.stake_total_changed(true, info.current_epoch);
            }
            calls::transfer_from(cfg.token, view.owner, self.env().account_id(), amount)?;
            self.env().emit_event(ProviderStaked {
                id,
                model_id: cfg.model_id,
                epoch: info.current_epoch,
                amount,
                owner: view.owner,
            });
            Ok(amount)
        }

        /// Unstakes `id` for `view.owner` (already authorised) and pays it back; `forced`
        /// skips the lock.
        fn unstake(
            &mut self,
            id: ProviderId,
            view: ProviderView,
            forced: bool,
        ) -> Result<Balance, StakingError> {
            let cfg = self.config();
            let info = calls::epoch_info(cfg.epoch_controller)?;
            let finalized = self.finality(&info);
            let amount = self.remove_stake(id, &view, forced, &info, (cfg.model_id, finalized))?;
            calls::transfer(cfg.token, view.owner, amount)?;
            Ok(amount)
        }

        /// Removes `id`'s stake (owned by `view.owner`) and emits `ProviderUnstaked`; the
        /// caller pays the returned amount to the owner.
        fn remove_stake(
            &mut self,
            id: ProviderId,
            view: &ProviderView,
            forced: bool,
            info: &EpochInfo,
            (model_id, finalized): (ModelId, EpochId),
        ) -> Result<Balance, StakingError> {
            let lock = (!forced).then_some(info.min_epochs_locked);
            let (stake, pool_emptied) = self.stakes.unstake_for(
                &id,
                Some(view.owner),
                lock,
                info.current_epoch,
                finalized,
            )?;
            if pool_emptied {
                self.rewards.stake_total_changed(false, info.current_epoch);
            }
            self.env().emit_event(ProviderUnstaked {
                id,
                model_id,
                epoch: info.current_epoch,
                amount: stake.amount,
                owner: stake.owner,
            });
            Ok(stake.amount)
        }

        /// Epochs up to this are final: the stored finality or the controller's, if ahead.
        fn finality(&self, info: &EpochInfo) -> EpochId {
            self.rewards.final_through(info)
        }

        /// Claims what `view.owner` earned with `id` and pays it (already authorised).
        fn claim(
            &mut self,
            id: ProviderId,
            view: ProviderView,
            from_epoch: EpochId,
            to_epoch: EpochId,
        ) -> Result<Balance, StakingError> {
            let cfg = self.config();
            let info = self.epoch_info_released(&cfg)?;
            let mut session = self.rewards.begin_claims();
            let amount = self.take_reward(
                id,
                &view,
                (from_epoch, to_epoch),
                (&info, cfg.model_id),
                &mut session,
            )?;
            self.rewards.end_claims(session);
            calls::transfer(cfg.token, view.owner, amount)?;
            Ok(amount)
        }

        /// Settles `view.owner`'s claim of `id` in the ledger and emits
        /// `ProviderClaimedRewards`; the caller pays the returned amount.
        fn take_reward(
            &mut self,
            id: ProviderId,
            view: &ProviderView,
            (from_epoch, to_epoch): (EpochId, EpochId),
            (info, model_id): (&EpochInfo, ModelId),
            session: &mut ClaimSession,
        ) -> Result<Balance, StakingError> {
            stakes::ensure_not_jailed_here(view, model_id, info.current_epoch)?;
            let earner = (id, view.owner);
            let (amount, to_epoch) = self
                .rewards
                .claim_in(session, &earner, from_epoch, to_epoch, info)?;
            self.env().emit_event(ProviderClaimedRewards {
                id: earner.0,
                model_id,
                from_epoch,
                to_epoch,
                amount,
                owner: view.owner,
            });
            Ok(amount)
        }

        /// Runs `one` for each cluster entry of `owner` (each entry's failure is its own and
        /// writes nothing) and returns the results with their sum. Bound: the caller checked
        /// `ensure_cluster_size`.
        fn for_cluster(
            &mut self,
            owner: AccountId,
            entries: Vec<(ProviderId, ProviderView)>,
            mut one: impl FnMut(&mut Self, ProviderId, &ProviderView) -> Result<Balance, StakingError>,
        ) -> Result<(Vec<Result<Balance, StakingError>>, Balance), StakingError> {
            let mut total: Balance = 0;
            let mut results = Vec::with_capacity(entries.len());
            // Bound: at most MAX_PROVIDERS_PER_OWNER entries.
            for (id, view) in entries {
                let result = if view.owner == owner {
                    one(self, id, &view)
                } else {
                    Err(StakingError::NotProviderOwner)
                };
                if let Ok(amount) = result {
                    total = total.checked_add(amount).ok_or(StakingError::Overflow)?;
                }
                results.push(result);
            }
            Ok((results, total))
        }
    }

    /// A cluster call lists at most `MAX_PROVIDERS_PER_OWNER` providers.
    fn ensure_cluster_size<T>(entries: &[T]) -> Result<(), StakingError> {
        ensure!(
            entries.len() <= MAX_PROVIDERS_PER_OWNER as usize,
            StakingError::InvalidBatchSize
        );
        Ok(())
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
        fn claim_cluster_for_registered(
            &mut self,
            owner: AccountId,
            entries: Vec<(ProviderId, ProviderView)>,
            from_epoch: EpochId,
            to_epoch: EpochId,
        ) -> Result<Vec<Result<Balance, StakingError>>, StakingError> {
            self.ensure_registry()?;
            self.access.ensure_not_paused()?;
            ensure_cluster_size(&entries)?;
            let cfg = self.config();
            let info = self.epoch_info_released(&cfg)?;
            // One session for the page: the ledger's scalars are read and written once, each
            // epoch report read once.
            let mut session = self.rewards.begin_claims();
            // One range for every pool of the owner: each claims through its own frontier.
            session.up_to = true;
            let (results, total) = self.for_cluster(owner, entries, |pool, id, view| {
                pool.take_reward(
                    id,
                    view,
                    (from_epoch, to_epoch),
                    (&info, cfg.model_id),
                    &mut session,
                )
            })?;
            self.rewards.end_claims(session);
            if total > 0 {
                calls::transfer(cfg.token, owner, total)?;
            }
            Ok(results)
        }

        #[ink(message)]
        fn unstake_cluster_for_registered(
            &mut self,
            owner: AccountId,
            entries: Vec<(ProviderId, ProviderView)>,
        ) -> Result<Vec<Result<Balance, StakingError>>, StakingError> {
            self.ensure_registry()?;
            ensure_cluster_size(&entries)?;
            let cfg = self.config();
            let info = calls::epoch_info(cfg.epoch_controller)?;
            // Read once for the page: finality does not move within a call.
            let finalized = self.finality(&info);
            let (results, total) = self.for_cluster(owner, entries, |pool, id, view| {
                pool.remove_stake(id, view, false, &info, (cfg.model_id, finalized))
            })?;
            if total > 0 {
                calls::transfer(cfg.token, owner, total)?;
            }
            Ok(results)
        }

        #[ink(message)]
        fn release_for_registered(
            &mut self,
            id: ProviderId,
            view: ProviderView,
        ) -> Result<Balance, StakingError> {
            self.ensure_registry()?;
            self.unstake(id, view, true)
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
