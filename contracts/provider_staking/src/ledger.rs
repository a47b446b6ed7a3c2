//! Rewards: funding, the scheduler's per-epoch reports and each earner's reward ledger.
//!
//! - Rewards belong to an *earner*: a provider id together with the owner who held its stake in
//!   the epoch (see `stakes`). A later holder of the same id never sees an earlier holder's
//!   rewards, and an earlier holder can still claim them.
//! - A boost is reserved when it is funded, for its own epoch only. The scheduler reports an
//!   ended, not yet final epoch: its reward `total` (≤ hard cap; the epoch's boost is added),
//!   reserved from the unreserved funds, and `total_shards`, then each provider's shards in
//!   batches. A promised reward is therefore always payable, and a boosted epoch can always be
//!   reported (a total of 0 gives its providers the boost alone).
//! - An epoch is final once it is ≤ the last claimable epoch (the controller's frontier, which
//!   only moves forward). Final epochs are never reported again. When an epoch is final, what
//!   nobody can ever claim from it (the share of unrecorded shards, a boost nobody earned, and
//!   the rounding dust) is released to the unreserved funds: `release_final`, run before every
//!   ledger change. Each epoch keeps `allocated` ≥ the sum of its earners' shares, so a release
//!   never touches a reward that can still be claimed.
//! - An earner's reported, not yet final epochs sit in its pending list (≤ `MAX_REWARD_DELAY`).
//!   Final pending epochs are folded, in epoch order, into the earner's append-only ledger of
//!   `(epoch, cumulative reward)` entries, before a new epoch enters the list and at claim time.
//! - A claim reads the cumulative reward at its last epoch (last entry, else binary search) and
//!   pays the difference to what was already claimed: O(log n) storage reads in the number n of
//!   rewarded epochs plus a fold of at most `MAX_REWARD_DELAY` epochs, whatever the range.
use crate::{frontier::ReportFrontier, funding::RewardFunding};
use core::cell::RefCell;
use func_interfaces::{
    ensure,
    limits::{MAX_BATCH_SIZE, MAX_BOOST_EPOCHS, MAX_REWARD_DELAY},
    AccountId, Balance, EpochId, EpochInfo, ProviderId, StakingError,
};
use ink::{
    prelude::vec::Vec,
    storage::{traits::ManualKey, Lazy, Mapping},
};

/// Who earns a reward: a provider id and the owner who held its stake in the epoch.
pub type Earner = (ProviderId, AccountId);

#[cfg(test)]
mod tests;

/// An epoch's reward report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct EpochReward {
    /// Reward reported by the scheduler (at most the hard cap).
    pub total: Balance,
    /// Boosts of the epoch, added to `total` when it was reported.
    pub boost: Balance,
    /// Shards of all providers in the epoch; the divisor of the reward split.
    pub total_shards: u64,
    /// Sum of the provider shards recorded so far (≤ `total_shards`).
    pub recorded_shards: u64,
    /// At least the sum of the recorded providers' shares (exactly that sum unless the total
    /// was corrected after shards were recorded; then `amount × recorded / total_shards`).
    /// What is above it is released when the epoch becomes final.
    pub allocated: Balance,
}

impl EpochReward {
    /// The amount split between the epoch's providers: `total + boost`.
    ///
    /// # Errors
    /// `Overflow`.
    pub fn amount(&self) -> Result<Balance, StakingError> {
        self.total
            .checked_add(self.boost)
            .ok_or(StakingError::Overflow)
    }
}

/// One entry of a provider's ledger: its cumulative reward through `epoch`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct LedgerEntry {
    pub epoch: EpochId,
    pub cumulative: Balance,
    /// The earner's shards in `epoch` (kept for the `provider_shards` view).
    pub shards: u64,
}

/// An epoch in an earner's pending list: reported, not folded into its ledger yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PendingEpoch {
    pub epoch: EpochId,
    pub shards: u64,
}

/// A scheduler report folds an earner's final pending epochs into its ledger only once its
/// pending list holds more than this many epochs, and then only the oldest ones, back down to
/// this length (a claim always folds every final epoch). Each report adds at most one epoch to
/// a list, so a report folds at most one epoch per provider: most reports touch one storage
/// cell per provider (the pending list), the others four (and a batch never writes eight
/// ledger entries per provider, which measured 5.3 MB of proof at 25 providers).
pub const FOLD_AT: usize = 8;

/// Most final epochs one report folds per provider (see [`FOLD_AT`]).
pub const FOLDS_PER_REPORT: usize = 1;

/// Most open epochs one message settles (releases what nobody can claim from them): after an
/// outage many epochs become final at once, and each costs a report read. The rest are
/// settled by the next messages; `reward_funding()` shows them released at once.
pub const MAX_RELEASES_PER_MESSAGE: usize = 2;

/// An earner's claim state (absent: nothing earned or claimed yet). Never removed, so rewards
/// survive unstaking and deregistration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct RewardAccount {
    /// Number of ledger entries.
    pub ledger_len: u32,
    /// Cumulative reward of the last ledger entry (0 while the ledger is empty), so that a
    /// fold need not read that entry.
    pub ledger_cumulative: Balance,
    /// Last epoch claimed (0: none).
    pub claimed_through: EpochId,
    /// Cumulative reward through `claimed_through`, all of it paid.
    pub claimed_cumulative: Balance,
}

/// An earner's claim state and its pending epochs, one cell (`ERNR`): a report reads and writes
/// it once per provider, fold or not, and a claim once. Removed only when both are empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct EarnerState {
    pub account: RewardAccount,
    /// Reported epochs not folded yet, in epoch order (≤ `MAX_REWARD_DELAY` not final, and
    /// ≤ `FOLD_AT` in all once a report has folded).
    pub pending: Vec<PendingEpoch>,
}

