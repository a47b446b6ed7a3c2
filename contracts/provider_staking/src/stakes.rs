//! Provider stakes (principal), who held each id in which epochs, and the eligibility rules of
//! staking and claiming.
//!
//! A *stake period* is a run of epochs in which one owner kept a stake for an id: from the epoch
//! of its first stake to the epoch of its unstake, both included. Shards (and so rewards) can
//! only be recorded for an epoch inside a period of the id, and they go to that period's owner.
//! Closed periods are kept while their epochs can still be reported (after the finality
//! frontier); the latest one is always kept, so the pool knows the id's last holder.
use func_interfaces::{
    ensure, limits::MAX_REWARD_DELAY, AccountId, Balance, EpochId, ModelContext, ModelId,
    ProviderId, ProviderView, StakingError,
};
use ink::{
    prelude::vec::Vec,
    storage::{traits::ManualKey, Lazy, Mapping},
};

/// Most closed stake periods kept per id. Only periods ending after the final frontier are
/// kept (their epochs can still be reported); a new stake of an id with this many is refused
/// (`TooManyStakePeriods`) until the reports of its old periods are final, so no period that
/// can still earn is ever dropped.
pub const MAX_STAKE_PERIODS: usize = MAX_REWARD_DELAY as usize + 1;

/// A provider's stake in this pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct StakeInfo {
    /// FUNC staked; never above the model's stake amount at the time of staking.
    pub amount: Balance,
    /// Epoch of the stake that started the lock: the period's first stake. A top-up (after
    /// the model's requirement rose) does not restart the lock.
    pub last_stake_epoch: EpochId,
    /// Epoch of the first stake of the current period (top-ups keep it).
    pub staked_since: EpochId,
    /// The provider's owner, who staked and gets the stake and the period's rewards.
    pub owner: AccountId,
}

/// A closed stake period: `owner` held a stake for the id in `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct StakePeriod {
    pub from: EpochId,
    pub to: EpochId,
    pub owner: AccountId,
}

impl StakePeriod {
    fn covers(&self, epoch: EpochId) -> bool {
        (self.from..=self.to).contains(&epoch)
    }
}

/// All stakes of the pool, their sum and the closed periods still in a report window.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Stakes {
    total: Lazy<Balance, ManualKey<0x5354_4f54>>, // "STOT"
    stakes: Mapping<ProviderId, StakeInfo, ManualKey<0x5354_414b>>, // "STAK"
    periods: Mapping<ProviderId, Vec<StakePeriod>, ManualKey<0x5045_5244>>, // "PERD"
}

impl Stakes {
    /// Sum of all stakes.
    pub fn total(&self) -> Balance {
        self.total.get().unwrap_or(0)
    }

    pub fn get(&self, id: &ProviderId) -> Option<StakeInfo> {
        self.stakes.get(id)
    }

    /// The staked amount of `id` (0 if none).
    pub fn amount(&self, id: &ProviderId) -> Balance {
        self.get(id).map_or(0, |stake| stake.amount)
    }

    /// Closed stake periods of `id` still kept, oldest first.
    pub fn periods(&self, id: &ProviderId) -> Vec<StakePeriod> {
        self.periods.get(id).unwrap_or_default()
    }

    /// Who held `id` in `epoch`: the owner of the stake period covering it; `None` if `id`
    /// was not staked in `epoch` (or that period is no longer kept: its epoch is final). When
    /// the id changed hands within `epoch`, the epoch is the earlier holder's, who served in
    /// it: a new holder's stake counts from the next epoch.
    pub fn holder_in(&self, id: &ProviderId, epoch: EpochId) -> Option<AccountId> {
        let stake = self.get(id);
        if let Some(stake) = stake.filter(|stake| stake.staked_since < epoch) {
            // After the first epoch of the current period no closed period can cover `epoch`:
            // one cell read, the usual case of a report.
            return Some(stake.owner);
        }
        // Bound: at most MAX_STAKE_PERIODS periods.
        let closed = self
            .periods(id)
            .iter()
            .find(|period| period.covers(epoch))
            .map(|period| period.owner);
        closed.or_else(|| {
            stake
                .filter(|stake| stake.staked_since == epoch)
                .map(|stake| stake.owner)
        })
    }

