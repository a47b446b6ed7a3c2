//! The staking pool's cross-contract entry points and errors.
use crate::{
    access::AccessError,
    router::RouterError,
    types::{AccountId, Balance, EpochId, ProviderId, ProviderView},
};
use ink::prelude::vec::Vec;
use psp22::PSP22Error;

/// Errors of `provider_staking`.
#[derive(Debug, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum StakingError {
    /// Caller lacks the owner or the needed role, or the pool is paused.
    Access(AccessError),
    /// The registry knows no provider with this id.
    ProviderNotFound,
    /// The provider serves another model than this pool's.
    WrongModel,
    /// The caller does not own this provider.
    NotProviderOwner,
    /// Only the registry may call this message.
    NotRegistry,
    /// The provider is not whitelisted.
    NotWhitelisted,
    /// The provider is jailed until this epoch.
    ProviderJailed { until_epoch: EpochId },
    /// The model is disabled.
    ModelDisabled,
    /// The router knows no model with this pool's id.
    ModelNotFound,
    /// The provider's stake already meets the model's requirement.
    AlreadyFullyStaked,
    /// The provider has nothing staked.
    NotStaked,
    /// The stake is locked until this epoch (`last stake epoch + min_epochs_locked`).
    StillLocked { unlock_epoch: EpochId },
    /// `from_epoch` is 0 or greater than `to_epoch`.
    InvalidEpochRange,
    /// The epoch's rewards are not claimable yet; the last claimable epoch is given (0: none).
    EpochNotClaimable { last_claimable_epoch: EpochId },
    /// Every epoch up to `to_epoch` was already claimed.
    AlreadyClaimed,
    /// Earlier epochs, starting with this one, still hold unclaimed rewards.
    ClaimGap { first_unclaimed_epoch: EpochId },
    /// The range holds no unclaimed rewards.
    NothingToClaim,
    /// The scheduler may only report an epoch that has ended.
    EpochNotEnded,
    /// The epoch is claimable, so its report is final.
    EpochFinalized,
    /// The reported reward total exceeds the per-epoch hard cap.
    AboveHardCap { hard_cap: Balance },
    /// The pool's unreserved reward funding cannot cover the reward total.
    InsufficientRewardFunding { available: Balance },
    /// Shards were reported before the epoch's reward total.
    EpochRewardNotSet,
    /// Total shards is zero while a reward is set, or provider shards exceed the total.
    ShardsExceedTotal,
    /// Shards were reported for a provider that held no stake in this pool in that epoch.
    NotStakedInEpoch { id: ProviderId, epoch: EpochId },
    /// A batch is empty or longer than `MAX_BATCH_SIZE`.
    InvalidBatchSize,
    /// The provider has too many unsettled epochs (more than `MAX_REWARD_DELAY`).
    TooManyPendingEpochs,
    /// A boost needs 1..=`MAX_BOOST_EPOCHS` epochs and an amount divisible by them.
    InvalidBoost,
    /// The amount must be greater than zero.
    ZeroAmount,
    /// The pool holds less FUNC beyond its stakes and reward funds (`available`) than asked.
    InsufficientExcess { available: Balance },
    /// The FUNC token refused the transfer (allowance or balance).
    Token(PSP22Error),
    /// The model router refused.
    Router(RouterError),
    /// A called contract trapped or did not understand the call.
    CrossContractCall,
    /// An amount or epoch computation overflowed.
    Overflow,
    /// The owner has suspended scheduler reports (`suspend_reports`); only the owner may
    /// report until `resume_reports`.
    ReportsSuspended,
    /// The epoch is more than `MAX_REWARD_DELAY` epochs after the pool's finality frontier:
    /// report the earlier epochs first (they become final one correction window later).
    TooManyOpenEpochs { reportable_through: EpochId },
    /// The id has `MAX_STAKE_PERIODS` closed stake periods whose epochs are not final yet; a new
    /// stake waits until the scheduler's reports of them become final.
    TooManyStakePeriods,
}