/// A valid boost: `amount` spread evenly over `epochs` epochs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boost {
    epochs: u32,
    per_epoch: Balance,
    amount: Balance,
}

impl Boost {
    /// # Errors
    /// `InvalidBoost` unless `1 <= epochs <= MAX_BOOST_EPOCHS`, `amount > 0` and `epochs`
    /// divides `amount`.
    pub fn new(epochs: u32, amount: Balance) -> Result<Self, StakingError> {
        ensure!(
            (1..=MAX_BOOST_EPOCHS).contains(&epochs) && amount > 0,
            StakingError::InvalidBoost
        );
        let divisor = Balance::from(epochs);
        ensure!(
            amount.checked_rem(divisor) == Some(0),
            StakingError::InvalidBoost
        );
        let per_epoch = amount
            .checked_div(divisor)
            .ok_or(StakingError::InvalidBoost)?;
        Ok(Self {
            epochs,
            per_epoch,
            amount,
        })
    }

    pub fn epochs(&self) -> u32 {
        self.epochs
    }

    pub fn amount(&self) -> Balance {
        self.amount
    }
}

/// A valid shard report: 1..=`MAX_BATCH_SIZE` entries, one per provider. When a provider
/// appears more than once its last entry wins, as if the entries were applied in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardBatch(Vec<(ProviderId, u64)>);

impl ShardBatch {
    /// # Errors
    /// `InvalidBatchSize` for an empty batch or one longer than `MAX_BATCH_SIZE`.
    pub fn new(mut entries: Vec<(ProviderId, u64)>) -> Result<Self, StakingError> {
        ensure!(
            (1..=MAX_BATCH_SIZE).contains(&entries.len()),
            StakingError::InvalidBatchSize
        );
        // A stable sort keeps each provider's entries in order; reversed, the last one leads its
        // run and `dedup_by` keeps it.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.reverse();
        entries.dedup_by(|later, kept| later.0 == kept.0);
        Ok(Self(entries))
    }

    /// Number of distinct providers.
    pub fn providers(&self) -> u32 {
        // At most MAX_BATCH_SIZE.
        self.0.len() as u32
    }
}

struct Settled {
    /// The earner's account as stored.
    stored: RewardAccount,
    /// The account, `ledger_len` already counting `folded`.
    account: RewardAccount,
    /// New ledger entries, to be stored at `stored.ledger_len..`.
    folded: Vec<LedgerEntry>,
    /// Pending epochs left after the fold, in epoch order.
    pending: Vec<PendingEpoch>,
    /// `pending` differs from the stored list.
    pending_changed: bool,
}

impl Settled {
    /// Ledger length before the fold.
    fn stored_len(&self) -> u32 {
        self.stored.ledger_len
    }
}

/// Epoch reports read during one message, each read from storage at most once: the providers
/// of a batch or of a cluster page mostly share their final pending epochs. Bound: the distinct
/// epochs read, at most `FOLD_AT` + `MAX_REWARD_DELAY` per earner and mostly shared.
#[derive(Debug, Default)]
pub struct ReportCache(RefCell<Vec<(EpochId, EpochReward)>>);

impl ReportCache {
    fn get(&self, epoch: EpochId, read: impl FnOnce() -> EpochReward) -> EpochReward {
        if let Some(&(_, reward)) = self.0.borrow().iter().find(|(e, _)| *e == epoch) {
            return reward;
        }
        let reward = read();
        self.0.borrow_mut().push((epoch, reward));
        reward
    }
}

/// The claims of one message (one provider, or a cluster page): the ledger's scalars are read
/// once and written once ([`RewardLedger::begin_claims`], [`RewardLedger::end_claims`]), and
/// each epoch report once.
#[derive(Debug)]
pub struct ClaimSession {
    state: LedgerState,
    reports: ReportCache,
    changed: bool,
    /// `to` is an upper bound: claims go through `min(to, final frontier)` instead of failing
    /// with `EpochNotClaimable` (cluster claims: one range for every pool, each with its own
    /// frontier).
    pub up_to: bool,
}

/// The ledger's scalars, one cell under their own key (`RLST`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct LedgerState {
    pub funding: RewardFunding,
    /// Most the scheduler may report as an epoch's total.
    pub hard_cap: Balance,
    /// Highest final frontier settled: epochs up to it are final (it never moves back).
    pub finalized_through: EpochId,
    /// Which ended epochs are reported and when their windows pass (see `frontier`).
    pub reports: ReportFrontier,
}

impl LedgerState {
    /// The pool's final frontier under the epoch controller's `info`: epochs up to it are
    /// claimable and no longer reportable. Only ever moves forward.
    pub fn final_through(&self, info: &EpochInfo) -> EpochId {
        self.reports.final_through(
            self.finalized_through,
            info.last_claimable_epoch,
            info.current_epoch,
        )
    }
}

impl Default for LedgerState {
    /// No funds and no hard cap (`Balance::MAX`) until the owner sets one.
    fn default() -> Self {
        Self {
            funding: RewardFunding::default(),
            hard_cap: Balance::MAX,
            finalized_through: 0,
            reports: ReportFrontier::default(),
        }
    }
}

