//! The epoch clock: pure arithmetic over block numbers, no storage and no environment access.
//!
//! Epochs are fixed runs of blocks. A [`Checkpoint`] says "from `block` on, epochs are `length`
//! blocks long and `block` starts `epoch`". The clock keeps the checkpoint in force
//! (`active`) and at most one change of length waiting for the next epoch boundary
//! (`scheduled`). A length change therefore never renumbers a past epoch and never moves the
//! end of the current one.
//!
//! Epoch 1 starts at the first checkpoint's block; before it the epoch is 0 ("not started").
//! Once a scheduled change has taken effect and another change is made, the older
//! checkpoint is dropped: the clock then numbers blocks from the active checkpoint on (the
//! present and the future, all a contract can observe) and answers [`OutOfRange`] for
//! older blocks. The full history is in the `EpochLengthUpdated` events.
use func_interfaces::EpochId;

/// The block or epoch cannot be numbered: it lies beyond `u32::MAX`, or before the active
/// checkpoint (whose predecessors are not kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;

/// From `block` on, epochs are `length` blocks long, and `block` is the first block of
/// `epoch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Checkpoint {
    /// The epoch that starts at `block`.
    pub epoch: EpochId,
    /// First block of `epoch`.
    pub block: u32,
    /// Blocks per epoch from `block` on.
    pub length: u32,
}

impl Checkpoint {
    /// The epoch `block` belongs to; `block` must not precede the checkpoint.
    fn epoch_of(&self, block: u32) -> Result<EpochId, OutOfRange> {
        let elapsed = block.checked_sub(self.block).ok_or(OutOfRange)?;
        let epochs = elapsed.checked_div(self.length).ok_or(OutOfRange)?;
        self.epoch.checked_add(epochs).ok_or(OutOfRange)
    }

    /// First block of `epoch`; `epoch` must not precede the checkpoint.
    fn start_of(&self, epoch: EpochId) -> Result<u32, OutOfRange> {
        let epochs = epoch.checked_sub(self.epoch).ok_or(OutOfRange)?;
        let blocks = epochs.checked_mul(self.length).ok_or(OutOfRange)?;
        self.block.checked_add(blocks).ok_or(OutOfRange)
    }
}

/// The checkpoint in force and the length change waiting for the next boundary, if any.
///
/// Invariants: `scheduled`, when set, starts at an epoch boundary of `active`, after
/// `active.block`; every length is non-zero (the contract keeps them within
/// `MIN_EPOCH_LENGTH..=MAX_EPOCH_LENGTH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct EpochClock {
    active: Checkpoint,
    scheduled: Option<Checkpoint>,
}

impl EpochClock {
    /// A clock whose epoch 1 starts at `first_epoch_block`, with epochs of `length` blocks.
    pub fn new(first_epoch_block: u32, length: u32) -> Self {
        Self {
            active: Checkpoint {
                epoch: 1,
                block: first_epoch_block,
                length,
            },
            scheduled: None,
        }
    }

    /// The checkpoint in force at `block`: the scheduled one once reached, else the active
    /// one (also before epoch 1, where it describes epoch 1).
    pub fn checkpoint_at(&self, block: u32) -> Checkpoint {
        match self.scheduled {
            Some(scheduled) if block >= scheduled.block => scheduled,
            _ => self.active,
        }
    }

    /// The length change not yet in force at `block`, if any.
    pub fn pending_at(&self, block: u32) -> Option<Checkpoint> {
        self.scheduled.filter(|scheduled| block < scheduled.block)
    }

    /// True before epoch 1 starts at `block`'s time (the active checkpoint is still the
    /// first one, which starts epoch 1, and `block` precedes it).
    fn before_start(&self, block: u32) -> bool {
        self.active.epoch == 1 && block < self.active.block
    }

