//! Events of `provider_staking`. Topics are on ids, epochs and accounts, never on amounts.
use func_interfaces::{AccountId, Balance, EpochId, ModelId, ProviderId};

/// A provider's stake was created or topped up to the model's stake amount.
#[ink::event]
pub struct ProviderStaked {
    #[ink(topic)]
    pub id: ProviderId,
    #[ink(topic)]
    pub model_id: ModelId,
    /// Epoch of the stake; the unstake lock runs from it.
    pub epoch: EpochId,
    /// FUNC pulled from the owner (the missing part of the stake amount).
    pub amount: Balance,
    #[ink(topic)]
    pub owner: AccountId,
}

/// A provider's whole stake went back to its owner.
#[ink::event]
pub struct ProviderUnstaked {
    #[ink(topic)]
    pub id: ProviderId,
    #[ink(topic)]
    pub model_id: ModelId,
    /// Epoch of the unstake.
    pub epoch: EpochId,
    /// FUNC returned.
    pub amount: Balance,
    #[ink(topic)]
    pub owner: AccountId,
}

/// A provider's rewards were paid to its owner.
#[ink::event]
pub struct ProviderClaimedRewards {
    #[ink(topic)]
    pub id: ProviderId,
    #[ink(topic)]
    pub model_id: ModelId,
    pub from_epoch: EpochId,
    /// Every epoch up to this one is now claimed.
    pub to_epoch: EpochId,
    /// FUNC paid.
    pub amount: Balance,
    #[ink(topic)]
    pub owner: AccountId,
}

/// The scheduler reported (or corrected) an epoch's reward.
#[ink::event]
pub struct RewardSetForEpoch {
    #[ink(topic)]
    pub epoch: EpochId,
    /// Reward reported by the scheduler.
    pub total: Balance,
    /// Boost added to it; `total + boost` is reserved and split.
    pub boost: Balance,
    pub total_shards: u64,
}

/// The scheduler recorded (or corrected) provider shards of an epoch.
#[ink::event]
pub struct ProviderShardsRecorded {
    #[ink(topic)]
    pub epoch: EpochId,
    /// Distinct providers in the batch.
    pub providers: u32,
    /// Shards recorded for the epoch so far, all batches included.
    pub recorded_shards: u64,
}

/// Reward funds were added.
#[ink::event]
pub struct RewardsFunded {
    #[ink(topic)]
    pub from: AccountId,
    pub amount: Balance,
}

/// A boost was spread over the epochs `start_epoch..start_epoch + epochs`.
#[ink::event]
pub struct BoostForNEpochs {
    #[ink(topic)]
    pub sender: AccountId,
    pub start_epoch: EpochId,
    pub epochs: u32,
    /// Whole amount; each epoch gets `amount / epochs`.
    pub amount: Balance,
}

/// The owner changed the per-epoch reward hard cap.
#[ink::event]
pub struct EpochHardCapUpdated {
    pub hard_cap: Balance,
}

/// When `epoch` became final, `amount` of its reservation could never be claimed (shares of
/// shards nobody recorded, a boost nobody earned, rounding dust) and went back to the
/// unreserved funds.
#[ink::event]
pub struct UnclaimableRewardReleased {
    #[ink(topic)]
    pub epoch: EpochId,
    pub amount: Balance,
}

/// The owner took `amount` FUNC of the unreserved reward funds out to `to`.
#[ink::event]
pub struct RewardsWithdrawn {
    #[ink(topic)]
    pub to: AccountId,
    pub amount: Balance,
}

/// The owner recovered `amount` FUNC sent to the pool outside staking and funding.
#[ink::event]
pub struct ExcessWithdrawn {
    #[ink(topic)]
    pub to: AccountId,
    pub amount: Balance,
}

/// The owner suspended the scheduler's reports in `epoch`: nothing becomes final until they
/// resume, and only the owner may report meanwhile.
#[ink::event]
pub struct ReportsSuspended {
    pub epoch: EpochId,
}

/// The owner resumed the scheduler's reports in `epoch`: every report not final yet has a
/// fresh correction window from this epoch.
#[ink::event]
pub struct ReportsResumed {
    pub epoch: EpochId,
}

/// Every unreported ended epoch up to `through` was closed as empty by `by` (the scheduler or
/// the owner): no reward, final once its correction window passes.
#[ink::event]
pub struct EpochsClosed {
    #[ink(topic)]
    pub by: AccountId,
    pub through: EpochId,
}
