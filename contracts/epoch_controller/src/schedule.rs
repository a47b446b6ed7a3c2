//! The controller's whole schedule — the clock, the stake lock and the reward delays — as one
//! stored value (the `ESCH` cell), with the reads every message makes of it.
use crate::{clock::EpochClock, delay::DelaySchedule};
use func_interfaces::{EpochId, EpochInfo};

/// Everything `epoch_info` answers from, stored under one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct EpochSchedule {
    /// Checkpoint in force and pending length change.
    pub clock: EpochClock,
    /// Epochs a stake stays locked after the latest stake.
    pub min_epochs_locked: u32,
    /// Epochs between the end of an epoch and its rewards becoming claimable, per epoch (a
    /// change applies to epochs that have not started; see [`crate::delay`]).
    pub reward_delay: DelaySchedule,
}

impl EpochSchedule {
    /// Epoch of `block` (always the current block). The fallback `EpochId::MAX` is
    /// unreachable: the current block never precedes the active checkpoint (block numbers
    /// only grow), and with epochs of at least `MIN_EPOCH_LENGTH` = 2 blocks the `u32` block
    /// range holds fewer than `u32::MAX / 2` epochs.
    pub fn epoch_at(&self, block: u32) -> EpochId {
        self.clock.epoch_at(block).unwrap_or(EpochId::MAX)
    }

    /// First block of the epoch after `block`'s (the current block), `u32::MAX` when that is
    /// beyond the `u32` range.
    pub fn next_epoch_block_at(&self, block: u32) -> u32 {
        self.clock.next_epoch_block(block).unwrap_or(u32::MAX)
    }

    /// Last claimable epoch at `block`. Saturating by definition: no epoch is claimable (0)
    /// until the delay has passed.
    pub fn last_claimable_at(&self, block: u32) -> EpochId {
        self.reward_delay.last_claimable(self.epoch_at(block))
    }

    /// Reward delay of the epoch running at `block`.
    pub fn reward_delay_at(&self, block: u32) -> u32 {
        self.reward_delay.delay_at(self.epoch_at(block))
    }

    /// Everything at `block` in one value.
    pub fn info_at(&self, block: u32) -> EpochInfo {
        EpochInfo {
            current_epoch: self.epoch_at(block),
            next_epoch_block: self.next_epoch_block_at(block),
            last_claimable_epoch: self.last_claimable_at(block),
            epoch_length: self.clock.length_at(block),
            min_epochs_locked: self.min_epochs_locked,
            epoch_reward_delay: self.reward_delay_at(block),
        }
    }
}