/// Reward funding, reports and provider ledgers of one pool.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct RewardLedger {
    state: Lazy<LedgerState, ManualKey<0x524c_5354>>, // "RLST"
    epoch_rewards: Mapping<EpochId, EpochReward, ManualKey<0x4550_5257>>, // "EPRW"
    boosts: Mapping<EpochId, Balance, ManualKey<0x424f_5354>>, // "BOST"
    /// Epochs holding a reservation not yet settled by `release_final`, ascending. Bound: they
    /// are not final, so they lie within `MAX_REWARD_DELAY` epochs before the current one or
    /// within `MAX_BOOST_EPOCHS` after it.
    open_epochs: Lazy<Vec<EpochId>, ManualKey<0x4f50_454e>>, // "OPEN"
    earners: Mapping<Earner, EarnerState, ManualKey<0x4552_4e52>>, // "ERNR"
    entries: Mapping<(Earner, u32), LedgerEntry, ManualKey<0x4c45_4447>>, // "LEDG"
}

impl RewardLedger {
    /// The `RLST` cell (its default until first written).
    pub fn state(&self) -> LedgerState {
        self.state.get().unwrap_or_default()
    }

    fn save(&mut self, state: &LedgerState) {
        self.state.set(state);
    }

    pub fn funding(&self) -> RewardFunding {
        self.state().funding
    }

    /// The funding as it will be once every epoch final under `info` is released (what the
    /// next ledger change will store).
    ///
    /// # Errors
    /// `Overflow`.
    pub fn funding_at(&self, info: &EpochInfo) -> Result<RewardFunding, StakingError> {
        let mut funding = self.funding();
        for (_, amount) in self.releasable(self.finality(info))? {
            funding.release(amount)?;
        }
        Ok(funding)
    }

    pub fn hard_cap(&self) -> Balance {
        self.state().hard_cap
    }

    pub fn set_hard_cap(&mut self, hard_cap: Balance) {
        let mut state = self.state();
        state.hard_cap = hard_cap;
        self.save(&state);
    }

    /// The pool's final frontier under `info` (see [`LedgerState::final_through`]).
    pub fn final_through(&self, info: &EpochInfo) -> EpochId {
        self.state().final_through(info)
    }

    /// Every ended epoch up to the returned one is reported (or idle, or closed) at `current`.
    pub fn reported_through(&self, current: EpochId) -> EpochId {
        self.state().reports.reported_through(current)
    }

    /// The owner has suspended the scheduler's reports.
    pub fn reports_suspended(&self) -> bool {
        self.state().reports.suspended()
    }

    /// The pool's total stake became positive (`staked`) or zero at epoch `current`: epochs
    /// without any stake need no report.
    pub fn stake_total_changed(&mut self, staked: bool, current: EpochId) {
        let mut state = self.state();
        state.reports.stake_total_changed(staked, current);
        self.save(&state);
    }

    /// The owner suspends the scheduler's reports: nothing becomes final until
    /// [`Self::resume_reports`]; the owner may still report.
    pub fn suspend_reports(&mut self, current: EpochId) {
        let mut state = self.state();
        state.reports.suspend(current);
        self.save(&state);
    }

    /// Ends a suspension: every report not final yet gets a fresh correction window.
    pub fn resume_reports(&mut self, current: EpochId) {
        let mut state = self.state();
        state.reports.resume(current);
        self.save(&state);
    }

    /// Closes every unreported ended epoch up to `through` as empty (no reward).
    ///
    /// # Errors
    /// `ReportsSuspended` unless `by_owner`; `EpochNotEnded` if `through` has not ended;
    /// `EpochFinalized` if every epoch up to `through` is final already.
    pub fn close_unreported(
        &mut self,
        through: EpochId,
        info: &EpochInfo,
        by_owner: bool,
    ) -> Result<(), StakingError> {
        let mut state = self.state();
        ensure!(
            by_owner || !state.reports.suspended(),
            StakingError::ReportsSuspended
        );
        ensure!(through < info.current_epoch, StakingError::EpochNotEnded);
        ensure!(
            through > state.final_through(info),
            StakingError::EpochFinalized
        );
        state.reports.close_through(through, info.current_epoch);
        self.save(&state);
        Ok(())
    }

    pub fn epoch_reward(&self, epoch: EpochId) -> Option<EpochReward> {
        self.epoch_rewards.get(epoch)
    }

    /// Boost of `epoch` (0 if none).
    pub fn boost(&self, epoch: EpochId) -> Balance {
        self.boosts.get(epoch).unwrap_or(0)
    }

    /// Epochs whose reservation is not settled yet, ascending.
    pub fn open_epochs(&self) -> Vec<EpochId> {
        self.open_epochs.get().unwrap_or_default()
    }

    /// `total + boost` of a reported epoch; the boost alone for an unreported one.
    pub fn total_reward_for_epoch(&self, epoch: EpochId) -> Balance {
        match self.epoch_reward(epoch) {
            // `total + boost` was checked when the epoch was reported.
            Some(reward) => reward.total.saturating_add(reward.boost),
            None => self.boost(epoch),
        }
    }

    /// Shards recorded for `earner` in `epoch` (0 if none).
    pub fn provider_shards(&self, earner: &Earner, epoch: EpochId) -> u64 {
        let state = self.earner(earner);
        if let Some(entry) = state.pending.iter().find(|entry| entry.epoch == epoch) {
            return entry.shards;
        }
        let len = state.account.ledger_len;
        entry_of_epoch(len, epoch, |index| self.entry(earner, index)).map_or(0, |e| e.shards)
    }

    /// Entries in `earner`'s ledger: the epochs reports have folded (tests).
    #[cfg(test)]
    pub(crate) fn ledger_len(&self, earner: &Earner) -> u32 {
        self.earner(earner).account.ledger_len
    }

