//! Events of `epoch_controller`. The constructor emits all three with the initial values, so
//! the event log alone gives the full history of the parameters (ownership and code events
//! come from `func_interfaces::access`).

/// The epoch length changes from `effective_epoch` on. Emitted by the constructor (epoch 1)
/// and by `set_epoch_length`. Epochs before `effective_epoch` keep their length; a later
/// event with the same `effective_epoch` replaces this one.
#[ink::event]
pub struct EpochLengthUpdated {
    /// Blocks per epoch from `effective_epoch` on.
    pub epoch_length: u32,
    /// First epoch with the new length.
    #[ink(topic)]
    pub effective_epoch: u32,
    /// First block of `effective_epoch`.
    pub effective_block: u32,
}

/// The number of epochs a stake stays locked changed, with immediate effect.
#[ink::event]
pub struct MinEpochsLockedUpdated {
    /// The new `min_epochs_locked`.
    pub min_epochs_locked: u32,
}

/// The number of epochs before an epoch's rewards can be claimed changed for the epochs from
/// `effective_epoch` on (earlier epochs keep their delay, so finality only moves forward).
#[ink::event]
pub struct EpochRewardDelayUpdated {
    /// The new `epoch_reward_delay`.
    pub epoch_reward_delay: u32,
    /// First epoch with the new delay (1 for the constructor's event).
    pub effective_epoch: u32,
}