    /// The owner of `id`'s current stake, else of its latest closed period.
    pub fn last_holder(&self, id: &ProviderId) -> Option<AccountId> {
        self.get(id)
            .map(|stake| stake.owner)
            .or_else(|| self.periods(id).last().map(|period| period.owner))
    }

    /// Tops `id`'s stake up to `required` for `owner` in `epoch`; returns the amount added,
    /// which the caller must then pull from the owner, and whether the pool held no stake
    /// before. A first stake starts the lock; a top-up keeps it. `finalized` gives the final
    /// frontier, read only when the id's closed periods must be pruned.
    ///
    /// # Errors
    /// `AlreadyFullyStaked` if nothing is missing; `NotProviderOwner` if another owner holds
    /// the stake (an id changes hands only after a full unstake); `TooManyStakePeriods`;
    /// `Overflow`.
    pub fn stake(
        &mut self,
        id: &ProviderId,
        owner: AccountId,
        required: Balance,
        (epoch, finalized): (EpochId, impl FnOnce() -> EpochId),
    ) -> Result<(Balance, bool), StakingError> {
        let existing = self.get(id);
        if let Some(stake) = existing {
            ensure!(stake.owner == owner, StakingError::NotProviderOwner);
        }
        let current = existing.map_or(0, |stake| stake.amount);
        // A stake above a since-lowered requirement is simply "nothing missing".
        let missing = required.saturating_sub(current);
        ensure!(missing > 0, StakingError::AlreadyFullyStaked);
        if existing.is_none() {
            self.ensure_period_room(id, finalized)?;
        }
        let before = self.total();
        let total = before.checked_add(missing).ok_or(StakingError::Overflow)?;
        self.stakes.insert(
            id,
            &StakeInfo {
                amount: required,
                last_stake_epoch: existing.map_or(epoch, |stake| stake.last_stake_epoch),
                staked_since: existing.map_or(epoch, |stake| stake.staked_since),
                owner,
            },
        );
        self.total.set(&total);
        Ok((missing, before == 0))
    }

    /// A new period of `id` will need a place when it closes: prunes the final periods if the
    /// list is full, and refuses if it still is.
    fn ensure_period_room(
        &mut self,
        id: &ProviderId,
        finalized: impl FnOnce() -> EpochId,
    ) -> Result<(), StakingError> {
        let mut periods = self.periods.get(id).unwrap_or_default();
        if periods.len() < MAX_STAKE_PERIODS {
            return Ok(());
        }
        let finalized = finalized();
        periods.retain(|period| period.to > finalized);
        ensure!(
            periods.len() < MAX_STAKE_PERIODS,
            StakingError::TooManyStakePeriods
        );
        self.periods.insert(id, &periods);
        Ok(())
    }

    /// Removes `id`'s whole stake once `current_epoch >= last_stake_epoch + min_epochs_locked`
    /// and closes its period; returns the stake, whose amount the caller must then pay back to
    /// its owner. `finalized_through` prunes periods that can no longer be reported.
    ///
    /// # Errors
    /// `NotStaked`; `StillLocked` with the first epoch that allows unstaking; `Overflow`.
    pub fn unstake(
        &mut self,
        id: &ProviderId,
        current_epoch: EpochId,
        min_epochs_locked: u32,
        finalized_through: EpochId,
    ) -> Result<StakeInfo, StakingError> {
        self.unstake_for(
            id,
            None,
            Some(min_epochs_locked),
            current_epoch,
            finalized_through,
        )
        .map(|(stake, _)| stake)
    }

    /// Removes `id`'s whole stake now, lock or not (governance release of a disputed id; the
    /// stake still goes back to its owner).
    ///
    /// # Errors
    /// `NotStaked`; `Overflow`.
    pub fn force_unstake(
        &mut self,
        id: &ProviderId,
        current_epoch: EpochId,
        finalized_through: EpochId,
    ) -> Result<StakeInfo, StakingError> {
        self.unstake_for(id, None, None, current_epoch, finalized_through)
            .map(|(stake, _)| stake)
    }

