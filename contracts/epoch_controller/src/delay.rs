//! The reward delay and the finality frontier it defines: pure arithmetic over epoch numbers.
//!
//! Each epoch `e` has its own delay `d(e)`: the delay in force when `e` was still running. Epoch
//! `e` is *claimable* (its scheduler report is final) at epoch `c` once it and every earlier
//! epoch `e'` satisfy `e' + d(e') <= c`. The last claimable epoch is therefore monotonic in `c`
//! whatever the owner changes: a change only applies to epochs that have not started, so
//! - **raising** the delay never reopens a final epoch (the frontier waits until the new
//!   epochs catch up), and
//! - **lowering** it never cuts an epoch's report window short (the frontier keeps the old
//!   pace until every epoch of the old delay is final, then jumps to the new delay).
//!
//! [`DelaySchedule`] holds the delay of epochs before `from_epoch` (`old`) and from it on
//! (`new`). Only one change is in transition at a time; see [`DelaySchedule::change`].
use func_interfaces::EpochId;

/// A delay change could not be scheduled: the previous one is still in transition until this
/// epoch (the first epoch at which a new change is accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeInProgress {
    pub until_epoch: EpochId,
}

/// The reward delay of every epoch: `old` before `from_epoch`, `new` from it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct DelaySchedule {
    /// Delay of the epochs before `from_epoch`, in epochs.
    pub old: u32,
    /// Delay of `from_epoch` and every later epoch, in epochs.
    pub new: u32,
    /// First epoch with the `new` delay.
    pub from_epoch: EpochId,
}

impl DelaySchedule {
    /// Every epoch has delay `delay`.
    pub fn new(delay: u32) -> Self {
        Self {
            old: delay,
            new: delay,
            from_epoch: 0,
        }
    }

    /// The delay of the epochs that end from now on at epoch `current`: `new` once
    /// `from_epoch` has started, `old` before.
    pub fn delay_at(&self, current: EpochId) -> u32 {
        if current >= self.from_epoch {
            self.new
        } else {
            self.old
        }
    }

    /// The last claimable epoch at epoch `current` (0: none): the largest `e` such that every
    /// `e' <= e` has `e' + d(e') <= current`.
    pub fn last_claimable(&self, current: EpochId) -> EpochId {
        let under_old = current.saturating_sub(self.old);
        let last_old = self.from_epoch.saturating_sub(1);
        if under_old < last_old {
            // Epochs of the old delay are still becoming claimable one by one.
            under_old
        } else {
            // Every old epoch is claimable; new epochs follow their own delay.
            last_old.max(current.saturating_sub(self.new))
        }
    }

    /// The first epoch from which `last_claimable` is `current − new` for good: no old epoch
    /// is waiting and no new epoch is held back by an old one.
    pub fn settled_from(&self) -> EpochId {
        self.from_epoch
            .saturating_sub(1)
            .saturating_add(self.old.max(self.new))
    }

