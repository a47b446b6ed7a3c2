//! Which ended epochs the scheduler has reported, and when each becomes final.
//!
//! The rule (the pool's README, "Finality"):
//! - An ended epoch is *reported* once `set_epoch_reward` has been sent for it (a report of
//!   `(0, 0)` is an empty report and counts), once the scheduler or the owner has closed it as
//!   empty (`close_unreported_epochs`), or when the pool held no stake at all during it.
//! - `reported_through` is the contiguous frontier: every epoch up to it is reported. Epochs
//!   reported out of order wait in `ahead` until the gap before them is reported.
//! - An epoch is *final* (claimable, no longer reportable) once it is reported, the epoch
//!   controller's reward delay has passed (`last_claimable_epoch`), and the correction window
//!   of its report has passed: a report sent in epoch `c` gets the window of an epoch that
//!   ended just before `c`, so it is final once `last_claimable_epoch ≥ c − 1`. A timely report
//!   (sent in the epoch after the one it covers) is final exactly when the controller says; a
//!   late one gets as long to be corrected as a timely one.
//! - So an epoch that was never reported never becomes final, claims never pass it, and after
//!   an outage of any length the scheduler reports it and its providers are paid in full.
//! - While the owner has suspended reports, nothing becomes final; on resume every report not
//!   yet final gets a fresh correction window.
//!
//! Everything lives in one small cell (inside `RLST`): claims read it with the ledger's
//! scalars, so finality costs no storage access of its own.
use func_interfaces::{limits::MAX_REWARD_DELAY, EpochId};
use ink::prelude::vec::Vec;

/// A step of the report frontier that is not final yet: every epoch up to `through` was
/// reported by epoch `opened_in` (the correction window runs from there).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Window {
    pub through: EpochId,
    pub opened_in: EpochId,
}

/// The pool's record of reported epochs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ReportFrontier {
    /// Every epoch up to this one is reported (stored value; see [`Self::reported_through`]).
    pub reported_through: EpochId,
    /// Reported epochs after `reported_through + 1`, ascending (≤ `MAX_REWARD_DELAY`: a report
    /// is accepted at most `MAX_REWARD_DELAY` epochs after the final frontier).
    pub ahead: Vec<EpochId>,
    /// Steps of `reported_through` whose window has not passed, both fields ascending
    /// (≤ one per epoch of a window, so ≤ `MAX_REWARD_DELAY` + 1).
    pub windows: Vec<Window>,
    /// `Some(e)`: the pool has held no stake since epoch `e` began, so epochs from `e` on need
    /// no report (while `reported_through` reaches `e − 1`).
    pub idle_from: Option<EpochId>,
    /// `Some(e)`: the owner suspended reports in epoch `e`; nothing becomes final meanwhile.
    pub suspended_since: Option<EpochId>,
}

impl Default for ReportFrontier {
    /// A new pool: no stake yet, so every epoch is idle until the first stake.
    fn default() -> Self {
        Self {
            reported_through: 0,
            ahead: Vec::new(),
            windows: Vec::new(),
            idle_from: Some(0),
            suspended_since: None,
        }
    }
}

impl ReportFrontier {
    /// Every epoch up to the returned one is reported, at epoch `current` (counting the idle
    /// epochs of a pool without stake).
    pub fn reported_through(&self, current: EpochId) -> EpochId {
        match self.idle_from {
            Some(idle) if self.reported_through.saturating_add(1) >= idle => {
                self.reported_through.max(current.saturating_sub(1))
            }
            _ => self.reported_through,
        }
    }

    pub fn suspended(&self) -> bool {
        self.suspended_since.is_some()
    }

    /// The final frontier: `stored` (the highest frontier already settled, which never moves
    /// back) advanced by every window that has passed under `last_claimable`, the epoch
    /// controller's frontier, at epoch `current`.
    pub fn final_through(
        &self,
        stored: EpochId,
        last_claimable: EpochId,
        current: EpochId,
    ) -> EpochId {
        if self.suspended() {
            return stored;
        }
        let mut frontier = stored;
        // Bound: at most MAX_REWARD_DELAY + 1 windows.
        for window in &self.windows {
            if window.opened_in.saturating_sub(1) > last_claimable {
                return frontier;
            }
            frontier = frontier.max(window.through.min(last_claimable));
            if window.through > last_claimable {
                return frontier;
            }
        }
        // Every window has passed: the stored frontier and the idle epochs are final as far
        // as the controller allows.
        frontier.max(self.reported_through(current).min(last_claimable))
    }

    /// The highest epoch that may be reported with `final_through` final: a report is accepted
    /// at most `MAX_REWARD_DELAY` epochs ahead, which bounds every earner's list of reported,
    /// not yet final epochs.
    pub fn reportable_through(final_through: EpochId) -> EpochId {
        final_through.saturating_add(MAX_REWARD_DELAY)
    }

    /// `epoch` has been reported at epoch `current`: the frontier moves if it was the next
    /// unreported epoch (and over the epochs reported ahead of it).
    pub fn mark_reported(&mut self, epoch: EpochId, current: EpochId) {
        let through = self.reported_through(current);
        if epoch <= through {
            return;
        }
        if epoch > through.saturating_add(1) {
            if let Err(position) = self.ahead.binary_search(&epoch) {
                self.ahead.insert(position, epoch);
            }
            return;
        }
        self.advance(epoch, current);
    }

    /// Every unreported epoch up to `through` is closed as empty at epoch `current`.
    pub fn close_through(&mut self, through: EpochId, current: EpochId) {
        if through > self.reported_through(current) {
            self.advance(through, current);
        }
    }