    /// [`Self::unstake`] (with `lock` = `Some(min_epochs_locked)`) or [`Self::force_unstake`]
    /// (`None`) for the stake of `owner`, when given: the stake is read once. Also returns
    /// whether the pool holds no stake any more.
    ///
    /// # Errors
    /// `NotStaked`; `NotProviderOwner` if `owner` does not hold the stake; `StillLocked`;
    /// `Overflow`.
    pub fn unstake_for(
        &mut self,
        id: &ProviderId,
        owner: Option<AccountId>,
        lock: Option<u32>,
        current_epoch: EpochId,
        finalized_through: EpochId,
    ) -> Result<(StakeInfo, bool), StakingError> {
        let stake = self.get(id).ok_or(StakingError::NotStaked)?;
        if let Some(owner) = owner {
            // Ids change hands only after a full unstake, so this always holds.
            ensure!(stake.owner == owner, StakingError::NotProviderOwner);
        }
        if let Some(min_epochs_locked) = lock {
            let unlock_epoch = stake
                .last_stake_epoch
                .checked_add(min_epochs_locked)
                .ok_or(StakingError::Overflow)?;
            ensure!(
                current_epoch >= unlock_epoch,
                StakingError::StillLocked { unlock_epoch }
            );
        }
        self.remove(id, stake, current_epoch, finalized_through)
    }

    fn remove(
        &mut self,
        id: &ProviderId,
        stake: StakeInfo,
        current_epoch: EpochId,
        finalized_through: EpochId,
    ) -> Result<(StakeInfo, bool), StakingError> {
        let total = self
            .total()
            .checked_sub(stake.amount)
            .ok_or(StakingError::Overflow)?;
        let mut periods = self.periods(id);
        // Periods whose every epoch is final can never be reported again. A stake starts only
        // with room for its period (`ensure_period_room`), so none is ever dropped here.
        periods.retain(|period| period.to > finalized_through);
        periods.push(StakePeriod {
            from: stake.staked_since,
            to: current_epoch,
            owner: stake.owner,
        });
        self.stakes.remove(id);
        self.periods.insert(id, &periods);
        self.total.set(&total);
        Ok((stake, total == 0))
    }
}

/// Checks that need no other contract: the provider serves this pool's model and is
/// whitelisted.
///
/// # Errors
/// `WrongModel`, `NotWhitelisted`.
pub fn ensure_serves(view: &ProviderView, model_id: ModelId) -> Result<(), StakingError> {
    ensure!(view.model_id == model_id, StakingError::WrongModel);
    ensure!(view.whitelisted, StakingError::NotWhitelisted);
    Ok(())
}

/// # Errors
/// `ProviderJailed` while `epoch < view.jailed_until`.
pub fn ensure_not_jailed(view: &ProviderView, epoch: EpochId) -> Result<(), StakingError> {
    ensure!(
        !view.jailed_at(epoch),
        StakingError::ProviderJailed {
            until_epoch: view.jailed_until
        }
    );
    Ok(())
}

/// The jail rule of claims: a jail is part of an id's registration, so it blocks the claims of
/// the id's holder in the pool of the model the id is registered for, and nothing else —
/// rewards earned under an earlier registration (another model, or by a former holder) stay
/// claimable.
///
/// # Errors
/// `ProviderJailed` while `view` is registered for `model_id` and jailed at `epoch`.
pub fn ensure_not_jailed_here(
    view: &ProviderView,
    model_id: ModelId,
    epoch: EpochId,
) -> Result<(), StakingError> {
    if view.model_id == model_id {
        ensure_not_jailed(view, epoch)?;
    }
    Ok(())
}