    /// Gives every epoch after `current` the delay `delay` (the running epoch keeps its
    /// delay: its window was announced when it started). A change made before the previous
    /// one took effect (`current < from_epoch`) replaces it.
    ///
    /// # Errors
    /// [`ChangeInProgress`] while the previous change is in transition (`current <
    /// settled_from()` and it has taken effect): the frontier of two overlapping changes
    /// could not be kept monotonic with one schedule.
    pub fn change(&mut self, current: EpochId, delay: u32) -> Result<(), ChangeInProgress> {
        if current < self.from_epoch {
            self.new = delay;
            return Ok(());
        }
        let until_epoch = self.settled_from();
        if current < until_epoch && self.old != self.new {
            return Err(ChangeInProgress { until_epoch });
        }
        *self = Self {
            old: self.new,
            new: delay,
            from_epoch: current.saturating_add(1),
        };
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn frontier(schedule: &DelaySchedule, epochs: core::ops::RangeInclusive<u32>) -> Vec<u32> {
        epochs.map(|c| schedule.last_claimable(c)).collect()
    }

    /// Brute force of the definition: largest e with every e' <= e claimable at `current`.
    fn by_definition(schedule: &DelaySchedule, current: u32) -> u32 {
        let delay_of = |e: u32| {
            if e < schedule.from_epoch {
                schedule.old
            } else {
                schedule.new
            }
        };
        let mut last = 0;
        for e in 1..=current {
            if e + delay_of(e) <= current {
                last = e;
            } else {
                break;
            }
        }
        last
    }

    #[test]
    fn constant_delay_is_current_minus_delay() {
        let schedule = DelaySchedule::new(2);
        assert_eq!(frontier(&schedule, 0..=5), vec![0, 0, 0, 1, 2, 3]);
    }

    #[test]
    fn raising_the_delay_never_moves_the_frontier_back() {
        let mut schedule = DelaySchedule::new(2);
        schedule.change(10, 5).unwrap();
        // Epochs <= 10 keep delay 2; epoch 11 waits for 16.
        assert_eq!(
            frontier(&schedule, 10..=17),
            vec![8, 9, 10, 10, 10, 10, 11, 12]
        );
    }

    #[test]
    fn lowering_the_delay_never_shortens_a_window() {
        let mut schedule = DelaySchedule::new(5);
        schedule.change(10, 2).unwrap();
        // Epoch 10 (delay 5) is claimable at 15; epochs 11..=13 (delay 2) then at once.
        assert_eq!(
            frontier(&schedule, 10..=17),
            vec![5, 6, 7, 8, 9, 13, 14, 15]
        );
    }

    #[test]
    fn the_formula_matches_the_definition_and_is_monotonic() {
        for old in 2..=7 {
            for new in 2..=7 {
                for at in 0..=12 {
                    let mut schedule = DelaySchedule::new(old);
                    schedule.change(at, new).unwrap();
                    let mut previous = 0;
                    for current in 0..=40 {
                        let last = schedule.last_claimable(current);
                        assert_eq!(
                            last,
                            by_definition(&schedule, current),
                            "{schedule:?} @{current}"
                        );
                        assert!(last >= previous, "{schedule:?} goes back at {current}");
                        previous = last;
                    }
                }
            }
        }
    }

    #[test]
    fn a_change_in_transition_is_refused_until_it_settles() {
        let mut schedule = DelaySchedule::new(2);
        schedule.change(10, 5).unwrap();
        let settled = schedule.settled_from();
        assert_eq!(settled, 15);
        assert_eq!(
            schedule.change(11, 3),
            Err(ChangeInProgress { until_epoch: 15 })
        );
        assert_eq!(
            schedule.change(14, 3),
            Err(ChangeInProgress { until_epoch: 15 })
        );
        schedule.change(15, 3).unwrap();
        assert_eq!(
            schedule,
            DelaySchedule {
                old: 5,
                new: 3,
                from_epoch: 16
            }
        );
    }

    #[test]
    fn a_change_before_it_takes_effect_is_replaced() {
        let mut schedule = DelaySchedule::new(2);
        schedule.change(10, 5).unwrap();
        schedule.change(10, 4).unwrap();
        assert_eq!(
            schedule,
            DelaySchedule {
                old: 2,
                new: 4,
                from_epoch: 11
            }
        );
    }

    #[test]
    fn a_change_to_the_same_delay_never_blocks_the_next() {
        let mut schedule = DelaySchedule::new(3);
        schedule.change(10, 3).unwrap();
        schedule.change(11, 6).unwrap();
        assert_eq!(schedule.last_claimable(11), 8);
    }

    #[test]
    fn delay_at_switches_when_the_new_delay_starts() {
        let mut schedule = DelaySchedule::new(2);
        schedule.change(10, 5).unwrap();
        assert_eq!(schedule.delay_at(10), 2);
        assert_eq!(schedule.delay_at(11), 5);
    }
}