/// Written out because `PSP22Error` is not `Clone`; cluster operations put the same failures
/// in their event and in their return value.
impl Clone for StakingError {
    fn clone(&self) -> Self {
        match self {
            Self::Access(error) => Self::Access(*error),
            Self::ProviderNotFound => Self::ProviderNotFound,
            Self::WrongModel => Self::WrongModel,
            Self::NotProviderOwner => Self::NotProviderOwner,
            Self::NotRegistry => Self::NotRegistry,
            Self::NotWhitelisted => Self::NotWhitelisted,
            Self::ProviderJailed { until_epoch } => Self::ProviderJailed {
                until_epoch: *until_epoch,
            },
            Self::ModelDisabled => Self::ModelDisabled,
            Self::ModelNotFound => Self::ModelNotFound,
            Self::AlreadyFullyStaked => Self::AlreadyFullyStaked,
            Self::NotStaked => Self::NotStaked,
            Self::StillLocked { unlock_epoch } => Self::StillLocked {
                unlock_epoch: *unlock_epoch,
            },
            Self::InvalidEpochRange => Self::InvalidEpochRange,
            Self::EpochNotClaimable {
                last_claimable_epoch,
            } => Self::EpochNotClaimable {
                last_claimable_epoch: *last_claimable_epoch,
            },
            Self::AlreadyClaimed => Self::AlreadyClaimed,
            Self::ClaimGap {
                first_unclaimed_epoch,
            } => Self::ClaimGap {
                first_unclaimed_epoch: *first_unclaimed_epoch,
            },
            Self::NothingToClaim => Self::NothingToClaim,
            Self::EpochNotEnded => Self::EpochNotEnded,
            Self::EpochFinalized => Self::EpochFinalized,
            Self::AboveHardCap { hard_cap } => Self::AboveHardCap {
                hard_cap: *hard_cap,
            },
            Self::InsufficientRewardFunding { available } => Self::InsufficientRewardFunding {
                available: *available,
            },
            Self::EpochRewardNotSet => Self::EpochRewardNotSet,
            Self::ShardsExceedTotal => Self::ShardsExceedTotal,
            Self::NotStakedInEpoch { id, epoch } => Self::NotStakedInEpoch {
                id: id.clone(),
                epoch: *epoch,
            },
            Self::InsufficientExcess { available } => Self::InsufficientExcess {
                available: *available,
            },
            Self::InvalidBatchSize => Self::InvalidBatchSize,
            Self::ReportsSuspended => Self::ReportsSuspended,
            Self::TooManyOpenEpochs { reportable_through } => Self::TooManyOpenEpochs {
                reportable_through: *reportable_through,
            },
            Self::TooManyStakePeriods => Self::TooManyStakePeriods,
            Self::TooManyPendingEpochs => Self::TooManyPendingEpochs,
            Self::InvalidBoost => Self::InvalidBoost,
            Self::ZeroAmount => Self::ZeroAmount,
            Self::Token(error) => Self::Token(clone_psp22_error(error)),
            Self::Router(error) => Self::Router(*error),
            Self::CrossContractCall => Self::CrossContractCall,
            Self::Overflow => Self::Overflow,
        }
    }
}

fn clone_psp22_error(error: &PSP22Error) -> PSP22Error {
    match error {
        PSP22Error::Custom(message) => PSP22Error::Custom(message.clone()),
        PSP22Error::InsufficientBalance => PSP22Error::InsufficientBalance,
        PSP22Error::InsufficientAllowance => PSP22Error::InsufficientAllowance,
        PSP22Error::ZeroRecipientAddress => PSP22Error::ZeroRecipientAddress,
        PSP22Error::ZeroSenderAddress => PSP22Error::ZeroSenderAddress,
        PSP22Error::SafeTransferCheckFailed(message) => {
            PSP22Error::SafeTransferCheckFailed(message.clone())
        }
    }
}

impl From<AccessError> for StakingError {
    fn from(error: AccessError) -> Self {
        Self::Access(error)
    }
}

/// Implemented by `provider_staking`; called by the registry, which passes the provider's
/// state so that the pool never calls back into it (reentrancy is off).
#[ink::trait_definition]
pub trait ProviderStaking {
    /// Stakes what `view.owner` is missing for `id` (used by `register_and_stake`).
    ///
    /// # Errors
    /// As `stake_for_provider`, plus `NotRegistry` for any caller but the registry.
    #[ink(message)]
    fn stake_for_registered(
        &mut self,
        id: ProviderId,
        view: ProviderView,
    ) -> Result<Balance, StakingError>;

    /// Claims, for `owner`, the rewards of `from_epoch..=to_epoch` of each listed provider
    /// (cluster claims: all of one owner's providers in this pool, at most
    /// `MAX_PROVIDERS_PER_OWNER`), and pays their sum with one token transfer. Returns one
    /// result per entry, in order; a failed entry changes nothing.
    ///
    /// # Errors
    /// `NotRegistry`, `Access(Paused)`, `InvalidBatchSize`, and for the whole call `Token`,
    /// `CrossContractCall`, `Overflow`; per entry as `claim_rewards`, plus `NotProviderOwner`
    /// when the entry's view names another owner.
    #[ink(message)]
    fn claim_cluster_for_registered(
        &mut self,
        owner: AccountId,
        entries: Vec<(ProviderId, ProviderView)>,
        from_epoch: EpochId,
        to_epoch: EpochId,
    ) -> Result<Vec<Result<Balance, StakingError>>, StakingError>;

    /// Returns, to `owner`, the whole stake of each listed provider whose lock has passed
    /// (cluster unstakes), with one token transfer. One result per entry, in order.
    ///
    /// # Errors
    /// `NotRegistry`, `InvalidBatchSize`, and for the whole call `Token`, `CrossContractCall`,
    /// `Overflow`; per entry as `unstake_provider`, plus `NotProviderOwner`.
    #[ink(message)]
    fn unstake_cluster_for_registered(
        &mut self,
        owner: AccountId,
        entries: Vec<(ProviderId, ProviderView)>,
    ) -> Result<Vec<Result<Balance, StakingError>>, StakingError>;

    /// Returns `id`'s whole stake to its owner now, lock or not (the registry's governance
    /// release of a disputed id; the FUNC always goes to the owner).
    ///
    /// # Errors
    /// `NotRegistry`, `NotStaked`, `Token`, `CrossContractCall`, `Overflow`.
    #[ink(message)]
    fn release_for_registered(
        &mut self,
        id: ProviderId,
        view: ProviderView,
    ) -> Result<Balance, StakingError>;

    /// The staked amount of each id, in order (at most `MAX_PAGE_SIZE` ids are read).
    #[ink(message)]
    fn staked_amounts(&self, ids: Vec<ProviderId>) -> Vec<Balance>;
}
