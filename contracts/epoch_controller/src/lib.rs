//! The epoch clock of the FUNC provider network.
//!
//! Epochs are fixed runs of blocks; epoch 1 starts at `first_epoch_block`. The controller also
//! holds the two epoch parameters of staking: `min_epochs_locked` and `epoch_reward_delay`.
//! The registry and the staking pools read everything in one call, `epoch_info`.
//!
//! A new epoch length takes effect at the next epoch boundary (see [`clock`]), so no past or
//! current epoch is ever renumbered.
#![cfg_attr(not(feature = "std"), no_std, no_main)]
#![allow(clippy::cast_possible_truncation)]
#![deny(clippy::arithmetic_side_effects)]

pub mod clock;
pub mod delay;
pub mod errors;
pub mod events;
pub mod schedule;

pub use clock::Checkpoint;
pub use delay::DelaySchedule;
pub use errors::EpochError;
pub use schedule::EpochSchedule;

#[ink::contract]
pub mod epoch_controller {
    use crate::{
        clock::{Checkpoint, EpochClock},
        delay::DelaySchedule,
        errors::EpochError,
        events::{EpochLengthUpdated, EpochRewardDelayUpdated, MinEpochsLockedUpdated},
        schedule::EpochSchedule,
    };
    use func_interfaces::{
        ensure,
        limits::{
            MAX_EPOCHS_LOCKED, MAX_EPOCH_LENGTH, MAX_REWARD_DELAY, MIN_EPOCHS_LOCKED,
            MIN_EPOCH_LENGTH, MIN_REWARD_DELAY,
        },
        AccessControl, EpochController, EpochId, EpochInfo,
    };
    use ink::storage::{traits::ManualKey, Lazy};

    /// Every field has its own storage key: the root cell holds no bytes, so a later version
    /// may add items under new keys (`docs/CONVENTIONS.md`).
    #[ink(storage)]
    pub struct EpochControllerContract {
        /// Owner and pending owner (`OWNR`; roles and pause are not used here).
        access: AccessControl,
        /// "ESCH": the clock, `min_epochs_locked` and the reward delays.
        schedule: Lazy<EpochSchedule, ManualKey<0x4553_4348>>,
    }

    impl EpochControllerContract {
        /// Starts the clock: epoch 1 begins at `first_epoch_block` (0: the current block; a
        /// past block counts epochs from then) and lasts `epoch_length` blocks. The caller
        /// becomes the owner.
        ///
        /// # Errors
        /// `EpochLengthOutOfBounds`, `MinEpochsLockedOutOfBounds`, `RewardDelayOutOfBounds`
        /// for a parameter outside `func_interfaces::limits`.
        ///
        /// # Events
        /// `EpochLengthUpdated { epoch_length, effective_epoch: 1, effective_block }`,
        /// `MinEpochsLockedUpdated`, `EpochRewardDelayUpdated`.
        #[ink(constructor)]
        pub fn new(
            epoch_length: u32,
            first_epoch_block: u32,
            min_epochs_locked: u32,
            epoch_reward_delay: u32,
        ) -> Result<Self, EpochError> {
            check_epoch_length(epoch_length)?;
            check_min_epochs_locked(min_epochs_locked)?;
            check_epoch_reward_delay(epoch_reward_delay)?;
            let first_epoch_block = if first_epoch_block == 0 {
                Self::env().block_number()
            } else {
                first_epoch_block
            };
            let mut contract = Self {
                access: AccessControl::new(Self::env().caller()),
                schedule: Lazy::new(),
            };
            contract.schedule.set(&EpochSchedule {
                clock: EpochClock::new(first_epoch_block, epoch_length),
                min_epochs_locked,
                reward_delay: DelaySchedule::new(epoch_reward_delay),
            });
            Self::env().emit_event(EpochLengthUpdated {
                epoch_length,
                effective_epoch: 1,
                effective_block: first_epoch_block,
            });
            Self::env().emit_event(MinEpochsLockedUpdated { min_epochs_locked });
            Self::env().emit_event(EpochRewardDelayUpdated {
                epoch_reward_delay,
                effective_epoch: 1,
            });
            Ok(contract)
        }

        /// The epoch of the current block: 0 before `first_epoch_block`, then 1, 2, …
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn current_epoch(&self) -> EpochId {
            self.schedule().epoch_at(self.env().block_number())
        }

        /// First block of the next epoch (the first block of epoch 1 before the start).
        /// `u32::MAX` if that block would be beyond the block number range.
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn next_epoch_block(&self) -> u32 {
            self.schedule()
                .next_epoch_block_at(self.env().block_number())
        }