/// # Errors
/// `ModelDisabled`.
pub fn ensure_enabled(model: &ModelContext) -> Result<(), StakingError> {
    ensure!(model.enabled, StakingError::ModelDisabled);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ink::prelude::vec;

    fn id(n: u8) -> ProviderId {
        ink::prelude::vec![n; 8]
    }

    /// A stake with no period pruning (the final frontier 0).
    fn stake(
        stakes: &mut Stakes,
        id: &ProviderId,
        owner: AccountId,
        required: Balance,
        epoch: EpochId,
    ) -> Result<Balance, StakingError> {
        stakes
            .stake(id, owner, required, (epoch, || 0))
            .map(|(amount, _)| amount)
    }

    fn owner() -> AccountId {
        AccountId::from([1; 32])
    }

    fn other() -> AccountId {
        AccountId::from([2; 32])
    }

    #[ink::test]
    fn stake_by_another_owner_than_the_holder_fails() {
        let mut stakes = Stakes::default();
        stake(&mut stakes, &id(1), owner(), 100, 3).unwrap();
        assert_eq!(
            stake(&mut stakes, &id(1), other(), 150, 4),
            Err(StakingError::NotProviderOwner)
        );
    }

    #[ink::test]
    fn holder_in_follows_the_stake_periods() {
        let mut stakes = Stakes::default();
        assert_eq!(stakes.holder_in(&id(1), 3), None);
        stake(&mut stakes, &id(1), owner(), 100, 3).unwrap();
        assert_eq!(stakes.holder_in(&id(1), 2), None);
        assert_eq!(stakes.holder_in(&id(1), 3), Some(owner()));
        assert_eq!(stakes.holder_in(&id(1), 50), Some(owner()));
        stakes.unstake(&id(1), 6, 2, 0).unwrap();
        assert_eq!(stakes.holder_in(&id(1), 6), Some(owner()));
        assert_eq!(stakes.holder_in(&id(1), 7), None);
        // The id changes hands in epoch 6: epoch 6 stays the earlier holder's, who served in
        // it; the new holder has the id from epoch 7 on.
        stake(&mut stakes, &id(1), other(), 100, 6).unwrap();
        assert_eq!(stakes.holder_in(&id(1), 5), Some(owner()));
        assert_eq!(stakes.holder_in(&id(1), 6), Some(owner()));
        assert_eq!(stakes.holder_in(&id(1), 7), Some(other()));
        assert_eq!(stakes.last_holder(&id(1)), Some(other()));
        stakes.unstake(&id(1), 9, 2, 0).unwrap();
        assert_eq!(stakes.last_holder(&id(1)), Some(other()));
        assert_eq!(stakes.periods(&id(1)).len(), 2);
    }

    #[ink::test]
    fn unstake_prunes_final_periods_but_keeps_the_latest() {
        let mut stakes = Stakes::default();
        stake(&mut stakes, &id(1), owner(), 100, 1).unwrap();
        stakes.unstake(&id(1), 2, 1, 0).unwrap();
        stake(&mut stakes, &id(1), owner(), 100, 3).unwrap();
        stakes.unstake(&id(1), 4, 1, 2).unwrap();
        assert_eq!(
            stakes.periods(&id(1)),
            vec![StakePeriod {
                from: 3,
                to: 4,
                owner: owner()
            }]
        );
        assert_eq!(stakes.holder_in(&id(1), 1), None);
    }

    #[ink::test]
    fn force_unstake_ignores_the_lock() {
        let mut stakes = Stakes::default();
        stake(&mut stakes, &id(1), owner(), 100, 5).unwrap();
        assert_eq!(
            stakes.force_unstake(&id(1), 5, 0).map(|s| s.amount),
            Ok(100)
        );
        assert_eq!(stakes.total(), 0);
        assert_eq!(
            stakes.force_unstake(&id(1), 5, 0),
            Err(StakingError::NotStaked)
        );
    }

    fn view() -> ProviderView {
        ProviderView {
            owner: AccountId::from([1; 32]),
            model_id: 7,
            whitelisted: true,
            jailed_until: 0,
            deactivated: false,
        }
    }

    #[test]
    fn a_jail_blocks_claims_only_in_the_model_the_id_is_registered_for() {
        // Issue 17, item 5: an id now registered (and jailed) for model 7 does not block what
        // its holder earned with it in model 1's pool; in model 7's pool it does.
        let jailed = ProviderView {
            jailed_until: 10,
            ..view()
        };
        assert_eq!(ensure_not_jailed_here(&jailed, 1, 5), Ok(()));
        assert_eq!(
            ensure_not_jailed_here(&jailed, 7, 5),
            Err(StakingError::ProviderJailed { until_epoch: 10 })
        );
        assert_eq!(ensure_not_jailed_here(&jailed, 7, 10), Ok(()));
    }

    #[ink::test]
    fn stake_first_time_adds_the_requirement() {
        let mut stakes = Stakes::default();
        assert_eq!(stake(&mut stakes, &id(1), owner(), 100, 3), Ok(100));
        assert_eq!(
            stakes.get(&id(1)),
            Some(StakeInfo {
                amount: 100,
                last_stake_epoch: 3,
                staked_since: 3,
                owner: owner(),
            })
        );
        assert_eq!(stakes.total(), 100);
    }

    #[ink::test]
    fn stake_after_requirement_rise_adds_only_the_missing_part() {
        let mut stakes = Stakes::default();
        stake(&mut stakes, &id(1), owner(), 100, 3).unwrap();
        stake(&mut stakes, &id(2), owner(), 100, 3).unwrap();
        assert_eq!(stake(&mut stakes, &id(1), owner(), 150, 9), Ok(50));
        assert_eq!(
            stakes.get(&id(1)),
            Some(StakeInfo {
                amount: 150,
                last_stake_epoch: 3,
                staked_since: 3,
                owner: owner(),
            })
        );
        assert_eq!(stakes.total(), 250);
    }

    #[ink::test]
    fn stake_when_full_or_above_a_lowered_requirement_fails() {
        let mut stakes = Stakes::default();
        stake(&mut stakes, &id(1), owner(), 100, 3).unwrap();
        assert_eq!(
            stake(&mut stakes, &id(1), owner(), 100, 4),
            Err(StakingError::AlreadyFullyStaked)
        );
        assert_eq!(
            stake(&mut stakes, &id(1), owner(), 60, 4),
            Err(StakingError::AlreadyFullyStaked)
        );
        assert_eq!(stakes.get(&id(1)).unwrap().last_stake_epoch, 3);
        assert_eq!(stakes.total(), 100);
    }

    #[ink::test]
    fn stake_of_zero_requirement_fails() {
        let mut stakes = Stakes::default();
        assert_eq!(
            stake(&mut stakes, &id(1), owner(), 0, 1),
            Err(StakingError::AlreadyFullyStaked)
        );
        assert_eq!(stakes.get(&id(1)), None);
    }

    #[ink::test]
    fn unstake_without_stake_fails() {
        let mut stakes = Stakes::default();
        assert_eq!(
            stakes.unstake(&id(1), 10, 2, 0).map(|stake| stake.amount),
            Err(StakingError::NotStaked)
        );
    }

    #[ink::test]
    fn unstake_before_lock_end_fails() {
        let mut stakes = Stakes::default();
        stake(&mut stakes, &id(1), owner(), 100, 5).unwrap();
        assert_eq!(
            stakes.unstake(&id(1), 7, 3, 0).map(|stake| stake.amount),
            Err(StakingError::StillLocked { unlock_epoch: 8 })
        );
        assert_eq!(stakes.amount(&id(1)), 100);
        assert_eq!(stakes.total(), 100);
    }

    #[ink::test]
    fn unstake_at_lock_end_returns_the_whole_stake() {
        let mut stakes = Stakes::default();
        stake(&mut stakes, &id(1), owner(), 100, 5).unwrap();
        stake(&mut stakes, &id(2), owner(), 100, 5).unwrap();
        assert_eq!(
            stakes.unstake(&id(1), 8, 3, 0).map(|stake| stake.amount),
            Ok(100)
        );
        assert_eq!(stakes.get(&id(1)), None);
        assert_eq!(stakes.total(), 100);
        assert_eq!(
            stakes.unstake(&id(1), 8, 3, 0).map(|stake| stake.amount),
            Err(StakingError::NotStaked)
        );
    }

    #[ink::test]
    fn a_top_up_keeps_the_lock_of_the_first_stake() {
        // Issue 17, item 5: staked in epoch 3 with a lock of 2, topped up by 1 in epoch 4
        // after the requirement rose: still unstakes in epoch 5.
        let mut stakes = Stakes::default();
        stake(&mut stakes, &id(1), owner(), 100, 3).unwrap();
        assert_eq!(stake(&mut stakes, &id(1), owner(), 101, 4), Ok(1));
        assert_eq!(
            stakes.unstake(&id(1), 4, 2, 0).map(|stake| stake.amount),
            Err(StakingError::StillLocked { unlock_epoch: 5 })
        );
        assert_eq!(
            stakes.unstake(&id(1), 5, 2, 0).map(|stake| stake.amount),
            Ok(101)
        );
        // A new period starts a new lock.
        stake(&mut stakes, &id(1), owner(), 100, 9).unwrap();
        assert_eq!(
            stakes.unstake(&id(1), 10, 2, 0).map(|stake| stake.amount),
            Err(StakingError::StillLocked { unlock_epoch: 11 })
        );
    }

    #[ink::test]
    #[allow(clippy::arithmetic_side_effects)] // small test epochs
    fn a_stake_waits_for_room_for_its_period_and_never_drops_one() {
        let mut stakes = Stakes::default();
        for n in 0..MAX_STAKE_PERIODS as EpochId {
            stake(&mut stakes, &id(1), owner(), 100, 2 * n + 1).unwrap();
            stakes.unstake(&id(1), 2 * n + 2, 1, 0).unwrap();
        }
        let epoch = 2 * MAX_STAKE_PERIODS as EpochId + 1;
        // Nothing final: every period can still be reported.
        assert_eq!(
            stakes
                .stake(&id(1), owner(), 100, (epoch, || 0))
                .map(|(amount, _)| amount),
            Err(StakingError::TooManyStakePeriods)
        );
        assert_eq!(stakes.periods(&id(1)).len(), MAX_STAKE_PERIODS);
        // Once the first ten periods are final, there is room.
        assert_eq!(
            stakes
                .stake(&id(1), owner(), 100, (epoch, || 20))
                .map(|(amount, _)| amount),
            Ok(100)
        );
        assert_eq!(stakes.periods(&id(1)).len(), MAX_STAKE_PERIODS - 10);
        assert_eq!(stakes.holder_in(&id(1), 21), Some(owner()));
    }

    #[ink::test]
    fn stake_and_unstake_tell_when_the_pool_empties_or_fills() {
        let mut stakes = Stakes::default();
        assert_eq!(
            stakes.stake(&id(1), owner(), 100, (1, || 0)),
            Ok((100, true))
        );
        assert_eq!(
            stakes.stake(&id(2), owner(), 100, (1, || 0)),
            Ok((100, false))
        );
        assert!(!stakes.unstake_for(&id(1), None, None, 2, 0).unwrap().1);
        assert!(stakes.unstake_for(&id(2), None, None, 2, 0).unwrap().1);
    }

    #[ink::test]
    fn unstake_lock_overflow_fails() {
        let mut stakes = Stakes::default();
        stake(&mut stakes, &id(1), owner(), 100, EpochId::MAX).unwrap();
        assert_eq!(
            stakes
                .unstake(&id(1), EpochId::MAX, 1, 0)
                .map(|stake| stake.amount),
            Err(StakingError::Overflow)
        );
    }

    #[test]
    fn ensure_serves_checks_model_then_whitelist() {
        assert_eq!(ensure_serves(&view(), 7), Ok(()));
        assert_eq!(ensure_serves(&view(), 8), Err(StakingError::WrongModel));
        let unlisted = ProviderView {
            whitelisted: false,
            ..view()
        };
        assert_eq!(
            ensure_serves(&unlisted, 7),
            Err(StakingError::NotWhitelisted)
        );
    }

    #[test]
    fn ensure_not_jailed_fails_before_the_release_epoch() {
        let jailed = ProviderView {
            jailed_until: 10,
            ..view()
        };
        assert_eq!(
            ensure_not_jailed(&jailed, 9),
            Err(StakingError::ProviderJailed { until_epoch: 10 })
        );
        assert_eq!(ensure_not_jailed(&jailed, 10), Ok(()));
        assert_eq!(ensure_not_jailed(&view(), 1), Ok(()));
    }

    #[test]
    fn ensure_enabled_refuses_a_disabled_model() {
        let model = ModelContext {
            stake_amount: 1,
            enabled: false,
            pool: AccountId::from([2; 32]),
        };
        assert_eq!(ensure_enabled(&model), Err(StakingError::ModelDisabled));
        let enabled = ModelContext {
            enabled: true,
            ..model
        };
        assert_eq!(ensure_enabled(&enabled), Ok(()));
    }
}