    /// `earner`'s account and pending list (default: nothing earned or claimed yet).
    pub fn earner(&self, earner: &Earner) -> EarnerState {
        self.earners.get(earner).unwrap_or_default()
    }

    /// Last epoch `earner` claimed (0: none).
    pub fn claimed_through(&self, earner: &Earner) -> EpochId {
        self.earner(earner).account.claimed_through
    }

    /// Adds `amount` to the reward funds.
    ///
    /// # Errors
    /// `ZeroAmount`; `Overflow`.
    pub fn fund(&mut self, amount: Balance) -> Result<(), StakingError> {
        ensure!(amount > 0, StakingError::ZeroAmount);
        let mut state = self.state();
        state.funding.fund(amount)?;
        self.save(&state);
        Ok(())
    }

    /// Takes `amount` of the unreserved funds out (the caller transfers it).
    ///
    /// # Errors
    /// `ZeroAmount`; `InsufficientRewardFunding` with the unreserved funds.
    pub fn withdraw(&mut self, amount: Balance) -> Result<(), StakingError> {
        let mut state = self.state();
        state.funding.withdraw(amount)?;
        self.save(&state);
        Ok(())
    }

    /// Settles every open epoch that is final under `info`: releases what nobody can claim
    /// from it to the unreserved funds and closes it. Returns the released `(epoch, amount)`
    /// pairs (amounts > 0), for events. Nothing is written on error.
    ///
    /// # Errors
    /// `Overflow`.
    pub fn release_final(
        &mut self,
        info: &EpochInfo,
    ) -> Result<Vec<(EpochId, Balance)>, StakingError> {
        let mut state = self.state();
        let finalized_through = state.final_through(info);
        let mut open = self.open_epochs();
        let settled = open
            .partition_point(|&epoch| epoch <= finalized_through)
            .min(MAX_RELEASES_PER_MESSAGE);
        if settled == 0 {
            if state.finalized_through != finalized_through {
                state.finalized_through = finalized_through;
                state.reports.prune(finalized_through);
                self.save(&state);
            }
            return Ok(Vec::new());
        }
        let last_settled = open.get(settled.saturating_sub(1)).copied().unwrap_or(0);
        let released = self.releasable(last_settled)?;
        for &(_, amount) in &released {
            state.funding.release(amount)?;
        }
        open.drain(..settled);
        self.open_epochs.set(&open);
        state.finalized_through = finalized_through;
        state.reports.prune(finalized_through);
        self.save(&state);
        Ok(released)
    }

    /// Adds `boost` to the funds, reserves it, and gives its per-epoch part to each of the
    /// `boost.epochs()` epochs after `current_epoch`; returns the first boosted epoch.
    ///
    /// # Errors
    /// `Overflow`.
    pub fn add_boost(
        &mut self,
        boost: &Boost,
        current_epoch: EpochId,
    ) -> Result<EpochId, StakingError> {
        let start_epoch = current_epoch.checked_add(1).ok_or(StakingError::Overflow)?;
        let mut state = self.state();
        state.funding.fund(boost.amount)?;
        state.funding.reserve(boost.amount)?;
        let mut boosted = Vec::new();
        // Bound: `boost.epochs <= MAX_BOOST_EPOCHS`.
        for offset in 0..boost.epochs {
            let epoch = start_epoch
                .checked_add(offset)
                .ok_or(StakingError::Overflow)?;
            let total = self
                .boost(epoch)
                .checked_add(boost.per_epoch)
                .ok_or(StakingError::Overflow)?;
            boosted.push((epoch, total));
        }
        let mut open = self.open_epochs();
        for &(epoch, total) in &boosted {
            self.boosts.insert(epoch, &total);
            insert_sorted(&mut open, epoch);
        }
        self.open_epochs.set(&open);
        self.save(&state);
        Ok(start_epoch)
    }

    /// Reports (or corrects) `epoch`'s reward total and total shards and reserves `total`
    /// (the epoch's boost is reserved already), releasing the previous report's reservation.
    /// Returns the stored report.
    ///
    /// # Errors
    /// `EpochNotEnded`, `EpochFinalized`, `AboveHardCap`; `ShardsExceedTotal` if
    /// `total_shards` is below the shards already recorded, or 0 while there is a reward to
    /// split; `InsufficientRewardFunding`; `Overflow`.
    pub fn set_epoch_reward(
        &mut self,
        epoch: EpochId,
        (total, total_shards): (Balance, u64),
        info: &EpochInfo,
        by_owner: bool,
    ) -> Result<EpochReward, StakingError> {
        let mut state = self.state();
        let finalized_through = ensure_reportable(epoch, info, &state, by_owner)?;
        ensure!(
            total <= state.hard_cap,
            StakingError::AboveHardCap {
                hard_cap: state.hard_cap
            }
        );
        let previous = self.epoch_reward(epoch).unwrap_or_default();
        let mut reward = EpochReward {
            total,
            boost: self.boost(epoch),
            total_shards,
            ..previous
        };
        let amount = reward.amount()?;
        ensure!(
            total_shards >= previous.recorded_shards && (amount == 0 || total_shards > 0),
            StakingError::ShardsExceedTotal
        );
        if (amount, total_shards) != (previous.amount()?, previous.total_shards) {
            // Each recorded share changes; their exact sum cannot be recomputed without reading
            // every provider, so keep an upper bound (a sum of floors is at most the floor of
            // the sum).
            reward.allocated = pro_rata(amount, reward.recorded_shards, total_shards)?;
        }
        state.funding.re_reserve(previous.total, total)?;

        state.finalized_through = finalized_through;
        state.reports.mark_reported(epoch, info.current_epoch);
        self.save(&state);
        // A report of (0, 0) stays: it reports the epoch as empty.
        self.epoch_rewards.insert(epoch, &reward);
        let mut open = self.open_epochs();
        if insert_sorted(&mut open, epoch) {
            self.open_epochs.set(&open);
        }
        Ok(reward)
    }

