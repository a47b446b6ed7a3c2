//! Provider stakes (principal) and the eligibility rules of staking and claiming.
use func_interfaces::{
    ensure, Balance, EpochId, ModelContext, ModelId, ProviderId, ProviderView, StakingError,
};
use ink::storage::{traits::ManualKey, Mapping};

/// A provider's stake in this pool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct StakeInfo {
    /// FUNC staked; never above the model's stake amount at the time of staking.
    pub amount: Balance,
    /// Epoch of the latest stake or top-up; the lock runs from it.
    pub last_stake_epoch: EpochId,
}

/// All stakes of the pool and their sum.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Stakes {
    total: Balance,
    stakes: Mapping<ProviderId, StakeInfo, ManualKey<0x5354_414b>>, // "STAK"
}

impl Stakes {
    /// Sum of all stakes.
    pub fn total(&self) -> Balance {
        self.total
    }

    pub fn get(&self, id: &ProviderId) -> Option<StakeInfo> {
        self.stakes.get(id)
    }

    /// The staked amount of `id` (0 if none).
    pub fn amount(&self, id: &ProviderId) -> Balance {
        self.get(id).map_or(0, |stake| stake.amount)
    }

    /// Tops `id`'s stake up to `required` in `epoch` and restarts its lock; returns the amount
    /// added, which the caller must then pull from the owner.
    ///
    /// # Errors
    /// `AlreadyFullyStaked` if nothing is missing; `Overflow`.
    pub fn stake(
        &mut self,
        id: &ProviderId,
        required: Balance,
        epoch: EpochId,
    ) -> Result<Balance, StakingError> {
        let current = self.amount(id);
        // A stake above a since-lowered requirement is simply "nothing missing".
        let missing = required.saturating_sub(current);
        ensure!(missing > 0, StakingError::AlreadyFullyStaked);
        let total = self
            .total
            .checked_add(missing)
            .ok_or(StakingError::Overflow)?;
        self.stakes.insert(
            id,
            &StakeInfo {
                amount: required,
                last_stake_epoch: epoch,
            },
        );
        self.total = total;
        Ok(missing)
    }

    /// Removes `id`'s whole stake once `current_epoch >= last_stake_epoch + min_epochs_locked`;
    /// returns the amount, which the caller must then pay back to the owner.
    ///
    /// # Errors
    /// `NotStaked`; `StillLocked` with the first epoch that allows unstaking; `Overflow`.
    pub fn unstake(
        &mut self,
        id: &ProviderId,
        current_epoch: EpochId,
        min_epochs_locked: u32,
    ) -> Result<Balance, StakingError> {
        let stake = self.get(id).ok_or(StakingError::NotStaked)?;
        let unlock_epoch = stake
            .last_stake_epoch
            .checked_add(min_epochs_locked)
            .ok_or(StakingError::Overflow)?;
        ensure!(
            current_epoch >= unlock_epoch,
            StakingError::StillLocked { unlock_epoch }
        );
        let total = self
            .total
            .checked_sub(stake.amount)
            .ok_or(StakingError::Overflow)?;
        self.stakes.remove(id);
        self.total = total;
        Ok(stake.amount)
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

/// # Errors
/// `ModelDisabled`.
pub fn ensure_enabled(model: &ModelContext) -> Result<(), StakingError> {
    ensure!(model.enabled, StakingError::ModelDisabled);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use func_interfaces::AccountId;

    fn id(n: u8) -> ProviderId {
        ink::prelude::vec![n; 8]
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

    #[ink::test]
    fn stake_first_time_adds_the_requirement() {
        let mut stakes = Stakes::default();
        assert_eq!(stakes.stake(&id(1), 100, 3), Ok(100));
        assert_eq!(
            stakes.get(&id(1)),
            Some(StakeInfo {
                amount: 100,
                last_stake_epoch: 3
            })
        );
        assert_eq!(stakes.total(), 100);
    }

    #[ink::test]
    fn stake_after_requirement_rise_adds_only_the_missing_part() {
        let mut stakes = Stakes::default();
        stakes.stake(&id(1), 100, 3).unwrap();
        stakes.stake(&id(2), 100, 3).unwrap();
        assert_eq!(stakes.stake(&id(1), 150, 9), Ok(50));
        assert_eq!(
            stakes.get(&id(1)),
            Some(StakeInfo {
                amount: 150,
                last_stake_epoch: 9
            })
        );
        assert_eq!(stakes.total(), 250);
    }

    #[ink::test]
    fn stake_when_full_or_above_a_lowered_requirement_fails() {
        let mut stakes = Stakes::default();
        stakes.stake(&id(1), 100, 3).unwrap();
        assert_eq!(
            stakes.stake(&id(1), 100, 4),
            Err(StakingError::AlreadyFullyStaked)
        );
        assert_eq!(
            stakes.stake(&id(1), 60, 4),
            Err(StakingError::AlreadyFullyStaked)
        );
        assert_eq!(stakes.get(&id(1)).unwrap().last_stake_epoch, 3);
        assert_eq!(stakes.total(), 100);
    }

    #[ink::test]
    fn stake_of_zero_requirement_fails() {
        let mut stakes = Stakes::default();
        assert_eq!(
            stakes.stake(&id(1), 0, 1),
            Err(StakingError::AlreadyFullyStaked)
        );
        assert_eq!(stakes.get(&id(1)), None);
    }

    #[ink::test]
    fn unstake_without_stake_fails() {
        let mut stakes = Stakes::default();
        assert_eq!(stakes.unstake(&id(1), 10, 2), Err(StakingError::NotStaked));
    }

    #[ink::test]
    fn unstake_before_lock_end_fails() {
        let mut stakes = Stakes::default();
        stakes.stake(&id(1), 100, 5).unwrap();
        assert_eq!(
            stakes.unstake(&id(1), 7, 3),
            Err(StakingError::StillLocked { unlock_epoch: 8 })
        );
        assert_eq!(stakes.amount(&id(1)), 100);
        assert_eq!(stakes.total(), 100);
    }

    #[ink::test]
    fn unstake_at_lock_end_returns_the_whole_stake() {
        let mut stakes = Stakes::default();
        stakes.stake(&id(1), 100, 5).unwrap();
        stakes.stake(&id(2), 100, 5).unwrap();
        assert_eq!(stakes.unstake(&id(1), 8, 3), Ok(100));
        assert_eq!(stakes.get(&id(1)), None);
        assert_eq!(stakes.total(), 100);
        assert_eq!(stakes.unstake(&id(1), 8, 3), Err(StakingError::NotStaked));
    }

    #[ink::test]
    fn unstake_lock_restarts_with_a_top_up() {
        let mut stakes = Stakes::default();
        stakes.stake(&id(1), 100, 5).unwrap();
        stakes.stake(&id(1), 120, 20).unwrap();
        assert_eq!(
            stakes.unstake(&id(1), 21, 3),
            Err(StakingError::StillLocked { unlock_epoch: 23 })
        );
        assert_eq!(stakes.unstake(&id(1), 23, 3), Ok(120));
    }

    #[ink::test]
    fn unstake_lock_overflow_fails() {
        let mut stakes = Stakes::default();
        stakes.stake(&id(1), 100, EpochId::MAX).unwrap();
        assert_eq!(
            stakes.unstake(&id(1), EpochId::MAX, 1),
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
