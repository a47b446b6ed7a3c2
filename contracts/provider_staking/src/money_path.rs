//! Property test of the pool's money path (issues 11 and 17): adversarial random sequences of
//! every scheduler, admin, provider and funder operation — reports and corrections of any ended
//! epoch (totals and shards interleaved, in any order, multi-provider batches), closes of
//! unreported epochs, suspensions and resumes of reports, outages of random length, reward
//! delay changes, hard-cap changes, stakes, top-ups after a requirement rise, unstakes, forced
//! releases and handovers of ids to other owners, claims and cluster claims, withdrawals and
//! plain transfers — driven through the same storage items the contract shell uses (`Stakes`,
//! `RewardLedger`, the same calls in the same order), against a reference model that
//! recomputes every earner's due from scratch (Σ over its epochs of ⌊amount × shards / total⌋)
//! and a simulated FUNC balance of the pool. After every step:
//! - settling final epochs (release) never fails, whatever happened before;
//! - pool FUNC = stakes + reward balance + excess, and reserved ≤ balance (so pool FUNC ≥
//!   stakes + reserved);
//! - no epoch reserves more than its amount (`allocated ≤ total + boost`);
//! - the final frontier only moves forward, never passes the epoch controller's, and never
//!   passes an ended epoch in which the pool held stake that is neither reported nor closed;
//! - a claim pays exactly what the model says the earner earned in the claimed epochs, and
//!   what an earner can claim never drops without a claim;
//! - every ended, not final epoch within the report window accepts a report (a refusal must be
//!   one of the named, legitimate reasons).
//!
//! At the end reports are resumed, every epoch is closed or reported and made final, and every
//! earner claims: all of it is paid, and what stays reserved is at most the rounding dust of
//! epochs whose total was corrected after their shards.
//!
//! `PROPTEST_CASES` sets the number of sequences (the test command runs the default; the soak,
//! `scripts/soak.sh`, runs ≥ 100,000) and `PROPTEST_RNG_SEED` replays a run.
// Test arithmetic is on small values.
#![allow(clippy::arithmetic_side_effects)]
use crate::{
    frontier::ReportFrontier,
    ledger::{pro_rata, Boost, Earner, RewardLedger, ShardBatch},
    stakes::Stakes,
};
use func_interfaces::{AccountId, Balance, EpochId, EpochInfo, ProviderId, StakingError};
use ink::prelude::vec;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const REQUIRED: Balance = 1_000;
const LOCK: u32 = 2;
const PROVIDERS: u8 = 3;
const OWNERS: u8 = 3;

#[derive(Debug, Clone)]
enum Step {
    Fund(Balance),
    Boost(u32, Balance),
    /// Report `current − 1 − back` with `total` over `total_shards`.
    Report(u32, Balance, u64),
    /// Record `(provider, shards)` in `current − 1 − back`, one batch.
    Shards(u32, Vec<(u8, u64)>),
    /// Close every unreported epoch up to `current − 1 − back` as empty.
    Close(u32),
    /// The owner suspends reports (`true`) or resumes them.
    Suspend(bool),
    /// The owner reports (allowed while suspended) `current − 1 − back`.
    OwnerReport(u32, Balance, u64),
    SetHardCap(Balance),
    /// Provider `p` stakes (or tops up) for owner `o`.
    Stake(u8, u8),
    /// The stake requirement rises (the next stake is a top-up).
    RaiseRequirement,
    Unstake(u8),
    /// Governance release (registry `release_provider`): the stake goes back, lock or not, and
    /// the id may pass to another owner.
    Release(u8),
    /// Owner `o` claims everything claimable it earned with provider `p`.
    Claim(u8, u8),
    /// Owner `o` claims for all its providers at once, paid with one transfer (the registry's
    /// cluster path: `claim_cluster_for_registered` runs the same ledger claim per id).
    ClusterClaim(u8),
    Withdraw(Balance),
    /// FUNC sent to the pool by a plain transfer.
    Transfer(Balance),
    SetDelay(u32),
    /// Epochs pass with no message at all (an outage when long).
    Advance(u32),
}