        /// The last epoch whose rewards can be claimed (0: none): `current_epoch −
        /// epoch_reward_delay` under a constant delay; never lower than before, whatever the
        /// owner changes (see `set_epoch_reward_delay`).
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn last_claimable_epoch(&self) -> EpochId {
            self.schedule().last_claimable_at(self.env().block_number())
        }

        /// Blocks per epoch in the current epoch (epoch 1's length before the start). A change
        /// made with `set_epoch_length` shows here from its effective block on.
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn epoch_length(&self) -> u32 {
            self.schedule().clock.length_at(self.env().block_number())
        }

        /// The length change waiting for the next boundary: `Some({ epoch, block, length })`
        /// (`epoch` starts at `block` and is the first with `length`), `None` if none is
        /// pending.
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn scheduled_epoch_length(&self) -> Option<Checkpoint> {
            self.schedule().clock.pending_at(self.env().block_number())
        }

        /// First block of `epoch` with the lengths known now. `None` for epoch 0 and for epochs
        /// beyond the block number range. Every epoch from the last length change that has
        /// taken effect on is answered; older ones are `None` once a further change has been
        /// made (only two checkpoints are kept; the `EpochLengthUpdated` events hold them
        /// all). The start of a future epoch moves if the length is changed before it starts.
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn epoch_start_block(&self, epoch: EpochId) -> Option<u32> {
            self.schedule().clock.epoch_start_block(epoch)
        }

        /// Epochs a stake stays locked: unstaking is allowed once
        /// `current_epoch ≥ last stake epoch + min_epochs_locked`.
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn min_epochs_locked(&self) -> u32 {
            self.schedule().min_epochs_locked
        }

        /// The reward delay of the epoch running now, in epochs: epoch `e` becomes claimable
        /// `d(e)` epochs after it ends, once every earlier epoch is claimable too.
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn epoch_reward_delay(&self) -> u32 {
            self.schedule().reward_delay_at(self.env().block_number())
        }

        /// The delay of every epoch: `old` before `from_epoch`, `new` from it on.
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn reward_delay_schedule(&self) -> DelaySchedule {
            self.schedule().reward_delay
        }

        /// Owner only: from the next epoch boundary on, epochs last `epoch_length` blocks. The
        /// current epoch ends at the announced `next_epoch_block`; a change already pending
        /// for that boundary is replaced. Before epoch 1 starts, epoch 1 gets the new length.
        ///
        /// # Errors
        /// `Access(NotOwner)`; `EpochLengthOutOfBounds`; `Overflow` if the next boundary is
        /// beyond the block number range.
        ///
        /// # Events
        /// `EpochLengthUpdated { epoch_length, effective_epoch, effective_block }`.
        #[ink(message)]
        pub fn set_epoch_length(&mut self, epoch_length: u32) -> Result<(), EpochError> {
            self.access.ensure_owner()?;
            check_epoch_length(epoch_length)?;
            let mut schedule = self.schedule();
            let effective = schedule
                .clock
                .schedule_length(self.env().block_number(), epoch_length)?;
            self.schedule.set(&schedule);
            self.env().emit_event(EpochLengthUpdated {
                epoch_length,
                effective_epoch: effective.epoch,
                effective_block: effective.block,
            });
            Ok(())
        }

        /// Owner only: sets `min_epochs_locked`, with immediate effect on every stake.
        ///
        /// # Errors
        /// `Access(NotOwner)`; `MinEpochsLockedOutOfBounds`.
        ///
        /// # Events
        /// `MinEpochsLockedUpdated { min_epochs_locked }`.
        #[ink(message)]
        pub fn set_min_epochs_locked(&mut self, min_epochs_locked: u32) -> Result<(), EpochError> {
            self.access.ensure_owner()?;
            check_min_epochs_locked(min_epochs_locked)?;
            let mut schedule = self.schedule();
            schedule.min_epochs_locked = min_epochs_locked;
            self.schedule.set(&schedule);
            self.env()
                .emit_event(MinEpochsLockedUpdated { min_epochs_locked });
            Ok(())
        }

