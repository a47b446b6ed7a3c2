//! Property test of the pool's money path (issue 11.8): random sequences of funding, boosts,
//! reports, corrections, shard records, stakes, top-ups, unstakes, claims, withdrawals, plain
//! transfers, reward delay changes and epoch advances, driven through the same storage items the
//! contract shell uses (`Stakes`, `RewardLedger`), against a small reference model and a
//! simulated FUNC balance of the pool. After every step:
//! - pool FUNC = stakes + reward balance + excess;
//! - reserved ≤ balance, and reserved covers every final reward not yet paid;
//! - a claim pays exactly the rewards the model says the earner earned in the claimed epochs
//!   (so every final epoch's reward is paid once, to the owner who held the id then);
//! - nothing claimable ever becomes unclaimable (an earner's pending amount never drops
//!   without a claim).
//!
//! At the end every epoch is made final and every earner claims: all claims succeed, and what
//! stays reserved is at most the rounding dust of epochs corrected after their shards.
//! Pause is a shell concern (reports, funding and unstakes are never paused) and is covered
//! by the shell's unit tests and the e2e suite.
// Test arithmetic is on small values.
#![allow(clippy::arithmetic_side_effects)]
use crate::{
    ledger::{pro_rata, Boost, Earner, RewardLedger, ShardBatch},
    stakes::Stakes,
};
use func_interfaces::{AccountId, Balance, EpochId, EpochInfo, ProviderId, StakingError};
use ink::prelude::vec;
use proptest::prelude::*;
use std::collections::BTreeMap;

const REQUIRED: Balance = 1_000;
const LOCK: u32 = 2;
const PROVIDERS: u8 = 3;
const OWNERS: u8 = 2;

#[derive(Debug, Clone)]
enum Step {
    Fund(Balance),
    Boost(u32, Balance),
    /// Report `current − 1 − back` with `total` over `total_shards`.
    Report(u32, Balance, u64),
    /// Record `shards` for provider `p` in `current − 1 − back`.
    Shards(u32, u8, u64),
    /// Provider `p` stakes (or tops up) for owner `o`.
    Stake(u8, u8),
    /// The stake requirement rises (the next stake is a top-up).
    RaiseRequirement,
    Unstake(u8),
    /// Owner `o` claims everything claimable it earned with provider `p`.
    Claim(u8, u8),
    /// Owner `o` claims for all its providers at once, paid with one transfer (the registry's
    /// cluster path: `claim_cluster_for_registered` runs the same ledger claim per id).
    ClusterClaim(u8),
    Withdraw(Balance),
    /// FUNC sent to the pool by a plain transfer.
    Transfer(Balance),
    SetDelay(u32),
    Advance(u32),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1..5_000u128).prop_map(Step::Fund),
        (1..4u32, 1..200u128).prop_map(|(n, k)| Step::Boost(n, k * Balance::from(n))),
        (0..4u32, 0..3_000u128, 1..20u64).prop_map(|(b, t, s)| Step::Report(b, t, s)),
        (0..4u32, 0..PROVIDERS, 0..8u64).prop_map(|(b, p, s)| Step::Shards(b, p, s)),
        (0..PROVIDERS, 0..OWNERS).prop_map(|(p, o)| Step::Stake(p, o)),
        Just(Step::RaiseRequirement),
        (0..PROVIDERS).prop_map(Step::Unstake),
        (0..PROVIDERS, 0..OWNERS).prop_map(|(p, o)| Step::Claim(p, o)),
        (0..OWNERS).prop_map(Step::ClusterClaim),
        (1..2_000u128).prop_map(Step::Withdraw),
        (1..500u128).prop_map(Step::Transfer),
        (2..6u32).prop_map(Step::SetDelay),
        (1..3u32).prop_map(Step::Advance),
    ]
}