    /// The epoch `block` belongs to; 0 before epoch 1.
    ///
    /// # Errors
    /// `OutOfRange` for a block before the active checkpoint (unless before epoch 1), or if
    /// the epoch number exceeds `u32` (impossible with lengths of at least 2 blocks: the
    /// `u32` block range holds fewer than `u32::MAX / 2` epochs).
    pub fn epoch_at(&self, block: u32) -> Result<EpochId, OutOfRange> {
        if self.before_start(block) {
            return Ok(0);
        }
        self.checkpoint_at(block).epoch_of(block)
    }

    /// First block of the epoch after the one `block` belongs to (epoch 1's first block
    /// before the start).
    ///
    /// # Errors
    /// `OutOfRange` if that block is beyond `u32::MAX`, or as [`Self::epoch_at`].
    pub fn next_epoch_block(&self, block: u32) -> Result<u32, OutOfRange> {
        if self.before_start(block) {
            return Ok(self.active.block);
        }
        let checkpoint = self.checkpoint_at(block);
        let next = checkpoint
            .epoch_of(block)?
            .checked_add(1)
            .ok_or(OutOfRange)?;
        checkpoint.start_of(next)
    }

    /// Blocks per epoch in the epoch `block` belongs to (epoch 1's length before the start).
    pub fn length_at(&self, block: u32) -> u32 {
        self.checkpoint_at(block).length
    }

    /// First block of `epoch` under the lengths known now. `None` for epoch 0, for epochs
    /// before the active checkpoint (their boundaries are in the `EpochLengthUpdated`
    /// events) and for epochs starting beyond `u32::MAX`. Future epochs move if the length
    /// is changed before they start.
    pub fn epoch_start_block(&self, epoch: EpochId) -> Option<u32> {
        let checkpoint = match self.scheduled {
            Some(scheduled) if epoch >= scheduled.epoch => scheduled,
            _ => self.active,
        };
        if epoch == 0 || epoch < checkpoint.epoch {
            return None;
        }
        checkpoint.start_of(epoch).ok()
    }