fn shard_batch() -> impl Strategy<Value = Vec<(u8, u64)>> {
    proptest::collection::vec((0..PROVIDERS, 0..8u64), 1..4)
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (1..5_000u128).prop_map(Step::Fund),
        1 => (1..4u32, 1..200u128).prop_map(|(n, k)| Step::Boost(n, k * Balance::from(n))),
        4 => (0..6u32, 0..3_000u128, 0..20u64).prop_map(|(b, t, s)| Step::Report(b, t, s)),
        // Small totals and shard counts make placeholder-then-correct sequences (issue 17,
        // item 1) frequent.
        3 => (0..3u32, 0..40u128, 1..6u64).prop_map(|(b, t, s)| Step::Report(b, t, s)),
        6 => (0..6u32, shard_batch()).prop_map(|(b, batch)| Step::Shards(b, batch)),
        1 => (0..8u32).prop_map(Step::Close),
        1 => any::<bool>().prop_map(Step::Suspend),
        1 => (0..4u32, 0..500u128, 1..10u64).prop_map(|(b, t, s)| Step::OwnerReport(b, t, s)),
        1 => prop_oneof![Just(Balance::MAX), 10..2_000u128].prop_map(Step::SetHardCap),
        3 => (0..PROVIDERS, 0..OWNERS).prop_map(|(p, o)| Step::Stake(p, o)),
        1 => Just(Step::RaiseRequirement),
        2 => (0..PROVIDERS).prop_map(Step::Unstake),
        1 => (0..PROVIDERS).prop_map(Step::Release),
        2 => (0..PROVIDERS, 0..OWNERS).prop_map(|(p, o)| Step::Claim(p, o)),
        1 => (0..OWNERS).prop_map(Step::ClusterClaim),
        1 => (1..2_000u128).prop_map(Step::Withdraw),
        1 => (1..500u128).prop_map(Step::Transfer),
        1 => (2..6u32).prop_map(Step::SetDelay),
        3 => prop_oneof![4 => 1..3u32, 1 => 3..40u32].prop_map(Step::Advance),
    ]
}

/// Long runs of reports with few claims: pending lists grow past `FOLD_AT`, so reports fold
/// (at most one epoch per provider each) while claims settle the rest in memory.
fn report_heavy_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..300u128).prop_map(|t| Step::Report(0, t, 30)),
        8 => (0..PROVIDERS, 1..8u64).prop_map(|(p, s)| Step::Shards(0, vec![(p, s)])),
        3 => Just(Step::Advance(1)),
        2 => (1_000..50_000u128).prop_map(Step::Fund),
        2 => (0..PROVIDERS, 0..OWNERS).prop_map(|(p, o)| Step::Stake(p, o)),
        1 => (0..PROVIDERS, 0..OWNERS).prop_map(|(p, o)| Step::Claim(p, o)),
        1 => (0..OWNERS).prop_map(Step::ClusterClaim),
    ]
}

/// Bursts of placeholder reports and corrections of totals and shards on the last epochs,
/// with the pool funded and several providers staked: the sequences of issue 17, item 1.
fn correction_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0..2u32, 0..60u128, 1..7u64).prop_map(|(b, t, s)| Step::Report(b, t, s)),
        7 => (
            0..2u32,
            proptest::collection::vec((0..PROVIDERS, 0..6u64), 1..4)
        )
            .prop_map(|(b, batch)| Step::Shards(b, batch)),
        2 => (0..PROVIDERS, 0..OWNERS).prop_map(|(p, o)| Step::Stake(p, o)),
        1 => (1_000..5_000u128).prop_map(Step::Fund),
        1 => Just(Step::Advance(1)),
        1 => (0..PROVIDERS, 0..OWNERS).prop_map(|(p, o)| Step::Claim(p, o)),
        1 => (1..200u128).prop_map(Step::Withdraw),
    ]
}