    /// Records (or corrects) the shards of each provider of `batch` in `epoch`; shards of 0
    /// remove a provider's record. `holder` names who held a provider's stake in `epoch`: the
    /// shards and the reward are that earner's. Returns the epoch's updated report.
    ///
    /// # Errors
    /// `EpochNotEnded`, `EpochFinalized`, `EpochRewardNotSet`; `NotStakedInEpoch` for a
    /// provider without a stake in `epoch`; `TooManyPendingEpochs`; `ShardsExceedTotal` if the
    /// recorded shards would exceed the total; `Overflow`. Nothing is written on error.
    pub fn record_provider_shards(
        &mut self,
        epoch: EpochId,
        batch: ShardBatch,
        (info, by_owner): (&EpochInfo, bool),
        holder: impl Fn(&ProviderId, EpochId) -> Option<AccountId>,
    ) -> Result<EpochReward, StakingError> {
        let mut state = self.state();
        let finalized_through = ensure_reportable(epoch, info, &state, by_owner)?;
        let mut reward = self
            .epoch_reward(epoch)
            .ok_or(StakingError::EpochRewardNotSet)?;
        let amount = reward.amount()?;
        let mut recorded = reward.recorded_shards;
        let mut allocated = reward.allocated;
        let mut updates = Vec::with_capacity(batch.0.len());
        // The providers folding in this report mostly fold the same epoch: read it once.
        let reports = ReportCache::default();
        // Bound: a batch holds at most MAX_BATCH_SIZE providers.
        for (id, shards) in batch.0 {
            let owner = holder(&id, epoch).ok_or(StakingError::NotStakedInEpoch {
                id: id.clone(),
                epoch,
            })?;
            let earner = (id, owner);
            let EarnerState {
                account,
                mut pending,
            } = self.earner(&earner);
            let position = pending.partition_point(|entry| entry.epoch < epoch);
            let listed = pending
                .get(position)
                .filter(|entry| entry.epoch == epoch)
                .is_some();
            let previous = if listed { pending[position].shards } else { 0 };
            if shards == previous {
                continue;
            }
            ensure!(
                shards <= reward.total_shards,
                StakingError::ShardsExceedTotal
            );
            recorded = recorded
                .checked_sub(previous)
                .and_then(|rest| rest.checked_add(shards))
                .ok_or(StakingError::Overflow)?;
            allocated = allocated
                .checked_sub(pro_rata(amount, previous, reward.total_shards)?)
                .and_then(|rest| {
                    pro_rata(amount, shards, reward.total_shards)
                        .ok()
                        .and_then(|share| rest.checked_add(share))
                })
                .ok_or(StakingError::Overflow)?;
            match (listed, shards) {
                (true, 0) => {
                    pending.remove(position);
                }
                (true, _) => pending[position].shards = shards,
                (false, _) => pending.insert(position, PendingEpoch { epoch, shards }),
            }
            // Final epochs are folded only once the list is long, and at most one per report
            // (a claim settles them all in memory), so a report's cost never depends on how
            // many epochs became final at once (after an outage, say).
            let fold = pending.len().saturating_sub(FOLD_AT).min(FOLDS_PER_REPORT);
            let settled =
                self.settle_list(account, pending, finalized_through, (fold, &reports))?;
            ensure!(
                settled.pending.len() <= MAX_REWARD_DELAY as usize,
                StakingError::TooManyPendingEpochs
            );
            updates.push((earner, settled));
        }
        ensure!(
            recorded <= reward.total_shards,
            StakingError::ShardsExceedTotal
        );
        // After a correction of the total, `allocated` is an upper bound, and the exact shares
        // moved in and out above can take it past what the epoch has: the floor of the
        // recorded shards' share is always a bound too (a sum of floors is at most the floor
        // of the sum), and never above the amount.
        allocated = allocated.min(pro_rata(amount, recorded, reward.total_shards)?);

        for (earner, settled) in updates {
            self.commit(&earner, settled);
        }
        reward.recorded_shards = recorded;
        reward.allocated = allocated;
        self.epoch_rewards.insert(epoch, &reward);
        if state.finalized_through != finalized_through {
            state.finalized_through = finalized_through;
            self.save(&state);
        }
        Ok(reward)
    }

    /// Claims `earner`'s unclaimed rewards of the epochs up to `to`, the claim starting at
    /// `from`; returns the amount, which the caller must pay to the earner's owner.
    ///
    /// # Errors
    /// `InvalidEpochRange` unless `1 <= from <= to`; `EpochNotClaimable` if `to` is after the
    /// last claimable epoch; `AlreadyClaimed` if `to` was claimed; `ClaimGap` if epochs between
    /// the last claim and `from` hold rewards; `NothingToClaim`; `Overflow`.
    pub fn claim(
        &mut self,
        earner: &Earner,
        from: EpochId,
        to: EpochId,
        info: &EpochInfo,
    ) -> Result<Balance, StakingError> {
        let mut session = self.begin_claims();
        let (amount, _) = self.claim_in(&mut session, earner, from, to, info)?;
        self.end_claims(session);
        Ok(amount)
    }

    /// Starts the claims of one message: reads the ledger's scalars once.
    pub fn begin_claims(&self) -> ClaimSession {
        ClaimSession {
            state: self.state(),
            reports: ReportCache::default(),
            changed: false,
            up_to: false,
        }
    }

