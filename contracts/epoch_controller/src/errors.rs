//! Errors of `epoch_controller`.
use crate::clock::OutOfRange;
use func_interfaces::AccessError;

/// Why a constructor or message of `epoch_controller` failed. Every failure leaves the state
/// unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum EpochError {
    /// The caller is not the owner (setters, `set_code`, `transfer_ownership`), is not the
    /// pending owner (`accept_ownership`), or `set_code` was given an unknown code hash.
    Access(AccessError),
    /// The epoch length must be within `min..=max` blocks.
    EpochLengthOutOfBounds { min: u32, max: u32 },
    /// `min_epochs_locked` must be within `min..=max` epochs.
    MinEpochsLockedOutOfBounds { min: u32, max: u32 },
    /// `epoch_reward_delay` must be within `min..=max` epochs.
    RewardDelayOutOfBounds { min: u32, max: u32 },
    /// A previous reward delay change is still in transition; a new one is accepted from
    /// `until_epoch` on.
    RewardDelayChangeInProgress { until_epoch: u32 },
    /// The next epoch boundary lies beyond the last block number (`u32::MAX`).
    Overflow,
}

impl From<AccessError> for EpochError {
    fn from(error: AccessError) -> Self {
        Self::Access(error)
    }
}

/// The clock is only asked about the current block, so its `OutOfRange` can only mean that
/// the next epoch boundary is beyond `u32::MAX`.
impl From<OutOfRange> for EpochError {
    fn from(_: OutOfRange) -> Self {
        Self::Overflow
    }
}
