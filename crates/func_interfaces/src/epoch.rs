//! The epoch clock's cross-contract view.
use crate::types::EpochId;

/// Everything a caller needs about epochs, read in one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct EpochInfo {
    /// The epoch the current block belongs to (the first epoch is 1).
    pub current_epoch: EpochId,
    /// First block of the next epoch.
    pub next_epoch_block: u32,
    /// Last epoch whose rewards can be claimed (`current − delay`, 0 when none).
    pub last_claimable_epoch: EpochId,
    /// Blocks per epoch in the current epoch.
    pub epoch_length: u32,
    /// Epochs a stake stays locked after the latest stake.
    pub min_epochs_locked: u32,
    /// Epoch `e` is claimable once `e <= current_epoch - epoch_reward_delay`.
    pub epoch_reward_delay: u32,
}

/// Implemented by `epoch_controller`; called by the registry and the staking pools.
#[ink::trait_definition]
pub trait EpochController {
    /// The current epoch and the lock and delay parameters.
    #[ink(message)]
    fn epoch_info(&self) -> EpochInfo;
}