fn id(p: u8) -> ProviderId {
    vec![b'p', p]
}

fn owner(o: u8) -> AccountId {
    AccountId::from([o + 1; 32])
}

/// What the model knows of a reported epoch.
#[derive(Debug, Clone, Copy, Default)]
struct Report {
    total: Balance,
    total_shards: u64,
}

/// The model's stake periods of an id: who held it from which epoch to which (open: `None`).
#[derive(Debug, Clone, Copy)]
struct Period {
    owner: AccountId,
    from: EpochId,
    to: Option<EpochId>,
}

/// The pool under test, the simulated token, and the reference model.
struct World {
    stakes: Stakes,
    ledger: RewardLedger,
    current: EpochId,
    delay: u32,
    /// The epoch controller's last claimable epoch: monotonic, as the controller guarantees.
    frontier: EpochId,
    required: Balance,
    hard_cap: Balance,
    suspended: bool,
    /// FUNC the pool holds (simulated PSP22 balance).
    pool_func: Balance,
    /// FUNC sent by plain transfers and not withdrawn.
    excess: Balance,
    // ---- model ----
    boosts: BTreeMap<EpochId, Balance>,
    reports: BTreeMap<EpochId, Report>,
    /// Epochs closed as empty without a report.
    closed: BTreeSet<EpochId>,
    /// Epochs in which the pool held some stake.
    staked_epochs: BTreeSet<EpochId>,
    periods: BTreeMap<u8, Vec<Period>>,
    /// (epoch, id) → (holder, shards)
    shards: BTreeMap<(EpochId, ProviderId), (AccountId, u64)>,
    claimed_through: BTreeMap<Earner, EpochId>,
    /// What each earner could claim after its last step (never drops without a claim).
    pending: BTreeMap<Earner, Balance>,
    /// The pool's final frontier after the last step (never moves back).
    final_through: EpochId,
    /// Epochs whose total or total shards changed after shards were recorded.
    corrected_after_shards: BTreeSet<EpochId>,
}

impl World {
    fn new() -> Self {
        Self {
            stakes: Stakes::default(),
            ledger: RewardLedger::default(),
            current: 1,
            delay: 2,
            frontier: 0,
            required: REQUIRED,
            hard_cap: Balance::MAX,
            suspended: false,
            pool_func: 0,
            excess: 0,
            boosts: BTreeMap::new(),
            reports: BTreeMap::new(),
            closed: BTreeSet::new(),
            staked_epochs: BTreeSet::new(),
            periods: BTreeMap::new(),
            shards: BTreeMap::new(),
            claimed_through: BTreeMap::new(),
            pending: BTreeMap::new(),
            final_through: 0,
            corrected_after_shards: BTreeSet::new(),
        }
    }

    fn info(&self) -> EpochInfo {
        EpochInfo {
            current_epoch: self.current,
            last_claimable_epoch: self.frontier,
            epoch_reward_delay: self.delay,
            min_epochs_locked: LOCK,
            ..EpochInfo::default()
        }
    }

    fn final_through(&self) -> EpochId {
        self.ledger.final_through(&self.info())
    }

    /// The model's holder of provider `p` in `epoch`: the closed period covering it first
    /// (an epoch in which the id changed hands is the earlier holder's), else the open one.
    fn holder(&self, p: u8, epoch: EpochId) -> Option<AccountId> {
        let periods = self.periods.get(&p)?;
        periods
            .iter()
            .find(|period| {
                period
                    .to
                    .is_some_and(|to| period.from <= epoch && epoch <= to)
            })
            .or_else(|| {
                periods
                    .iter()
                    .find(|period| period.to.is_none() && period.from <= epoch)
            })
            .map(|period| period.owner)
    }