        /// Owner only: sets the reward delay of every epoch that has not started yet (the
        /// running epoch and all ended ones keep theirs), so finality only moves forward:
        /// raising the delay never reopens a final epoch and lowering it never cuts a report
        /// window short. Until every epoch of a previous change has settled, a new change is
        /// refused; before the previous change took effect it is replaced.
        ///
        /// # Errors
        /// `Access(NotOwner)`; `RewardDelayOutOfBounds`; `RewardDelayChangeInProgress`.
        ///
        /// # Events
        /// `EpochRewardDelayUpdated { epoch_reward_delay, effective_epoch }`.
        #[ink(message)]
        pub fn set_epoch_reward_delay(
            &mut self,
            epoch_reward_delay: u32,
        ) -> Result<(), EpochError> {
            self.access.ensure_owner()?;
            check_epoch_reward_delay(epoch_reward_delay)?;
            let mut schedule = self.schedule();
            let current = schedule.epoch_at(self.env().block_number());
            schedule
                .reward_delay
                .change(current, epoch_reward_delay)
                .map_err(|error| EpochError::RewardDelayChangeInProgress {
                    until_epoch: error.until_epoch,
                })?;
            self.schedule.set(&schedule);
            self.env().emit_event(EpochRewardDelayUpdated {
                epoch_reward_delay,
                effective_epoch: schedule.reward_delay.from_epoch,
            });
            Ok(())
        }

        /// The owner (admin).
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn owner(&self) -> AccountId {
            self.access.owner()
        }

        /// The account named by `transfer_ownership` that has not accepted yet.
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        pub fn pending_owner(&self) -> Option<AccountId> {
            self.access.pending_owner()
        }

        /// Owner only: names `new_owner`, who becomes owner by calling `accept_ownership`. A
        /// second call replaces the pending owner.
        ///
        /// # Errors
        /// `Access(NotOwner)`.
        ///
        /// # Events
        /// `OwnershipTransferStarted { owner, pending_owner }`.
        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), EpochError> {
            Ok(self.access.transfer_ownership(new_owner)?)
        }

        /// Pending owner only: completes the ownership transfer.
        ///
        /// # Errors
        /// `Access(NotPendingOwner)`.
        ///
        /// # Events
        /// `OwnershipTransferred { previous_owner, new_owner }`.
        #[ink(message)]
        pub fn accept_ownership(&mut self) -> Result<(), EpochError> {
            Ok(self.access.accept_ownership()?)
        }

        /// Owner only: replaces the contract's code with the uploaded `code_hash`, keeping the
        /// storage (the new code must keep the root fields' order and types).
        ///
        /// # Errors
        /// `Access(NotOwner)`; `Access(CodeUpgradeFailed)` for a code hash the chain does not
        /// know.
        ///
        /// # Events
        /// `CodeUpgraded { code_hash, by }`.
        #[ink(message)]
        pub fn set_code(&mut self, code_hash: Hash) -> Result<(), EpochError> {
            Ok(self.access.set_code(code_hash)?)
        }

        /// The `ESCH` cell, written by the constructor. Should it ever be missing, a
        /// schedule starting at block `u32::MAX` answers "epoch 0" everywhere.
        fn schedule(&self) -> EpochSchedule {
            self.schedule.get().unwrap_or(EpochSchedule {
                clock: EpochClock::new(u32::MAX, MAX_EPOCH_LENGTH),
                min_epochs_locked: MAX_EPOCHS_LOCKED,
                reward_delay: DelaySchedule::new(MAX_REWARD_DELAY),
            })
        }
    }

    impl EpochController for EpochControllerContract {
        /// `current_epoch`, `next_epoch_block`, `last_claimable_epoch`, `epoch_length`,
        /// `min_epochs_locked` and `epoch_reward_delay` in one call, all at the current block.
        ///
        /// # Errors
        /// None (a view).
        ///
        /// # Events
        /// None.
        #[ink(message)]
        fn epoch_info(&self) -> EpochInfo {
            self.schedule().info_at(self.env().block_number())
        }
    }

    fn check_epoch_length(epoch_length: u32) -> Result<(), EpochError> {
        ensure!(
            (MIN_EPOCH_LENGTH..=MAX_EPOCH_LENGTH).contains(&epoch_length),
            EpochError::EpochLengthOutOfBounds {
                min: MIN_EPOCH_LENGTH,
                max: MAX_EPOCH_LENGTH,
            }
        );
        Ok(())
    }

    fn check_min_epochs_locked(min_epochs_locked: u32) -> Result<(), EpochError> {
        ensure!(
            (MIN_EPOCHS_LOCKED..=MAX_EPOCHS_LOCKED).contains(&min_epochs_locked),
            EpochError::MinEpochsLockedOutOfBounds {
                min: MIN_EPOCHS_LOCKED,
                max: MAX_EPOCHS_LOCKED,
            }
        );
        Ok(())
    }

    fn check_epoch_reward_delay(epoch_reward_delay: u32) -> Result<(), EpochError> {
        ensure!(
            (MIN_REWARD_DELAY..=MAX_REWARD_DELAY).contains(&epoch_reward_delay),
            EpochError::RewardDelayOutOfBounds {
                min: MIN_REWARD_DELAY,
                max: MAX_REWARD_DELAY,
            }
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests;