    /// Ends the claims of one message: writes the ledger's scalars once, if a claim paid.
    pub fn end_claims(&mut self, session: ClaimSession) {
        if session.changed {
            self.save(&session.state);
        }
    }

    /// [`Self::claim`] within `session`; a failed claim changes neither the ledger nor the
    /// session. Returns the amount and the last epoch claimed (`to`, or the final frontier if
    /// lower and `session.up_to`). Same errors.
    pub fn claim_in(
        &mut self,
        session: &mut ClaimSession,
        earner: &Earner,
        from: EpochId,
        to: EpochId,
        info: &EpochInfo,
    ) -> Result<(Balance, EpochId), StakingError> {
        ensure!(from >= 1 && from <= to, StakingError::InvalidEpochRange);
        let finalized_through = session.state.final_through(info);
        let to = if session.up_to {
            to.min(finalized_through)
        } else {
            to
        };
        ensure!(
            to <= finalized_through,
            StakingError::EpochNotClaimable {
                last_claimable_epoch: finalized_through
            }
        );
        let stored = self.earner(earner);
        let settled = self.settle(stored.clone(), finalized_through, &session.reports)?;
        let claimed_through = settled.account.claimed_through;
        let claimed_cumulative = settled.account.claimed_cumulative;
        ensure!(to > claimed_through, StakingError::AlreadyClaimed);
        let next_epoch = claimed_through
            .checked_add(1)
            .ok_or(StakingError::Overflow)?;
        if from > next_epoch {
            // `from > 1` here.
            let before = from.saturating_sub(1);
            if self.cumulative_at(earner, &settled, before) > claimed_cumulative {
                return Err(StakingError::ClaimGap {
                    first_unclaimed_epoch: self
                        .first_epoch_above(earner, &settled, claimed_cumulative)
                        .unwrap_or(next_epoch),
                });
            }
        }
        let cumulative = self.cumulative_at(earner, &settled, to);
        let amount = cumulative
            .checked_sub(claimed_cumulative)
            .ok_or(StakingError::Overflow)?;
        ensure!(amount > 0, StakingError::NothingToClaim);
        session.state.funding.pay(amount)?;

        // The fold stays in memory: a claim writes the account alone (with its ledger length
        // as stored), so a cluster page does not write a ledger cell per final epoch of each
        // provider. Reports fold the final epochs later, one at a time, to the same cumulative
        // figures (a final epoch's reward never changes).
        let mut account = stored.account;
        account.claimed_through = to;
        account.claimed_cumulative = cumulative;
        self.earners.insert(
            earner,
            &EarnerState {
                account,
                pending: stored.pending,
            },
        );
        session.state.finalized_through = finalized_through;
        session.changed = true;
        Ok((amount, to))
    }

    /// What `earner` could claim now: its unclaimed rewards through the last claimable epoch,
    /// including final epochs not folded yet.
    ///
    /// # Errors
    /// `Overflow`.
    pub fn pending_rewards(
        &self,
        earner: &Earner,
        info: &EpochInfo,
    ) -> Result<Balance, StakingError> {
        let finalized_through = self.finality(info);
        let settled = self.settle(
            self.earner(earner),
            finalized_through,
            &ReportCache::default(),
        )?;
        let cumulative = self.cumulative_at(earner, &settled, finalized_through);
        // The frontier never moves back, so this is never below what was claimed.
        Ok(cumulative.saturating_sub(settled.account.claimed_cumulative))
    }

    /// Rewards `earner` earned in `from..=to`, claimed or not, final or not (computed with the
    /// current reports). `from` 0 counts as 1; an empty range gives 0.
    ///
    /// # Errors
    /// `Overflow`.
    pub fn view_rewards(
        &self,
        earner: &Earner,
        from: EpochId,
        to: EpochId,
    ) -> Result<Balance, StakingError> {
        // `from` 0 counts as 1.
        let before = from.saturating_sub(1);
        if before >= to {
            return Ok(0);
        }
        let state = self.earner(earner);
        let len = state.account.ledger_len;
        let read = |index| self.entry(earner, index);
        let in_ledger = cumulative_at(len, to, read)
            .checked_sub(cumulative_at(len, before, read))
            .ok_or(StakingError::Overflow)?;
        let mut total = in_ledger;
        let reports = ReportCache::default();
        // Bound: the pending list holds at most MAX_REWARD_DELAY epochs.
        for entry in state.pending {
            if entry.epoch > before && entry.epoch <= to {
                total = total
                    .checked_add(self.reward_in(entry, &reports)?)
                    .ok_or(StakingError::Overflow)?;
            }
        }
        Ok(total)
    }

    /// The effective finality for `info`: epochs up to it are final.
    fn finality(&self, info: &EpochInfo) -> EpochId {
        self.final_through(info)
    }

    /// What `release_final` would release for the open epochs up to `finalized_through`: per
    /// epoch, its reservation (`total + boost`, or the boost of an unreported epoch) minus
    /// `allocated`. Bound: the open epochs (see `open_epochs`).
    fn releasable(
        &self,
        finalized_through: EpochId,
    ) -> Result<Vec<(EpochId, Balance)>, StakingError> {
        let mut released = Vec::new();
        for epoch in self
            .open_epochs()
            .into_iter()
            .take_while(|&epoch| epoch <= finalized_through)
        {
            // `allocated` never exceeds the amount; were it ever to, this epoch alone would
            // release nothing rather than block every other epoch's release.
            let unclaimable = match self.epoch_reward(epoch) {
                Some(reward) => reward
                    .amount()
                    .unwrap_or(0)
                    .saturating_sub(reward.allocated),
                None => self.boost(epoch),
            };
            if unclaimable > 0 {
                released.push((epoch, unclaimable));
            }
        }
        Ok(released)
    }