    /// The model's reward of `earner` in `epoch`.
    fn reward(&self, earner: &Earner, epoch: EpochId) -> Balance {
        let Some(&(holder, shards)) = self.shards.get(&(epoch, earner.0.clone())) else {
            return 0;
        };
        if holder != earner.1 {
            return 0;
        }
        let report = self.reports.get(&epoch).copied().unwrap_or_default();
        let amount = report.total + self.boosts.get(&epoch).copied().unwrap_or(0);
        pro_rata(amount, shards, report.total_shards).unwrap()
    }

    fn earners() -> Vec<Earner> {
        let mut all = Vec::new();
        for p in 0..PROVIDERS {
            for o in 0..OWNERS {
                all.push((id(p), owner(o)));
            }
        }
        all
    }

    /// Runs the shell's first step of every reward message: settle final epochs. Never fails.
    fn release(&mut self) {
        let info = self.info();
        self.ledger
            .release_final(&info)
            .expect("settling final epochs never fails");
    }

    fn epoch_back(&self, back: u32) -> Option<EpochId> {
        self.current
            .checked_sub(1 + back)
            .filter(|&epoch| epoch > 0)
    }

    /// A report of `epoch` was refused with `error`: only for the named, legitimate reasons.
    fn assert_report_refusal(&self, epoch: EpochId, error: &StakingError, by_owner: bool) {
        let final_through = self.final_through();
        let legitimate = epoch <= final_through
            || (self.suspended && !by_owner && *error == StakingError::ReportsSuspended)
            || matches!(
                error,
                StakingError::InsufficientRewardFunding { .. }
                    | StakingError::ShardsExceedTotal
                    | StakingError::AboveHardCap { .. }
                    | StakingError::EpochRewardNotSet
            )
            || (epoch > ReportFrontier::reportable_through(final_through)
                && matches!(error, StakingError::TooManyOpenEpochs { .. }));
        assert!(legitimate, "report of {epoch} refused: {error:?}");
    }

    fn report(&mut self, back: u32, (total, total_shards): (Balance, u64), by_owner: bool) {
        self.release();
        let Some(epoch) = self.epoch_back(back) else {
            return;
        };
        let info = self.info();
        let before = self.ledger.funding();
        match self
            .ledger
            .set_epoch_reward(epoch, (total, total_shards), &info, by_owner)
        {
            Ok(_) => {
                let previous = self.reports.get(&epoch).copied();
                let recorded = self.ledger.epoch_reward(epoch).unwrap().recorded_shards;
                if recorded > 0
                    && previous.map(|p| (p.total, p.total_shards)) != Some((total, total_shards))
                {
                    self.corrected_after_shards.insert(epoch);
                }
                self.reports.insert(
                    epoch,
                    Report {
                        total,
                        total_shards,
                    },
                );
            }
            Err(error) => {
                self.assert_report_refusal(epoch, &error, by_owner);
                assert_eq!(self.ledger.funding(), before);
            }
        }
    }

    fn record_shards(&mut self, back: u32, entries: &[(u8, u64)]) {
        self.release();
        let Some(epoch) = self.epoch_back(back) else {
            return;
        };
        let info = self.info();
        let batch =
            ShardBatch::new(entries.iter().map(|&(p, shards)| (id(p), shards)).collect()).unwrap();
        let stakes = &self.stakes;
        let result =
            self.ledger
                .record_provider_shards(epoch, batch, (&info, false), |id, epoch| {
                    stakes.holder_in(id, epoch)
                });
        match result {
            Ok(_) => {
                // The last entry of a provider wins.
                let mut last = BTreeMap::new();
                for &(p, shards) in entries {
                    last.insert(p, shards);
                }
                for (p, shards) in last {
                    let holder = self
                        .holder(p, epoch)
                        .expect("shards only for staked epochs");
                    assert_eq!(self.stakes.holder_in(&id(p), epoch), Some(holder));
                    if shards == 0 {
                        self.shards.remove(&(epoch, id(p)));
                    } else {
                        self.shards.insert((epoch, id(p)), (holder, shards));
                    }
                }
            }
            Err(StakingError::NotStakedInEpoch { id: missing, .. }) => {
                let p = missing[1];
                assert_eq!(
                    self.holder(p, epoch),
                    None,
                    "{missing:?} held a stake in {epoch}"
                );
            }
            Err(error) => self.assert_report_refusal(epoch, &error, false),
        }
    }