    /// Sets the epoch length to `length` from the next epoch boundary after `block` on, and
    /// returns the checkpoint where it takes effect.
    ///
    /// - Before epoch 1: epoch 1 gets the new length (no epoch has started yet).
    /// - A change already scheduled and not yet reached gets the new length instead.
    /// - A scheduled change already reached becomes the active checkpoint first.
    ///
    /// No epoch up to the one `block` belongs to is renumbered, and that epoch ends at the
    /// block `next_epoch_block(block)` announced before the call.
    ///
    /// # Errors
    /// `OutOfRange` if the next boundary is beyond `u32::MAX` (or for a `block` before the
    /// active checkpoint, which a contract never passes: block numbers only grow); the clock
    /// is then unchanged.
    pub fn schedule_length(&mut self, block: u32, length: u32) -> Result<Checkpoint, OutOfRange> {
        if self.before_start(block) {
            self.active.length = length;
            self.scheduled = None;
            return Ok(self.active);
        }
        let active = self.checkpoint_at(block);
        let current = active.epoch_of(block)?;
        let scheduled = match self.pending_at(block) {
            Some(pending) => Checkpoint { length, ..pending },
            None => {
                let epoch = current.checked_add(1).ok_or(OutOfRange)?;
                Checkpoint {
                    epoch,
                    block: active.start_of(epoch)?,
                    length,
                }
            }
        };
        self.active = active;
        self.scheduled = Some(scheduled);
        Ok(scheduled)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    /// Epoch 1 starts at block 100; epochs of 10 blocks.
    fn clock() -> EpochClock {
        EpochClock::new(100, 10)
    }

    fn epochs(clock: &EpochClock, blocks: core::ops::Range<u32>) -> Vec<EpochId> {
        blocks.map(|block| clock.epoch_at(block).unwrap()).collect()
    }

    /// The first block the clock numbers: 0 while the first checkpoint is active, else the
    /// active checkpoint's block.
    fn numbered_from(clock: &EpochClock) -> u32 {
        if clock.active.epoch == 1 {
            0
        } else {
            clock.active.block
        }
    }

    /// Brute-force check of the clock's shape from `numbered_from` to `end`: numbers start
    /// at 0, then 1, and never skip; `next_epoch_block` is the first block of the next
    /// number; the start block of each epoch is its first block; older blocks are
    /// `OutOfRange`.
    fn assert_consistent(clock: &EpochClock, end: u32) {
        let start = numbered_from(clock);
        if let Some(older) = start.checked_sub(1) {
            assert_eq!(clock.epoch_at(older), Err(OutOfRange));
            assert_eq!(clock.next_epoch_block(older), Err(OutOfRange));
        }
        let mut previous: Option<EpochId> = None;
        for block in start..end {
            let epoch = clock.epoch_at(block).unwrap();
            if let Some(previous) = previous {
                assert!(
                    epoch == previous || epoch == previous + 1,
                    "epoch jumps at block {block}"
                );
                if epoch == previous + 1 && epoch >= clock.active.epoch {
                    assert_eq!(clock.epoch_start_block(epoch), Some(block));
                }
            }
            let next = clock.next_epoch_block(block).unwrap();
            assert!(next > block);
            assert_eq!(
                clock.epoch_at(next).unwrap(),
                epoch + 1,
                "after block {block}"
            );
            assert_eq!(clock.epoch_at(next - 1).unwrap(), epoch, "before {next}");
            previous = Some(epoch);
        }
    }

    #[test]
    fn epoch_at_counts_from_one_at_the_first_block() {
        let clock = clock();
        assert_eq!(clock.epoch_at(100), Ok(1));
        assert_eq!(clock.epoch_at(109), Ok(1));
        assert_eq!(clock.epoch_at(110), Ok(2));
        assert_eq!(clock.epoch_at(119), Ok(2));
        assert_eq!(clock.epoch_at(120), Ok(3));
        assert_eq!(clock.epoch_at(100 + 10 * 1_000), Ok(1_001));
        assert_consistent(&clock, 300);
    }

    #[test]
    fn epoch_at_before_the_first_block_is_zero() {
        let clock = clock();
        assert_eq!(clock.epoch_at(0), Ok(0));
        assert_eq!(clock.epoch_at(99), Ok(0));
    }

    #[test]
    fn epoch_at_with_first_block_zero_starts_at_genesis() {
        let clock = EpochClock::new(0, 2);
        assert_eq!(epochs(&clock, 0..6), vec![1, 1, 2, 2, 3, 3]);
        assert_consistent(&clock, 50);
    }

    #[test]
    fn next_epoch_block_is_the_next_boundary() {
        let clock = clock();
        assert_eq!(clock.next_epoch_block(0), Ok(100));
        assert_eq!(clock.next_epoch_block(99), Ok(100));
        assert_eq!(clock.next_epoch_block(100), Ok(110));
        assert_eq!(clock.next_epoch_block(109), Ok(110));
        assert_eq!(clock.next_epoch_block(110), Ok(120));
    }

    #[test]
    fn next_epoch_block_beyond_u32_overflows() {
        let clock = EpochClock::new(0, 1_000_000);
        assert_eq!(clock.next_epoch_block(u32::MAX - 10), Err(OutOfRange));
        assert_eq!(clock.epoch_at(u32::MAX), Ok(1 + u32::MAX / 1_000_000));
    }

    #[test]
    fn epoch_at_the_last_block_with_shortest_epochs_fits() {
        let clock = EpochClock::new(0, 2);
        assert_eq!(clock.epoch_at(u32::MAX), Ok(1 + u32::MAX / 2));
    }

    #[test]
    fn epoch_at_with_zero_length_overflows_instead_of_panicking() {
        let clock = EpochClock::new(0, 0);
        assert_eq!(clock.epoch_at(5), Err(OutOfRange));
        assert_eq!(clock.next_epoch_block(5), Err(OutOfRange));
    }

    #[test]
    fn length_at_is_the_length_in_force() {
        let mut clock = clock();
        assert_eq!(clock.length_at(0), 10);
        clock.schedule_length(125, 4).unwrap();
        assert_eq!(clock.length_at(129), 10);
        assert_eq!(clock.length_at(130), 4);
    }

    #[test]
    fn schedule_length_mid_epoch_takes_effect_at_next_boundary() {
        let mut clock = clock();
        let before = epochs(&clock, 0..130);
        // Block 125 is in epoch 3 (120..=129).
        let effective = clock.schedule_length(125, 4).unwrap();
        assert_eq!(
            effective,
            Checkpoint {
                epoch: 4,
                block: 130,
                length: 4
            }
        );
        assert_eq!(
            epochs(&clock, 0..130),
            before,
            "past and current epochs kept"
        );
        assert_eq!(
            clock.next_epoch_block(125),
            Ok(130),
            "epoch 3 ends as announced"
        );
        assert_eq!(epochs(&clock, 130..139), vec![4, 4, 4, 4, 5, 5, 5, 5, 6]);
        assert_eq!(clock.next_epoch_block(130), Ok(134));
        assert_eq!(clock.pending_at(125), Some(effective));
        assert_eq!(clock.pending_at(130), None);
        assert_consistent(&clock, 300);
    }

    #[test]
    fn schedule_length_on_a_boundary_block_waits_for_the_next_one() {
        let mut clock = clock();
        // Block 120 is the first block of epoch 3: epoch 3 still gets 10 blocks.
        let effective = clock.schedule_length(120, 25).unwrap();
        assert_eq!((effective.epoch, effective.block), (4, 130));
        assert_eq!(clock.epoch_at(129), Ok(3));
        assert_eq!(clock.epoch_at(154), Ok(4));
        assert_eq!(clock.epoch_at(155), Ok(5));
        assert_consistent(&clock, 300);
    }

    #[test]
    fn schedule_length_twice_before_the_boundary_replaces_the_pending_length() {
        let mut clock = clock();
        clock.schedule_length(125, 4).unwrap();
        let effective = clock.schedule_length(128, 20).unwrap();
        assert_eq!(
            effective,
            Checkpoint {
                epoch: 4,
                block: 130,
                length: 20
            }
        );
        assert_eq!(clock.epoch_at(149), Ok(4));
        assert_eq!(clock.epoch_at(150), Ok(5));
        // A third change back to the old length leaves a harmless same-length checkpoint.
        clock.schedule_length(129, 10).unwrap();
        assert_eq!(epochs(&clock, 0..300), epochs(&self::clock(), 0..300));
        assert_consistent(&clock, 300);
    }

    #[test]
    fn schedule_length_after_the_scheduled_change_was_reached_promotes_it() {
        let mut clock = clock();
        clock.schedule_length(125, 4).unwrap(); // epoch 4 starts at 130, epochs of 4 blocks
        let before = epochs(&clock, 0..140);
        // Block 136 is in epoch 5 (134..=137): the checkpoint of epoch 4 becomes active.
        let effective = clock.schedule_length(136, 7).unwrap();
        assert_eq!(
            effective,
            Checkpoint {
                epoch: 6,
                block: 138,
                length: 7
            }
        );
        assert_eq!(
            clock.active,
            Checkpoint {
                epoch: 4,
                block: 130,
                length: 4
            }
        );
        assert_eq!(epochs(&clock, 130..138), before[130..138].to_vec());
        assert_eq!(
            clock.epoch_at(129),
            Err(OutOfRange),
            "older checkpoint dropped"
        );
        assert_eq!(clock.epoch_at(144), Ok(6));
        assert_eq!(clock.epoch_at(145), Ok(7));
        assert_consistent(&clock, 300);
    }

    #[test]
    fn schedule_length_before_the_start_changes_epoch_one() {
        let mut clock = clock();
        let effective = clock.schedule_length(50, 20).unwrap();
        assert_eq!(
            effective,
            Checkpoint {
                epoch: 1,
                block: 100,
                length: 20
            }
        );
        assert_eq!(clock.pending_at(50), None);
        assert_eq!(clock.epoch_at(99), Ok(0));
        assert_eq!(clock.epoch_at(119), Ok(1));
        assert_eq!(clock.epoch_at(120), Ok(2));
        assert_consistent(&clock, 300);
    }

    #[test]
    fn schedule_length_many_times_never_renumbers_the_past_or_moves_the_current_end() {
        let mut clock = EpochClock::new(7, 5);
        // (block, new length), in block order, some several times within one epoch, some
        // exactly on boundaries, some after the scheduled change was reached.
        let changes = [
            (3, 6),
            (7, 3),
            (15, 9),
            (16, 2),
            (30, 11),
            (31, 4),
            (33, 8),
            (60, 2),
            (61, 2),
            (62, 13),
            (90, 5),
            (140, 3),
        ];
        for (block, length) in changes {
            let past = epochs(&clock, numbered_from(&clock)..block + 1);
            let past_from = numbered_from(&clock);
            let announced_end = clock.next_epoch_block(block).unwrap();
            let effective = clock.schedule_length(block, length).unwrap();
            for (past_block, epoch) in (past_from..).zip(past) {
                let now = clock.epoch_at(past_block);
                assert!(
                    now == Ok(epoch) || (now == Err(OutOfRange) && past_block < clock.active.block),
                    "change at {block} renumbered block {past_block}"
                );
            }
            assert!(
                numbered_from(&clock) <= block,
                "the current block stays numbered"
            );
            assert_eq!(clock.next_epoch_block(block), Ok(announced_end));
            assert_eq!(effective.block, announced_end);
            assert_eq!(clock.epoch_at(effective.block), Ok(effective.epoch));
            assert_consistent(&clock, 400);
        }
    }

    #[test]
    fn schedule_length_with_boundary_beyond_u32_fails_and_changes_nothing() {
        let mut clock = EpochClock::new(0, 1_000_000);
        let before = clock;
        assert_eq!(clock.schedule_length(u32::MAX - 10, 2), Err(OutOfRange));
        assert_eq!(clock, before);
    }

    #[test]
    fn schedule_length_for_a_block_before_the_active_checkpoint_fails() {
        let mut clock = clock();
        clock.schedule_length(125, 4).unwrap();
        clock.schedule_length(131, 5).unwrap(); // active: epoch 4 from block 130
        let before = clock;
        assert_eq!(clock.schedule_length(129, 6), Err(OutOfRange));
        assert_eq!(clock, before);
    }

    #[test]
    fn epoch_start_block_covers_the_active_and_scheduled_checkpoints() {
        let mut clock = clock();
        assert_eq!(clock.epoch_start_block(0), None);
        assert_eq!(clock.epoch_start_block(1), Some(100));
        assert_eq!(clock.epoch_start_block(3), Some(120));
        clock.schedule_length(125, 4).unwrap();
        assert_eq!(clock.epoch_start_block(3), Some(120));
        assert_eq!(clock.epoch_start_block(4), Some(130));
        assert_eq!(clock.epoch_start_block(6), Some(138));
        // Promoting the checkpoint of epoch 4 forgets the boundaries before it.
        clock.schedule_length(131, 5).unwrap();
        assert_eq!(clock.epoch_start_block(3), None);
        assert_eq!(clock.epoch_start_block(4), Some(130));
        assert_eq!(clock.epoch_start_block(5), Some(134));
        assert_eq!(clock.epoch_start_block(6), Some(139));
        assert_eq!(clock.epoch_start_block(u32::MAX), None);
    }
}