/// Long runs of reports with few claims: pending lists grow past `FOLD_AT`, so reports fold
/// (at most one epoch per provider each) while claims settle the rest in memory.
fn report_heavy_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..300u128).prop_map(|t| Step::Report(0, t, 30)),
        8 => (0..PROVIDERS, 1..8u64).prop_map(|(p, s)| Step::Shards(0, p, s)),
        3 => Just(Step::Advance(1)),
        2 => (1_000..50_000u128).prop_map(Step::Fund),
        2 => (0..PROVIDERS, 0..OWNERS).prop_map(|(p, o)| Step::Stake(p, o)),
        1 => (0..PROVIDERS, 0..OWNERS).prop_map(|(p, o)| Step::Claim(p, o)),
        1 => (0..OWNERS).prop_map(Step::ClusterClaim),
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

/// The pool under test, the simulated token, and the reference model.
struct World {
    stakes: Stakes,
    ledger: RewardLedger,
    current: EpochId,
    delay: u32,
    /// Last claimable epoch: monotonic, as the epoch controller guarantees.
    frontier: EpochId,
    required: Balance,
    /// FUNC the pool holds (simulated PSP22 balance).
    pool_func: Balance,
    /// FUNC sent by plain transfers and not withdrawn.
    excess: Balance,
    // ---- model ----
    boosts: BTreeMap<EpochId, Balance>,
    reports: BTreeMap<EpochId, Report>,
    /// (epoch, id) → (holder, shards)
    shards: BTreeMap<(EpochId, ProviderId), (AccountId, u64)>,
    claimed_through: BTreeMap<Earner, EpochId>,
    /// What each earner could claim after its last step (never drops without a claim).
    pending: BTreeMap<Earner, Balance>,
    /// Epochs whose total or total shards changed after shards were recorded.
    corrected_after_shards: BTreeMap<EpochId, ()>,
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
            pool_func: 0,
            excess: 0,
            boosts: BTreeMap::new(),
            reports: BTreeMap::new(),
            shards: BTreeMap::new(),
            claimed_through: BTreeMap::new(),
            pending: BTreeMap::new(),
            corrected_after_shards: BTreeMap::new(),
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
        self.frontier.max(self.ledger.finalized_through())
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

    /// Runs the shell's first step of every reward message: settle final epochs.
    fn release(&mut self) {
        let info = self.info();
        self.ledger.release_final(&info).unwrap();
    }