    fn stake(&mut self, p: u8, o: u8) {
        let info = self.info();
        let ledger = &self.ledger;
        let result = self.stakes.stake(
            &id(p),
            owner(o),
            self.required,
            (self.current, || ledger.final_through(&info)),
        );
        match result {
            Ok((amount, first_in_pool)) => {
                if first_in_pool {
                    self.ledger.stake_total_changed(true, self.current);
                }
                self.pool_func += amount;
                let periods = self.periods.entry(p).or_default();
                if periods.last().is_none_or(|period| period.to.is_some()) {
                    periods.push(Period {
                        owner: owner(o),
                        from: self.current,
                        to: None,
                    });
                }
            }
            Err(StakingError::TooManyStakePeriods) => {
                panic!("a stake period limit was reached in a short run")
            }
            Err(_) => {}
        }
    }

    fn unstake(&mut self, p: u8, lock: Option<u32>) {
        let finalized = self.final_through();
        if let Ok((stake, emptied)) =
            self.stakes
                .unstake_for(&id(p), None, lock, self.current, finalized)
        {
            if emptied {
                self.ledger.stake_total_changed(false, self.current);
            }
            self.pool_func -= stake.amount;
            let period = self.periods.get_mut(&p).unwrap().last_mut().unwrap();
            period.to = Some(self.current);
        }
    }

    fn claim(&mut self, p: u8, o: u8) {
        self.release();
        let info = self.info();
        let earner = (id(p), owner(o));
        let to = self.final_through();
        let from = self.claimed_through.get(&earner).copied().unwrap_or(0) + 1;
        let expected: Balance = (from..=to).map(|e| self.reward(&earner, e)).sum();
        match self.ledger.claim(&earner, from.min(to.max(1)), to, &info) {
            Ok(amount) => {
                assert_eq!(amount, expected, "claim of {earner:?} {from}..={to}");
                self.pool_func -= amount;
                self.claimed_through.insert(earner.clone(), to);
                self.pending.insert(earner, 0);
            }
            Err(error) => assert_eq!(expected, 0, "claim refused with {error:?}"),
        }
    }