    /// The reward of a pending epoch under the epoch's current report.
    fn reward_in(
        &self,
        entry: PendingEpoch,
        reports: &ReportCache,
    ) -> Result<Balance, StakingError> {
        if entry.shards == 0 {
            return Ok(0);
        }
        let reward = reports.get(entry.epoch, || {
            self.epoch_reward(entry.epoch).unwrap_or_default()
        });
        pro_rata(reward.amount()?, entry.shards, reward.total_shards)
    }

    /// Ledger entry `index` of `earner`. Entries `0..ledger_len` always exist (append-only).
    fn entry(&self, earner: &Earner, index: u32) -> LedgerEntry {
        self.entries.get((earner, index)).unwrap_or_default()
    }

    /// Reads `earner`'s account and pending list and folds, in memory, every pending epoch up
    /// to `finalized_through` into new ledger entries (epochs without reward add none).
    fn settle(
        &self,
        state: EarnerState,
        finalized_through: EpochId,
        reports: &ReportCache,
    ) -> Result<Settled, StakingError> {
        self.fold(
            state.pending,
            finalized_through,
            (usize::MAX, reports),
            state.account,
        )
    }

    /// `pending`, the new pending list of the earner whose account is `account`, with up to
    /// `fold` of its oldest final epochs folded (in memory). The pending list is marked as
    /// changed.
    fn settle_list(
        &self,
        account: RewardAccount,
        pending: Vec<PendingEpoch>,
        finalized_through: EpochId,
        (fold, reports): (usize, &ReportCache),
    ) -> Result<Settled, StakingError> {
        let mut settled = self.fold(pending, finalized_through, (fold, reports), account)?;
        // The caller changed the list (a report's shards).
        settled.pending_changed = true;
        Ok(settled)
    }

    /// Folds the oldest epochs of `pending` up to `finalized_through`, at most `limit` of them,
    /// onto the ledger of `stored` (an earner's account), in memory.
    fn fold(
        &self,
        mut pending: Vec<PendingEpoch>,
        finalized_through: EpochId,
        (limit, reports): (usize, &ReportCache),
        stored: RewardAccount,
    ) -> Result<Settled, StakingError> {
        let finals = pending
            .partition_point(|entry| entry.epoch <= finalized_through)
            .min(limit);
        let mut folded = Vec::new();
        if finals > 0 {
            let mut cumulative = stored.ledger_cumulative;
            // Bound: the pending list holds at most MAX_REWARD_DELAY + FOLD_AT epochs.
            for &entry in &pending[..finals] {
                let reward = self.reward_in(entry, reports)?;
                if reward > 0 {
                    cumulative = cumulative
                        .checked_add(reward)
                        .ok_or(StakingError::Overflow)?;
                    folded.push(LedgerEntry {
                        epoch: entry.epoch,
                        cumulative,
                        shards: entry.shards,
                    });
                }
            }
            pending.drain(..finals);
        }
        let added = u32::try_from(folded.len()).map_err(|_| StakingError::Overflow)?;
        let ledger_len = stored
            .ledger_len
            .checked_add(added)
            .ok_or(StakingError::Overflow)?;
        let ledger_cumulative = folded
            .last()
            .map_or(stored.ledger_cumulative, |entry| entry.cumulative);
        Ok(Settled {
            stored,
            account: RewardAccount {
                ledger_len,
                ledger_cumulative,
                ..stored
            },
            folded,
            pending,
            pending_changed: finals > 0,
        })
    }

    /// Writes what changed in a settled state: new ledger entries, account, pending list.
    fn commit(&mut self, earner: &Earner, settled: Settled) {
        let mut index = settled.stored_len();
        // Bound: at most MAX_REWARD_DELAY + FOLD_AT entries are folded at once.
        for entry in &settled.folded {
            self.entries.insert((earner, index), entry);
            // At most `account.ledger_len`, computed with `checked_add` in `fold`.
            index = index.saturating_add(1);
        }
        let account_changed = settled.stored != settled.account;
        if !account_changed && !settled.pending_changed {
            return;
        }
        if settled.pending.is_empty() && settled.account == RewardAccount::default() {
            self.earners.remove(earner);
        } else {
            self.earners.insert(
                earner,
                &EarnerState {
                    account: settled.account,
                    pending: settled.pending,
                },
            );
        }
    }

    /// The first epoch whose ledger entry takes `earner`'s cumulative reward above `cumulative`
    /// (only read on the `ClaimGap` error path).
    fn first_epoch_above(
        &self,
        earner: &Earner,
        settled: &Settled,
        cumulative: Balance,
    ) -> Option<EpochId> {
        first_epoch_above(settled.stored_len(), cumulative, |index| {
            self.entry(earner, index)
        })
        .or_else(|| {
            // Bound: at most MAX_REWARD_DELAY folded entries.
            settled
                .folded
                .iter()
                .find(|entry| entry.cumulative > cumulative)
                .map(|entry| entry.epoch)
        })
    }

    /// `earner`'s cumulative reward through `epoch` in a settled state.
    fn cumulative_at(&self, earner: &Earner, settled: &Settled, epoch: EpochId) -> Balance {
        // Folded entries follow every stored one. Bound: at most MAX_REWARD_DELAY of them.
        match settled
            .folded
            .iter()
            .rev()
            .find(|entry| entry.epoch <= epoch)
        {
            Some(entry) => entry.cumulative,
            None => cumulative_at(settled.stored_len(), epoch, |index| {
                self.entry(earner, index)
            }),
        }
    }
}