    fn apply(&mut self, step: &Step) {
        let info = self.info();
        match *step {
            Step::Fund(amount) => {
                self.ledger.fund(amount).unwrap();
                self.pool_func += amount;
            }
            Step::Boost(epochs, amount) => {
                self.release();
                let boost = Boost::new(epochs, amount).unwrap();
                self.ledger.add_boost(&boost, self.current).unwrap();
                for offset in 1..=epochs {
                    *self.boosts.entry(self.current + offset).or_default() +=
                        amount / Balance::from(epochs);
                }
                self.pool_func += amount;
            }
            Step::Report(back, total, total_shards) => {
                self.release();
                let Some(epoch) = self.current.checked_sub(1 + back) else {
                    return;
                };
                let before = self.ledger.funding();
                match self
                    .ledger
                    .set_epoch_reward(epoch, total, total_shards, &info)
                {
                    Ok(_) => {
                        let previous = self.reports.get(&epoch).copied();
                        let recorded = self.ledger.epoch_reward(epoch).unwrap().recorded_shards;
                        if recorded > 0
                            && previous.map(|p| (p.total, p.total_shards))
                                != Some((total, total_shards))
                        {
                            self.corrected_after_shards.insert(epoch, ());
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
                        assert!(
                            epoch == 0
                                || epoch <= self.final_through()
                                || matches!(
                                    error,
                                    StakingError::InsufficientRewardFunding { .. }
                                        | StakingError::ShardsExceedTotal
                                ),
                            "report of {epoch} refused: {error:?}"
                        );
                        assert_eq!(self.ledger.funding(), before);
                    }
                }
            }
            Step::Shards(back, p, shards) => {
                self.release();
                let Some(epoch) = self.current.checked_sub(1 + back) else {
                    return;
                };
                let batch = ShardBatch::new(vec![(id(p), shards)]).unwrap();
                let stakes = &self.stakes;
                let result =
                    self.ledger
                        .record_provider_shards(epoch, batch, &info, |id, epoch| {
                            stakes.holder_in(id, epoch)
                        });
                match result {
                    Ok(_) => {
                        let holder = self.stakes.holder_in(&id(p), epoch).unwrap();
                        if shards == 0 {
                            self.shards.remove(&(epoch, id(p)));
                        } else {
                            self.shards.insert((epoch, id(p)), (holder, shards));
                        }
                    }
                    Err(StakingError::NotStakedInEpoch { .. }) => {
                        assert_eq!(self.stakes.holder_in(&id(p), epoch), None);
                    }
                    Err(error) => assert!(
                        epoch == 0
                            || epoch <= self.final_through()
                            || matches!(
                                error,
                                StakingError::EpochRewardNotSet | StakingError::ShardsExceedTotal
                            ),
                        "shards of {epoch} refused: {error:?}"
                    ),
                }
            }
            Step::Stake(p, o) => {
                if let Ok(amount) = self
                    .stakes
                    .stake(&id(p), owner(o), self.required, self.current)
                {
                    self.pool_func += amount;
                }
            }
            Step::RaiseRequirement => self.required += 100,
            Step::Unstake(p) => {
                let finalized = self.final_through();
                if let Ok(stake) = self.stakes.unstake(&id(p), self.current, LOCK, finalized) {
                    self.pool_func -= stake.amount;
                }
            }
            Step::Claim(p, o) => {
                self.release();
                let earner = (id(p), owner(o));
                let from = self.claimed_through.get(&earner).copied().unwrap_or(0) + 1;
                let to = self.frontier;
                let expected: Balance = (from..=to).map(|e| self.reward(&earner, e)).sum();
                let result = self.ledger.claim(&earner, from.min(to.max(1)), to, &info);
                match result {
                    Ok(amount) => {
                        assert_eq!(amount, expected, "claim of {earner:?} {from}..={to}");
                        self.pool_func -= amount;
                        self.claimed_through.insert(earner.clone(), to);
                        self.pending.insert(earner, 0);
                    }
                    Err(error) => {
                        assert_eq!(expected, 0, "claim refused with {error:?}");
                    }
                }
            }
            Step::ClusterClaim(o) => {
                self.release();
                let to = self.frontier;
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
                    if let Ok(amount) =
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
            Step::Withdraw(amount) => {
                self.release();
                let unreserved = self.ledger.funding().unreserved();
                match self.ledger.withdraw(amount) {
                    Ok(()) => self.pool_func -= amount,
                    Err(error) => {
                        assert!(amount > unreserved, "withdraw refused: {error:?}");
                    }
                }
            }
            Step::Transfer(amount) => {
                self.pool_func += amount;
                self.excess += amount;
            }
            Step::SetDelay(delay) => self.delay = delay,
            Step::Advance(epochs) => {
                self.current += epochs;
                self.frontier = self.frontier.max(self.current.saturating_sub(self.delay));
            }
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
        let settled = self.ledger.funding_at(&info).unwrap();
        let mut owed = 0;
        for earner in Self::earners() {
            let from = self.claimed_through.get(&earner).copied().unwrap_or(0) + 1;
            let claimable: Balance = (from..=self.frontier)
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

    /// Makes every epoch final and claims everything.
    fn finish(&mut self) {
        self.current += 120;
        self.frontier = self.current - 2;
        self.release();
        for earner in Self::earners() {
            let (p, o) = (earner.0[1], earner.1);
            let o = (0..OWNERS).find(|&n| owner(n) == o).unwrap();
            self.apply(&Step::Claim(p, o));
        }
        self.check();
        let funding = self.ledger.funding();
        let dust_bound = self.corrected_after_shards.len() as Balance * Balance::from(PROVIDERS);
        assert!(
            funding.reserved <= dust_bound,
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

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    })]

    #[test]
    fn money_is_conserved_and_every_earned_reward_is_paid_once(
        steps in proptest::collection::vec(step(), 1..80)
    ) {
        run(&steps);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn long_report_runs_fold_one_epoch_at_a_time_and_pay_exactly(
        steps in proptest::collection::vec(report_heavy_step(), 100..300)
    ) {
        run(&steps);
    }
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
                world.apply(&Step::Shards(0, p, 1 + u64::from(p)));
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