    fn apply(&mut self, step: &Step) {
        if self.stakes.total() > 0 {
            self.staked_epochs.insert(self.current);
        }
        match step {
            Step::Fund(amount) => {
                self.ledger.fund(*amount).unwrap();
                self.pool_func += amount;
            }
            &Step::Boost(epochs, amount) => {
                self.release();
                let boost = Boost::new(epochs, amount).unwrap();
                self.ledger.add_boost(&boost, self.current).unwrap();
                for offset in 1..=epochs {
                    *self.boosts.entry(self.current + offset).or_default() +=
                        amount / Balance::from(epochs);
                }
                self.pool_func += amount;
            }
            &Step::Report(back, total, total_shards) => {
                self.report(back, (total, total_shards), false)
            }
            &Step::OwnerReport(back, total, total_shards) => {
                self.report(back, (total, total_shards), true)
            }
            Step::Shards(back, entries) => self.record_shards(*back, entries),
            &Step::Close(back) => {
                self.release();
                let Some(through) = self.epoch_back(back) else {
                    return;
                };
                let info = self.info();
                match self.ledger.close_unreported(through, &info, false) {
                    Ok(()) => {
                        for epoch in 1..=through {
                            if !self.reports.contains_key(&epoch) {
                                self.closed.insert(epoch);
                            }
                        }
                    }
                    Err(StakingError::ReportsSuspended) => assert!(self.suspended),
                    Err(StakingError::EpochFinalized) => {
                        assert!(through <= self.final_through())
                    }
                    Err(error) => panic!("close through {through} refused: {error:?}"),
                }
            }
            &Step::Suspend(suspend) => {
                self.release();
                if suspend {
                    self.ledger.suspend_reports(self.current);
                } else {
                    self.ledger.resume_reports(self.current);
                }
                self.suspended = suspend;
            }
            &Step::SetHardCap(cap) => {
                self.ledger.set_hard_cap(cap);
                self.hard_cap = cap;
            }
            &Step::Stake(p, o) => {
                if self.stakes.total() > 0 || self.stakes.get(&id(p)).is_none() {
                    // The epoch of the stake holds a stake from now on.
                    self.staked_epochs.insert(self.current);
                }
                self.stake(p, o);
                if self.stakes.total() > 0 {
                    self.staked_epochs.insert(self.current);
                }
            }
            Step::RaiseRequirement => self.required += 100,
            &Step::Unstake(p) => self.unstake(p, Some(LOCK)),
            &Step::Release(p) => self.unstake(p, None),
            &Step::Claim(p, o) => self.claim(p, o),
            &Step::ClusterClaim(o) => {
                self.release();
                let info = self.info();
                let to = self.final_through();
                let mut paid = 0;
                let mut expected = 0;
                let mut claimed = Vec::new();
                // As the pool's cluster call does: one session for the page.
                let mut session = self.ledger.begin_claims();
                for p in 0..PROVIDERS {
                    let earner = (id(p), owner(o));
                    let from = self.claimed_through.get(&earner).copied().unwrap_or(0) + 1;
                    let owed: Balance = (from..=to).map(|e| self.reward(&earner, e)).sum();
                    expected += owed;
                    let range = (from.min(to.max(1)), to);
                    if let Ok((amount, _)) =
                        self.ledger
                            .claim_in(&mut session, &earner, range.0, range.1, &info)
                    {
                        assert_eq!(amount, owed, "cluster claim of {earner:?}");
                        paid += amount;
                        claimed.push(earner);
                    } else {
                        assert_eq!(owed, 0);
                    }
                }
                self.ledger.end_claims(session);
                assert_eq!(paid, expected);
                // One transfer of the sum.
                self.pool_func -= paid;
                for earner in claimed {
                    self.claimed_through.insert(earner.clone(), to);
                    self.pending.insert(earner, 0);
                }
            }
            &Step::Withdraw(amount) => {
                self.release();
                let unreserved = self.ledger.funding().unreserved();
                match self.ledger.withdraw(amount) {
                    Ok(()) => self.pool_func -= amount,
                    Err(error) => {
                        assert!(amount > unreserved, "withdraw refused: {error:?}");
                    }
                }
            }
            &Step::Transfer(amount) => {
                self.pool_func += amount;
                self.excess += amount;
            }
            &Step::SetDelay(delay) => self.delay = delay,
            &Step::Advance(epochs) => {
                for _ in 0..epochs {
                    if self.stakes.total() > 0 {
                        self.staked_epochs.insert(self.current);
                    }
                    self.current += 1;
                }
                self.frontier = self.frontier.max(self.current.saturating_sub(self.delay));
            }
        }
        if self.stakes.total() > 0 {
            self.staked_epochs.insert(self.current);
        }
    }