/// The ledger entry (of `len`, read by `read`, sorted by epoch) of exactly `epoch`, if any.
/// Binary search: at most ⌈log2(len)⌉ + 1 reads.
pub fn entry_of_epoch(
    len: u32,
    epoch: EpochId,
    mut read: impl FnMut(u32) -> LedgerEntry,
) -> Option<LedgerEntry> {
    let (mut low, mut high) = (0, len);
    // Bound: `high - low` halves every round.
    while low < high {
        // `low < high`, so neither the difference nor the sum can wrap.
        let middle = low.saturating_add(high.saturating_sub(low) / 2);
        let entry = read(middle);
        match entry.epoch.cmp(&epoch) {
            core::cmp::Ordering::Equal => return Some(entry),
            core::cmp::Ordering::Less => low = middle.saturating_add(1),
            core::cmp::Ordering::Greater => high = middle,
        }
    }
    None
}

/// Inserts `epoch` into the ascending list `epochs` unless present; true if inserted.
fn insert_sorted(epochs: &mut Vec<EpochId>, epoch: EpochId) -> bool {
    match epochs.binary_search(&epoch) {
        Ok(_) => false,
        Err(position) => {
            epochs.insert(position, epoch);
            true
        }
    }
}

/// Fails unless the scheduler (the owner, if `by_owner`) may report `epoch`: reports are not
/// suspended (or the owner reports), the epoch has ended, is not final, and is at most
/// `MAX_REWARD_DELAY` epochs after the final frontier. Returns the final frontier.
fn ensure_reportable(
    epoch: EpochId,
    info: &EpochInfo,
    state: &LedgerState,
    by_owner: bool,
) -> Result<EpochId, StakingError> {
    ensure!(
        by_owner || !state.reports.suspended(),
        StakingError::ReportsSuspended
    );
    ensure!(epoch < info.current_epoch, StakingError::EpochNotEnded);
    let finalized_through = state.final_through(info);
    ensure!(epoch > finalized_through, StakingError::EpochFinalized);
    let reportable_through = ReportFrontier::reportable_through(finalized_through);
    ensure!(
        epoch <= reportable_through,
        StakingError::TooManyOpenEpochs { reportable_through }
    );
    Ok(finalized_through)
}

/// `amount × shards / total_shards`, rounded down, without overflow for any `amount` as long
/// as `shards <= total_shards`: with `amount = q × total_shards + r`, it is
/// `q × shards + r × shards / total_shards`, and `r × shards < 2^128`. 0 if `total_shards` is 0.
///
/// # Errors
/// `Overflow` (only if `shards > total_shards`).
pub fn pro_rata(amount: Balance, shards: u64, total_shards: u64) -> Result<Balance, StakingError> {
    let total_shards = Balance::from(total_shards);
    let shards = Balance::from(shards);
    let (Some(quotient), Some(remainder)) = (
        amount.checked_div(total_shards),
        amount.checked_rem(total_shards),
    ) else {
        return Ok(0);
    };
    let whole = quotient.checked_mul(shards).ok_or(StakingError::Overflow)?;
    let part = remainder
        .checked_mul(shards)
        .and_then(|product| product.checked_div(total_shards))
        .ok_or(StakingError::Overflow)?;
    whole.checked_add(part).ok_or(StakingError::Overflow)
}

/// Epoch of the first of `len` ledger entries (read by `read`; cumulative rewards strictly
/// increase) whose cumulative reward exceeds `cumulative`; `None` if none. Binary search: at
/// most ⌈log2(len)⌉ + 1 reads.
pub fn first_epoch_above(
    len: u32,
    cumulative: Balance,
    mut read: impl FnMut(u32) -> LedgerEntry,
) -> Option<EpochId> {
    // Entries before `low` are ≤ `cumulative`, entries from `high` on are above it.
    let (mut low, mut high) = (0, len);
    // Bound: `high - low` halves every round.
    while low < high {
        // `low < high`, so neither the difference nor the sum can wrap.
        let middle = low.saturating_add(high.saturating_sub(low) / 2);
        if read(middle).cumulative > cumulative {
            high = middle;
        } else {
            low = middle.saturating_add(1);
        }
    }
    (low < len).then(|| read(low).epoch)
}

/// Cumulative reward of the last of `len` ledger entries (read by `read`, sorted by epoch)
/// whose epoch is at most `epoch`; 0 if none. Reads the last entry first (the common case:
/// one read), else binary-searches the others: at most 1 + ⌈log2(len)⌉ reads.
pub fn cumulative_at(
    len: u32,
    epoch: EpochId,
    mut read: impl FnMut(u32) -> LedgerEntry,
) -> Balance {
    let Some(last_index) = len.checked_sub(1) else {
        return 0;
    };
    let last = read(last_index);
    if last.epoch <= epoch {
        return last.cumulative;
    }
    // Entries before `low` are ≤ `epoch`, entries from `high` on are after it.
    let (mut low, mut high) = (0, last_index);
    let mut cumulative = 0;
    // Bound: `high - low` halves every round.
    while low < high {
        // `low < high`, so neither the difference nor the sums below can wrap.
        let middle = low.saturating_add(high.saturating_sub(low) / 2);
        let entry = read(middle);
        if entry.epoch <= epoch {
            cumulative = entry.cumulative;
            low = middle.saturating_add(1);
        } else {
            high = middle;
        }
    }
    cumulative
}