    /// The pool's total stake went from zero to some (`staked`) or back to zero at `current`.
    pub fn stake_total_changed(&mut self, staked: bool, current: EpochId) {
        if staked {
            let through = self.reported_through(current);
            if through > self.reported_through {
                // The idle epochs need no report and no window: nothing could be earned.
                self.push_window(through, 0);
                self.reported_through = through;
            }
            self.idle_from = None;
        } else if self.idle_from.is_none() {
            // The current epoch had stake; the next ones have none so far.
            self.idle_from = Some(current.saturating_add(1));
        }
    }

    pub fn suspend(&mut self, current: EpochId) {
        self.suspended_since.get_or_insert(current);
    }

    /// Ends a suspension at `current`: every window not passed yet starts again.
    pub fn resume(&mut self, current: EpochId) {
        if self.suspended_since.take().is_some() {
            for window in &mut self.windows {
                window.opened_in = window.opened_in.max(current);
            }
        }
    }

    /// Drops the windows that `final_through` has passed.
    pub fn prune(&mut self, final_through: EpochId) {
        self.windows.retain(|window| window.through > final_through);
    }

    /// Moves the frontier to `through` (> the current one), then over the epochs reported
    /// ahead that now follow it.
    fn advance(&mut self, through: EpochId, current: EpochId) {
        let idle_through = self.reported_through(current);
        if idle_through > self.reported_through {
            self.push_window(idle_through, 0);
        }
        let mut through = through;
        self.ahead.retain(|&epoch| epoch > through);
        // Bound: at most MAX_REWARD_DELAY epochs ahead.
        while self.ahead.first() == Some(&through.saturating_add(1)) {
            through = self.ahead.remove(0);
        }
        self.push_window(through, current);
        self.reported_through = through;
    }

    fn push_window(&mut self, through: EpochId, opened_in: EpochId) {
        let opened_in = self
            .windows
            .last()
            .map_or(opened_in, |last| last.opened_in.max(opened_in));
        match self.windows.last_mut() {
            Some(last) if last.opened_in == opened_in => last.through = through,
            _ => self.windows.push(Window { through, opened_in }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staked_at(epoch: EpochId) -> ReportFrontier {
        let mut frontier = ReportFrontier::default();
        frontier.stake_total_changed(true, epoch);
        frontier
    }

    #[test]
    fn a_timely_report_is_final_when_the_controller_says() {
        // Delay 2: epoch 3 is reported in epoch 4 and final at epoch 5 (last claimable 3).
        let mut frontier = staked_at(3);
        assert_eq!(frontier.reported_through(4), 2);
        frontier.mark_reported(3, 4);
        assert_eq!(frontier.final_through(0, 2, 4), 2);
        assert_eq!(frontier.final_through(0, 3, 5), 3);
    }

    #[test]
    fn an_unreported_epoch_is_never_final_and_blocks_the_later_ones() {
        let mut frontier = staked_at(3);
        frontier.mark_reported(4, 6);
        assert_eq!(frontier.ahead, vec![4]);
        // Epoch 3 is missing: nothing after 2 is final, however late.
        assert_eq!(frontier.final_through(0, 500, 502), 2);
        // Reported 100 epochs late: a correction window of its own, then final with 4.
        frontier.mark_reported(3, 502);
        assert_eq!(frontier.reported_through(502), 4);
        assert_eq!(frontier.final_through(0, 500, 502), 2);
        assert_eq!(frontier.final_through(0, 501, 503), 4);
    }

    #[test]
    fn idle_epochs_need_no_report() {
        let mut frontier = ReportFrontier::default();
        assert_eq!(frontier.reported_through(10), 9);
        assert_eq!(frontier.final_through(0, 8, 10), 8);
        frontier.stake_total_changed(true, 10);
        assert_eq!(frontier.reported_through(30), 9);
        frontier.mark_reported(10, 11);
        frontier.stake_total_changed(false, 11);
        // Epoch 11 had stake until the unstake: it needs a report; 12.. are idle.
        assert_eq!(frontier.reported_through(20), 10);
        frontier.mark_reported(11, 20);
        assert_eq!(frontier.reported_through(20), 19);
        assert_eq!(frontier.final_through(0, 18, 20), 10);
        assert_eq!(frontier.final_through(0, 19, 21), 19);
    }

    #[test]
    fn closing_reports_a_range_as_empty() {
        let mut frontier = staked_at(1);
        frontier.close_through(40, 41);
        assert_eq!(frontier.reported_through(41), 40);
        assert_eq!(frontier.final_through(0, 39, 41), 0);
        assert_eq!(frontier.final_through(0, 40, 42), 40);
    }

    #[test]
    fn a_suspension_freezes_finality_and_resume_restarts_the_windows() {
        let mut frontier = staked_at(1);
        frontier.mark_reported(1, 2);
        frontier.suspend(2);
        assert_eq!(frontier.final_through(0, 5, 7), 0);
        frontier.resume(7);
        assert_eq!(frontier.final_through(0, 5, 7), 0);
        assert_eq!(frontier.final_through(0, 6, 8), 1);
    }

    #[test]
    fn windows_stay_ascending_and_few() {
        let mut frontier = staked_at(1);
        for epoch in 1..50 {
            frontier.mark_reported(epoch, epoch + 1);
            let final_through = frontier.final_through(0, epoch.saturating_sub(1), epoch + 1);
            frontier.prune(final_through);
            assert!(frontier.windows.len() <= 2, "{:?}", frontier.windows);
        }
    }
}