    fn check(&mut self) {
        let funding = self.ledger.funding();
        assert_eq!(
            self.pool_func,
            self.stakes.total() + funding.balance + self.excess,
            "pool FUNC = stakes + reward balance + excess"
        );
        assert!(funding.reserved <= funding.balance, "reserved ≤ balance");
        let info = self.info();
        // Finality: forward only, within the controller's, never past a staked epoch that is
        // neither reported nor closed.
        let final_through = self.final_through();
        assert!(
            final_through >= self.final_through,
            "the final frontier moved back"
        );
        assert!(final_through <= self.frontier.max(self.final_through));
        for epoch in (self.final_through + 1)..=final_through {
            assert!(
                !self.staked_epochs.contains(&epoch)
                    || self.reports.contains_key(&epoch)
                    || self.closed.contains(&epoch),
                "epoch {epoch} became final unreported (final through {final_through})"
            );
        }
        self.final_through = final_through;
        for &epoch in self.reports.keys() {
            let reward = self.ledger.epoch_reward(epoch).unwrap();
            assert!(
                reward.allocated <= reward.amount().unwrap(),
                "epoch {epoch} reserves {} for an amount of {}",
                reward.allocated,
                reward.amount().unwrap()
            );
        }
        let settled = self.ledger.funding_at(&info).unwrap();
        let mut owed = 0;
        for earner in Self::earners() {
            let from = self.claimed_through.get(&earner).copied().unwrap_or(0) + 1;
            let claimable: Balance = (from..=final_through)
                .map(|e| self.reward(&earner, e))
                .sum();
            let pending = self.ledger.pending_rewards(&earner, &info).unwrap();
            assert_eq!(pending, claimable, "pending rewards of {earner:?}");
            let before = self.pending.get(&earner).copied().unwrap_or(0);
            assert!(pending >= before, "claimable rewards of {earner:?} dropped");
            self.pending.insert(earner, pending);
            owed += claimable;
        }
        assert!(
            settled.reserved >= owed,
            "every claimable reward is reserved"
        );
    }

    /// Resumes reports, closes every epoch left unreported, makes everything final and claims
    /// everything: every reward the model knows is paid.
    fn finish(&mut self) {
        self.apply(&Step::Suspend(false));
        self.check();
        let through = self.current - 1;
        self.apply(&Step::Close(0));
        self.check();
        self.apply(&Step::Advance(6));
        self.check();
        assert!(
            self.final_through() >= through,
            "final through {} after closing through {through}",
            self.final_through()
        );
        // Every open epoch is settled, a few per message.
        for _ in 0..64 {
            self.release();
        }
        for earner in Self::earners() {
            let (p, o) = (earner.0[1], earner.1);
            let o = (0..OWNERS).find(|&n| owner(n) == o).unwrap();
            self.apply(&Step::Claim(p, o));
        }
        self.check();
        let total_paid_check: Balance = Self::earners()
            .iter()
            .map(|earner| self.ledger.pending_rewards(earner, &self.info()).unwrap())
            .sum();
        assert_eq!(total_paid_check, 0, "everything final was claimed");
        let funding = self.ledger.funding();
        let dust_bound = self.corrected_after_shards.len() as Balance * Balance::from(PROVIDERS);
        let still_open: Balance = self
            .ledger
            .open_epochs()
            .iter()
            .filter(|&&epoch| epoch >= through)
            .map(|&epoch| self.ledger.total_reward_for_epoch(epoch))
            .sum();
        assert!(
            funding.reserved <= dust_bound + still_open,
            "{} stays reserved after every claim",
            funding.reserved
        );
        let unreserved = funding.unreserved();
        if unreserved > 0 {
            self.ledger.withdraw(unreserved).unwrap();
            self.pool_func -= unreserved;
        }
        self.check();
    }
}

/// Drives `steps` through a fresh world, checking it after each, then claims everything.
fn run(steps: &[Step]) {
    ink::env::test::run_test::<ink::env::DefaultEnvironment, _>(|_| {
        let mut world = World::new();
        for step in steps {
            world.apply(step);
            world.check();
        }
        world.finish();
        Ok(())
    })
    .unwrap();
}

/// `PROPTEST_CASES` if set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(512),
        ..ProptestConfig::default()
    })]

    #[test]
    fn money_is_conserved_and_every_earned_reward_is_paid_once(
        steps in proptest::collection::vec(step(), 1..120)
    ) {
        run(&steps);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn corrections_in_any_order_never_reserve_more_than_an_epoch_has(
        steps in proptest::collection::vec(correction_step(), 1..60)
            .prop_map(|steps| {
                let mut all = vec![
                    Step::Fund(10_000),
                    Step::Stake(0, 0),
                    Step::Stake(1, 1),
                    Step::Stake(2, 2),
                    Step::Advance(1),
                ];
                all.extend(steps);
                all
            })
    ) {
        run(&steps);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Long sequences: a fixed few in the test command and the soak alike.
        cases: 9,
        ..ProptestConfig::default()
    })]

    #[test]
    fn long_report_runs_fold_one_epoch_at_a_time_and_pay_exactly(
        steps in proptest::collection::vec(report_heavy_step(), 100..300)
    ) {
        run(&steps);
    }
}

/// Issue 17, item 1: a placeholder report, then a correction of the total, then of the shards.
/// Before the fix the epoch's `allocated` became 36 for an amount of 35 and every later
/// release, claim and report of the pool failed with `Overflow`.
#[test]
fn a_placeholder_then_corrected_report_never_freezes_the_pool() {
    run(&[
        Step::Fund(1_000),
        Step::Stake(0, 0),
        Step::Stake(1, 1),
        Step::Advance(1),
        Step::Report(0, 1, 3),
        Step::Shards(0, vec![(0, 1), (1, 1)]),
        Step::Report(0, 35, 3),
        Step::Shards(0, vec![(0, 0), (1, 3)]),
        Step::Advance(1),
        Step::Report(0, 10, 1),
        Step::Shards(0, vec![(0, 1)]),
        Step::Advance(2),
        Step::Claim(1, 1),
        Step::Claim(0, 0),
        Step::Withdraw(1),
    ]);
}

/// Issue 17, item 2: a scheduler down for 30 epochs; every missed epoch is reported afterwards
/// and paid in full, and claims never passed the first unreported one.
#[test]
fn a_late_scheduler_never_costs_an_earned_reward() {
    let mut steps = vec![
        Step::Fund(1_000_000),
        Step::Stake(0, 0),
        Step::Stake(1, 1),
        Step::Advance(1),
        Step::Report(0, 100, 2),
        Step::Shards(0, vec![(0, 1), (1, 1)]),
        Step::Advance(30),
        Step::Claim(0, 0),
    ];
    for back in (0..30).rev() {
        steps.push(Step::Report(back, 60, 3));
        steps.push(Step::Shards(back, vec![(0, 1), (1, 2)]));
    }
    steps.push(Step::Advance(1));
    steps.push(Step::Claim(0, 0));
    steps.push(Step::Claim(1, 1));
    run(&steps);
}

/// A fixed long run: three providers reported in every epoch for 40 epochs, one claim midway.
/// The pending lists pass `FOLD_AT`, reports fold one epoch at a time, and every reward is
/// still paid exactly once (the model checks every step).
#[test]
fn a_long_report_run_folds_in_reports_and_pays_exactly() {
    ink::env::test::run_test::<ink::env::DefaultEnvironment, _>(|_| {
        let mut world = World::new();
        world.apply(&Step::Fund(1_000_000));
        for p in 0..PROVIDERS {
            world.apply(&Step::Stake(p, p % OWNERS));
        }
        for epoch in 0..40u32 {
            world.apply(&Step::Advance(1));
            world.apply(&Step::Report(0, 90, 9));
            for p in 0..PROVIDERS {
                world.apply(&Step::Shards(0, vec![(p, 1 + u64::from(p))]));
            }
            if epoch == 20 {
                world.apply(&Step::Claim(0, 0));
            }
            world.check();
        }
        let folded: u32 = World::earners()
            .iter()
            .map(|earner| world.ledger.ledger_len(earner))
            .sum();
        assert!(folded > 0, "reports folded final epochs");
        world.finish();
        Ok(())
    })
    .unwrap();
}
