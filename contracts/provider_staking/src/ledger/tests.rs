// Test arithmetic is on small constants.
#![allow(clippy::arithmetic_side_effects)]
use super::*;
use ink::env::{test, DefaultEnvironment};

/// Reward delay of the tests' epoch clock.
const DELAY: u32 = 2;

/// The epoch clock at `current` with a delay of `DELAY`.
fn at(current: EpochId) -> EpochInfo {
    EpochInfo {
        current_epoch: current,
        last_claimable_epoch: current.saturating_sub(DELAY),
        epoch_reward_delay: DELAY,
        ..EpochInfo::default()
    }
}

fn id(n: u8) -> ProviderId {
    ink::prelude::vec![n; 16]
}

/// The owner of every provider in these tests.
const OWNER: [u8; 32] = [0xAA; 32];

/// Provider `n` with `OWNER`.
fn earner(n: u8) -> Earner {
    (id(n), AccountId::from(OWNER))
}

/// Providers 1, 2 and 3 held a stake (by `OWNER`) in every epoch; others never did.
fn holder(id: &ProviderId, _epoch: EpochId) -> Option<AccountId> {
    (1..=3)
        .any(|n| *id == self::id(n))
        .then_some(AccountId::from(OWNER))
}

fn batch(entries: &[(u8, u64)]) -> ShardBatch {
    ShardBatch::new(entries.iter().map(|&(n, shards)| (id(n), shards)).collect()).unwrap()
}

/// A ledger holding `funds` with reward accounts for providers 1, 2 and 3.
fn ledger(funds: Balance) -> RewardLedger {
    let mut ledger = RewardLedger::default();
    if funds > 0 {
        ledger.fund(funds).unwrap();
    }
    ledger
}

/// Reports `epoch` (at `epoch + 1`, the earliest possible) with `total` split over
/// `total_shards`, and records `shards`.
fn report(
    ledger: &mut RewardLedger,
    epoch: EpochId,
    total: Balance,
    total_shards: u64,
    shards: &[(u8, u64)],
) {
    let now = at(epoch + 1);
    ledger
        .set_epoch_reward(epoch, (total, total_shards), &now, false)
        .unwrap();
    if !shards.is_empty() {
        ledger
            .record_provider_shards(epoch, batch(shards), (&now, false), holder)
            .unwrap();
    }
}

fn funding(balance: Balance, reserved: Balance) -> RewardFunding {
    RewardFunding { balance, reserved }
}

/// The epochs of provider 1's pending list.
fn pending_epochs(ledger: &RewardLedger, n: u8) -> Option<Vec<EpochId>> {
    pending_of(ledger, earner(n)).map(|list| list.iter().map(|entry| entry.epoch).collect())
}

/// An earner's pending list as stored (`None`: empty).
fn pending_of(ledger: &RewardLedger, earner: Earner) -> Option<Vec<PendingEpoch>> {
    Some(ledger.earner(&earner).pending).filter(|list| !list.is_empty())
}

/// An earner's account as stored (`None`: nothing earned or claimed yet).
fn account_of(ledger: &RewardLedger, earner: Earner) -> Option<RewardAccount> {
    Some(ledger.earner(&earner).account).filter(|account| *account != RewardAccount::default())
}

/// Storage cells read and written so far.
fn storage_rw() -> (usize, usize) {
    test::get_contract_storage_rw::<DefaultEnvironment>(&test::callee::<DefaultEnvironment>())
}

// ---- Boost, ShardBatch, pro_rata, cumulative_at --------------------------------------------

#[test]
fn boost_new_with_invalid_epochs_or_amount_fails() {
    for (epochs, amount) in [
        (0, 100),
        (MAX_BOOST_EPOCHS + 1, MAX_BOOST_EPOCHS as Balance + 1),
        (3, 0),
        (3, 100),
    ] {
        assert_eq!(
            Boost::new(epochs, amount),
            Err(StakingError::InvalidBoost),
            "{epochs} {amount}"
        );
    }
}

#[test]
fn boost_new_splits_the_amount_evenly() {
    let boost = Boost::new(4, 100).unwrap();
    assert_eq!(
        (boost.epochs(), boost.amount(), boost.per_epoch),
        (4, 100, 25)
    );
    let widest = Boost::new(MAX_BOOST_EPOCHS, MAX_BOOST_EPOCHS.into()).unwrap();
    assert_eq!(widest.per_epoch, 1);
}

#[test]
fn shard_batch_empty_or_too_long_fails() {
    assert_eq!(
        ShardBatch::new(Vec::new()),
        Err(StakingError::InvalidBatchSize)
    );
    let long = (0..=MAX_BATCH_SIZE)
        .map(|n| (ink::prelude::vec![n as u8, 1], 1))
        .collect();
    assert_eq!(ShardBatch::new(long), Err(StakingError::InvalidBatchSize));
    let full = (0..MAX_BATCH_SIZE)
        .map(|n| (ink::prelude::vec![n as u8, 1], 1))
        .collect();
    assert_eq!(
        ShardBatch::new(full).unwrap().providers(),
        MAX_BATCH_SIZE as u32
    );
}

#[test]
fn shard_batch_with_a_repeated_provider_keeps_its_last_entry() {
    let repeated = batch(&[(2, 5), (1, 1), (2, 7), (3, 0), (1, 4), (2, 9)]);
    let mut entries = repeated.0.clone();
    entries.sort();
    assert_eq!(entries, [(id(1), 4), (id(2), 9), (id(3), 0)]);
    assert_eq!(repeated.providers(), 3);
}

#[test]
fn pro_rata_rounds_down() {
    assert_eq!(pro_rata(100, 1, 3), Ok(33));
    assert_eq!(pro_rata(100, 2, 3), Ok(66));
    assert_eq!(pro_rata(100, 3, 3), Ok(100));
    assert_eq!(pro_rata(7, 0, 3), Ok(0));
    assert_eq!(pro_rata(7, 0, 0), Ok(0));
}

#[test]
fn pro_rata_of_extreme_values_is_exact() {
    let max_shards = u64::MAX;
    assert_eq!(
        pro_rata(Balance::MAX, max_shards, max_shards),
        Ok(Balance::MAX)
    );
    // 2^128 − 1 = (2^64 − 1)(2^64 + 1): the quotient is exact.
    let quotient = Balance::from(max_shards) + 2;
    assert_eq!(
        pro_rata(Balance::MAX, max_shards - 1, max_shards),
        Ok(quotient * Balance::from(max_shards - 1))
    );
    // amount = q × ts + r with r × s close to 2^128.
    let total_shards = max_shards;
    let amount = Balance::from(total_shards - 1) + Balance::from(total_shards) * 5;
    let shards = total_shards - 1;
    let expected = 5 * Balance::from(shards)
        + (Balance::from(total_shards - 1) * Balance::from(shards)) / Balance::from(total_shards);
    assert_eq!(pro_rata(amount, shards, total_shards), Ok(expected));
}

#[test]
fn pro_rata_of_small_values_matches_the_plain_formula() {
    for amount in [0u128, 1, 7, 99, 1_000_003] {
        for total_shards in 1u64..=12 {
            for shards in 0..=total_shards {
                let plain = amount * Balance::from(shards) / Balance::from(total_shards);
                assert_eq!(pro_rata(amount, shards, total_shards), Ok(plain));
            }
        }
    }
}

/// `(entry(i), reads)` over `entries`, counting reads.
fn counted(entries: &[LedgerEntry], epoch: EpochId) -> (Balance, usize) {
    let mut reads = 0;
    let cumulative = cumulative_at(entries.len() as u32, epoch, |index| {
        reads += 1;
        entries[index as usize]
    });
    (cumulative, reads)
}

#[test]
fn cumulative_at_of_an_empty_ledger_is_zero() {
    assert_eq!(counted(&[], 10), (0, 0));
}

#[test]
fn cumulative_at_finds_the_last_entry_at_or_before_the_epoch() {
    let entries = [(3, 10), (5, 25), (9, 40)].map(|(epoch, cumulative)| LedgerEntry {
        epoch,
        cumulative,
        shards: 1,
    });
    let expected = [0, 0, 0, 10, 10, 25, 25, 25, 25, 40, 40];
    for (epoch, want) in expected.iter().enumerate() {
        assert_eq!(
            counted(&entries, epoch as EpochId).0,
            *want,
            "epoch {epoch}"
        );
    }
}

#[test]
fn cumulative_at_of_1000_entries_reads_a_logarithmic_number_of_entries() {
    let entries: Vec<LedgerEntry> = (1..=1000u32)
        .map(|n| LedgerEntry {
            epoch: n * 3,
            cumulative: Balance::from(n) * 7,
            shards: 1,
        })
        .collect();
    let max_reads = 1 + 10; // the last entry, then ⌈log2(1000)⌉
    for epoch in 0..=3005 {
        let linear = entries
            .iter()
            .rev()
            .find(|entry| entry.epoch <= epoch)
            .map_or(0, |entry| entry.cumulative);
        let (cumulative, reads) = counted(&entries, epoch);
        assert_eq!(cumulative, linear, "epoch {epoch}");
        assert!(reads <= max_reads, "epoch {epoch}: {reads} reads");
        if epoch >= 3000 {
            assert_eq!(reads, 1, "the last entry answers alone");
        }
    }
}

// ---- Funding and boosts --------------------------------------------------------------------

#[ink::test]
fn fund_zero_fails() {
    let mut ledger = ledger(0);
    assert_eq!(ledger.fund(0), Err(StakingError::ZeroAmount));
    ledger.fund(5).unwrap();
    assert_eq!(ledger.funding(), funding(5, 0));
}

#[ink::test]
fn add_boost_spreads_over_the_epochs_after_the_current_one() {
    let mut ledger = ledger(0);
    assert_eq!(ledger.add_boost(&Boost::new(3, 30).unwrap(), 5), Ok(6));
    assert_eq!(ledger.add_boost(&Boost::new(2, 4).unwrap(), 6), Ok(7));
    let boosts: Vec<Balance> = (5..=10).map(|epoch| ledger.boost(epoch)).collect();
    assert_eq!(boosts, [0, 10, 12, 12, 0, 0]);
    // A boost is reserved for its own epochs as soon as it is funded.
    assert_eq!(ledger.funding(), funding(34, 34));
    assert_eq!(ledger.open_epochs(), [6, 7, 8]);
    assert_eq!(ledger.total_reward_for_epoch(7), 12);
}

#[ink::test]
fn add_boost_past_the_last_epoch_fails_and_changes_nothing() {
    let mut ledger = ledger(0);
    assert_eq!(
        ledger.add_boost(&Boost::new(2, 2).unwrap(), EpochId::MAX - 1),
        Err(StakingError::Overflow)
    );
    assert_eq!(ledger.boost(EpochId::MAX), 0);
    assert_eq!(ledger.funding(), funding(0, 0));
}

// ---- set_epoch_reward ----------------------------------------------------------------------

#[ink::test]
fn set_epoch_reward_reserves_total_plus_boost() {
    let mut ledger = ledger(100);
    ledger.add_boost(&Boost::new(1, 20).unwrap(), 3).unwrap();
    let reward = ledger.set_epoch_reward(4, (50, 10), &at(5), false).unwrap();
    assert_eq!(
        reward,
        EpochReward {
            total: 50,
            boost: 20,
            total_shards: 10,
            recorded_shards: 0,
            allocated: 0,
        }
    );
    assert_eq!(ledger.epoch_reward(4), Some(reward));
    assert_eq!(ledger.total_reward_for_epoch(4), 70);
    assert_eq!(ledger.funding(), funding(120, 70));
}

#[ink::test]
fn set_epoch_reward_of_an_epoch_not_ended_fails() {
    let mut ledger = ledger(100);
    for epoch in [5, 6] {
        assert_eq!(
            ledger.set_epoch_reward(epoch, (1, 1), &at(5), false),
            Err(StakingError::EpochNotEnded)
        );
    }
    assert_eq!(ledger.funding(), funding(100, 0));
}

#[ink::test]
fn set_epoch_reward_of_a_final_epoch_fails() {
    let mut ledger = ledger(100);
    for epoch in [0, 1, 3] {
        assert_eq!(
            ledger.set_epoch_reward(epoch, (1, 1), &at(5), false),
            Err(StakingError::EpochFinalized)
        );
    }
    ledger.set_epoch_reward(4, (1, 1), &at(5), false).unwrap();
    // The delay then grows to 4: epoch 3 stays final although 3 > 6 − 4.
    let longer_delay = EpochInfo {
        last_claimable_epoch: 2,
        ..at(6)
    };
    assert_eq!(
        ledger.set_epoch_reward(3, (1, 1), &longer_delay, false),
        Err(StakingError::EpochFinalized)
    );
    ledger
        .set_epoch_reward(4, (2, 1), &longer_delay, false)
        .unwrap();
}

#[ink::test]
fn set_epoch_reward_above_the_hard_cap_fails() {
    let mut ledger = ledger(100);
    assert_eq!(ledger.hard_cap(), Balance::MAX);
    ledger.set_hard_cap(30);
    assert_eq!(
        ledger.set_epoch_reward(4, (31, 1), &at(5), false),
        Err(StakingError::AboveHardCap { hard_cap: 30 })
    );
    assert_eq!(ledger.epoch_reward(4), None);
    ledger.set_epoch_reward(4, (30, 1), &at(5), false).unwrap();
}

#[ink::test]
fn set_epoch_reward_boost_is_not_capped() {
    let mut ledger = ledger(0);
    ledger.add_boost(&Boost::new(1, 80).unwrap(), 3).unwrap();
    ledger.set_hard_cap(0);
    let reward = ledger.set_epoch_reward(4, (0, 8), &at(5), false).unwrap();
    assert_eq!(reward.boost, 80);
    assert_eq!(ledger.funding(), funding(80, 80));
}

#[ink::test]
fn set_epoch_reward_without_enough_unreserved_funds_fails_and_changes_nothing() {
    let mut ledger = ledger(100);
    let now = EpochInfo {
        last_claimable_epoch: 0,
        ..at(5)
    };
    ledger.set_epoch_reward(3, (60, 1), &now, false).unwrap();
    assert_eq!(
        ledger.set_epoch_reward(4, (41, 1), &now, false),
        Err(StakingError::InsufficientRewardFunding { available: 40 })
    );
    assert_eq!(ledger.epoch_reward(4), None);
    assert_eq!(ledger.funding(), funding(100, 60));
}

#[ink::test]
fn set_epoch_reward_correction_releases_the_previous_reservation() {
    let mut ledger = ledger(100);
    ledger.set_epoch_reward(4, (80, 10), &at(5), false).unwrap();
    ledger
        .set_epoch_reward(4, (100, 10), &at(5), false)
        .unwrap();
    assert_eq!(ledger.funding(), funding(100, 100));
    ledger.set_epoch_reward(4, (10, 10), &at(5), false).unwrap();
    assert_eq!(ledger.funding(), funding(100, 10));
    assert_eq!(ledger.epoch_reward(4).unwrap().total, 10);
}

#[ink::test]
fn set_epoch_reward_with_bad_total_shards_fails() {
    let mut ledger = ledger(100);
    assert_eq!(
        ledger.set_epoch_reward(4, (10, 0), &at(5), false),
        Err(StakingError::ShardsExceedTotal)
    );
    report(&mut ledger, 4, 10, 10, &[(1, 6)]);
    assert_eq!(
        ledger.set_epoch_reward(4, (10, 5), &at(5), false),
        Err(StakingError::ShardsExceedTotal)
    );
    ledger.set_epoch_reward(4, (10, 6), &at(5), false).unwrap();
    assert_eq!(ledger.epoch_reward(4).unwrap().recorded_shards, 6);
}

#[ink::test]
fn set_epoch_reward_with_a_boost_and_no_shards_fails() {
    let mut ledger = ledger(0);
    ledger.add_boost(&Boost::new(1, 5).unwrap(), 3).unwrap();
    assert_eq!(
        ledger.set_epoch_reward(4, (0, 0), &at(5), false),
        Err(StakingError::ShardsExceedTotal)
    );
    assert_eq!(ledger.funding(), funding(5, 5));
}

#[ink::test]
fn set_epoch_reward_to_nothing_is_an_empty_report() {
    let mut ledger = ledger(100);
    ledger.set_epoch_reward(4, (10, 3), &at(5), false).unwrap();
    ledger.set_epoch_reward(4, (0, 0), &at(5), false).unwrap();
    // The epoch stays reported (empty): claims may pass it once it is final.
    assert_eq!(ledger.epoch_reward(4), Some(EpochReward::default()));
    assert_eq!(ledger.funding(), funding(100, 0));
}

// ---- record_provider_shards ----------------------------------------------------------------

#[ink::test]
fn record_provider_shards_before_the_reward_fails() {
    let mut ledger = ledger(100);
    assert_eq!(
        ledger.record_provider_shards(4, batch(&[(1, 1)]), (&at(5), false), holder),
        Err(StakingError::EpochRewardNotSet)
    );
}

#[ink::test]
fn record_provider_shards_of_an_epoch_not_ended_or_final_fails() {
    let mut ledger = ledger(100);
    report(&mut ledger, 4, 10, 10, &[]);
    assert_eq!(
        ledger.record_provider_shards(5, batch(&[(1, 1)]), (&at(5), false), holder),
        Err(StakingError::EpochNotEnded)
    );
    assert_eq!(
        ledger.record_provider_shards(4, batch(&[(1, 1)]), (&at(6), false), holder),
        Err(StakingError::EpochFinalized)
    );
    assert_eq!(ledger.provider_shards(&earner(1), 4), 0);
}

#[ink::test]
fn record_provider_shards_of_an_unknown_provider_fails_and_changes_nothing() {
    let mut ledger = ledger(100);
    report(&mut ledger, 4, 10, 10, &[]);
    for unknown in [id(9), ink::prelude::vec![1; 65]] {
        let entries = ink::prelude::vec![(id(1), 2), (unknown.clone(), 1), (id(2), 3)];
        assert_eq!(
            ledger.record_provider_shards(
                4,
                ShardBatch::new(entries).unwrap(),
                (&at(5), false),
                holder
            ),
            Err(StakingError::NotStakedInEpoch {
                id: unknown,
                epoch: 4
            })
        );
    }
    assert_eq!(ledger.provider_shards(&earner(1), 4), 0);
    assert_eq!(pending_of(&ledger, earner(1)), None);
    assert_eq!(ledger.epoch_reward(4).unwrap().recorded_shards, 0);
}

#[ink::test]
fn record_provider_shards_above_the_total_fails_and_changes_nothing() {
    let mut ledger = ledger(100);
    report(&mut ledger, 4, 10, 10, &[(1, 4)]);
    assert_eq!(
        ledger.record_provider_shards(4, batch(&[(2, 3), (3, 4)]), (&at(5), false), holder),
        Err(StakingError::ShardsExceedTotal)
    );
    assert_eq!(ledger.provider_shards(&earner(2), 4), 0);
    assert_eq!(ledger.epoch_reward(4).unwrap().recorded_shards, 4);
    // Replacing provider 1's shards frees room.
    ledger
        .record_provider_shards(4, batch(&[(1, 3), (2, 3), (3, 4)]), (&at(5), false), holder)
        .unwrap();
    assert_eq!(ledger.epoch_reward(4).unwrap().recorded_shards, 10);
}

#[ink::test]
fn record_provider_shards_again_replaces_the_previous_shards() {
    let mut ledger = ledger(100);
    report(&mut ledger, 4, 10, 10, &[(1, 3), (2, 2)]);
    let reward = ledger
        .record_provider_shards(4, batch(&[(1, 5)]), (&at(5), false), holder)
        .unwrap();
    assert_eq!(reward.recorded_shards, 7);
    assert_eq!(ledger.provider_shards(&earner(1), 4), 5);
    assert_eq!(pending_epochs(&ledger, 1), Some(ink::prelude::vec![4]));
}

#[ink::test]
fn record_provider_shards_of_zero_removes_the_record() {
    let mut ledger = ledger(100);
    report(&mut ledger, 4, 10, 10, &[(1, 3), (2, 2)]);
    let reward = ledger
        .record_provider_shards(4, batch(&[(1, 0)]), (&at(5), false), holder)
        .unwrap();
    assert_eq!(reward.recorded_shards, 2);
    assert_eq!(ledger.provider_shards(&earner(1), 4), 0);
    assert_eq!(pending_of(&ledger, earner(1)), None);
    assert_eq!(ledger.view_rewards(&earner(1), 1, 10), Ok(0));
}

#[ink::test]
fn record_provider_shards_keeps_the_pending_list_sorted() {
    let mut ledger = ledger(100);
    let now = EpochInfo {
        last_claimable_epoch: 0,
        ..at(10)
    };
    for epoch in [7, 3, 5] {
        ledger.set_epoch_reward(epoch, (1, 1), &now, false).unwrap();
        ledger
            .record_provider_shards(epoch, batch(&[(1, 1)]), (&now, false), holder)
            .unwrap();
    }
    assert_eq!(
        pending_epochs(&ledger, 1),
        Some(ink::prelude::vec![3, 5, 7])
    );
    ledger
        .record_provider_shards(5, batch(&[(1, 0)]), (&now, false), holder)
        .unwrap();
    assert_eq!(pending_epochs(&ledger, 1), Some(ink::prelude::vec![3, 7]));
}

#[ink::test]
fn reports_beyond_max_reward_delay_epochs_after_the_final_frontier_wait() {
    let mut ledger = ledger(1_000);
    // A clock far ahead with nothing final yet (after an outage, say).
    let now = EpochInfo {
        last_claimable_epoch: 0,
        ..at(500)
    };
    for epoch in 1..=MAX_REWARD_DELAY {
        ledger.set_epoch_reward(epoch, (1, 1), &now, false).unwrap();
        ledger
            .record_provider_shards(epoch, batch(&[(1, 1)]), (&now, false), holder)
            .unwrap();
    }
    // No earner's list of reported, not final epochs can pass MAX_REWARD_DELAY.
    assert_eq!(
        ledger.set_epoch_reward(MAX_REWARD_DELAY + 1, (1, 1), &now, false),
        Err(StakingError::TooManyOpenEpochs {
            reportable_through: MAX_REWARD_DELAY
        })
    );
    assert_eq!(pending_epochs(&ledger, 1).map(|list| list.len()), Some(100));
    // Replacing shards of a pending epoch needs no room.
    ledger
        .record_provider_shards(1, batch(&[(1, 1)]), (&now, false), holder)
        .unwrap();
    // Once the first epochs are final, the next ones are accepted.
    let later = EpochInfo {
        last_claimable_epoch: 10,
        ..at(500)
    };
    ledger.release_final(&later).unwrap();
    ledger
        .set_epoch_reward(MAX_REWARD_DELAY + 1, (1, 1), &later, false)
        .unwrap();
}

#[ink::test]
fn record_provider_shards_folds_final_epochs_once_the_list_is_long() {
    let mut ledger = ledger(1_000);
    for epoch in 1..=20 {
        let before = account_of(&ledger, earner(1))
            .unwrap_or_default()
            .ledger_len;
        report(&mut ledger, epoch, 10, 10, &[(1, 4), (2, 6)]);
        let pending = pending_of(&ledger, earner(1)).unwrap();
        assert!(pending.len() <= FOLD_AT, "epoch {epoch}: {pending:?}");
        let after = account_of(&ledger, earner(1))
            .unwrap_or_default()
            .ledger_len;
        assert!(
            after - before <= 1,
            "epoch {epoch}: one fold at most per report"
        );
    }
    // From epoch 9 on, each report folds the oldest pending epoch: 1..=12 are in the ledger,
    // 13..=20 (of which 13..=18 are final) still pending.
    let account = account_of(&ledger, earner(1)).unwrap();
    assert_eq!(account.ledger_len, 12);
    assert_eq!(
        pending_epochs(&ledger, 1),
        Some((13..=20).collect::<ink::prelude::vec::Vec<_>>())
    );
    assert_eq!(
        ledger.entries.get((earner(1), 11)),
        Some(LedgerEntry {
            epoch: 12,
            cumulative: 48,
            shards: 4,
        })
    );
    // Shards stay visible, folded or pending.
    assert_eq!(ledger.provider_shards(&earner(1), 16), 4);
    assert_eq!(ledger.provider_shards(&earner(2), 20), 6);
    assert_eq!(ledger.pending_rewards(&earner(1), &at(21)), Ok(19 * 4));
}

#[ink::test]
fn record_provider_shards_touches_one_cell_per_provider_when_nothing_folds() {
    let mut ledger = ledger(1_000);
    ledger.set_epoch_reward(4, (10, 10), &at(5), false).unwrap();
    let before = storage_rw();
    ledger
        .record_provider_shards(4, batch(&[(1, 2), (2, 3), (3, 5)]), (&at(5), false), holder)
        .unwrap();
    let after = storage_rw();
    // Per provider: its pending list, read and written; plus the epoch's report (read and
    // written once for the batch) and the ledger's scalars (`RLST`, read once).
    assert_eq!(after.0 - before.0, 3 + 1 + 1, "reads");
    assert_eq!(after.1 - before.1, 3 + 1, "writes");
}

// ---- claim ---------------------------------------------------------------------------------

#[ink::test]
fn claim_with_an_invalid_range_fails() {
    let mut ledger = ledger(100);
    for (from, to) in [(0, 3), (4, 3)] {
        assert_eq!(
            ledger.claim(&earner(1), from, to, &at(10)),
            Err(StakingError::InvalidEpochRange)
        );
    }
}

#[ink::test]
fn claim_before_the_epoch_is_claimable_fails() {
    let mut ledger = ledger(100);
    report(&mut ledger, 4, 10, 10, &[(1, 10)]);
    assert_eq!(
        ledger.claim(&earner(1), 1, 4, &at(5)),
        Err(StakingError::EpochNotClaimable {
            last_claimable_epoch: 3
        })
    );
    assert_eq!(ledger.pending_rewards(&earner(1), &at(5)), Ok(0));
    assert_eq!(ledger.pending_rewards(&earner(1), &at(6)), Ok(10));
    assert_eq!(ledger.claim(&earner(1), 1, 4, &at(6)), Ok(10));
}

#[ink::test]
fn claim_pays_the_pro_rata_share_and_leaves_the_dust_reserved() {
    let mut ledger = ledger(1_000);
    // 100 over 7 shards: provider 1 has 2, provider 2 has 4, one shard is never recorded.
    report(&mut ledger, 1, 100, 7, &[(1, 2), (2, 4)]);
    assert_eq!(ledger.claim(&earner(1), 1, 1, &at(3)), Ok(28));
    assert_eq!(ledger.claim(&earner(2), 1, 1, &at(3)), Ok(57));
    // 100 − 28 − 57 = 15 stays reserved (unrecorded shard and rounding).
    assert_eq!(ledger.funding(), funding(1_000 - 85, 15));
    assert_eq!(ledger.claimed_through(&earner(1)), 1);
    assert_eq!(ledger.state().finalized_through, 1);
}

#[ink::test]
fn claim_twice_fails() {
    let mut ledger = ledger(100);
    report(&mut ledger, 1, 10, 10, &[(1, 10)]);
    assert_eq!(ledger.claim(&earner(1), 1, 1, &at(3)), Ok(10));
    assert_eq!(
        ledger.claim(&earner(1), 1, 1, &at(5)),
        Err(StakingError::AlreadyClaimed)
    );
    assert_eq!(
        ledger.claim(&earner(1), 1, 3, &at(5)),
        Err(StakingError::NothingToClaim)
    );
    assert_eq!(ledger.funding(), funding(90, 0));
    assert_eq!(ledger.claimed_through(&earner(1)), 1);
}

#[ink::test]
fn claim_without_rewards_fails() {
    let mut ledger = ledger(100);
    assert_eq!(
        ledger.claim(&earner(1), 1, 3, &at(5)),
        Err(StakingError::NothingToClaim)
    );
    assert_eq!(
        ledger.claim(&earner(7), 1, 3, &at(5)),
        Err(StakingError::NothingToClaim),
        "no account"
    );
    assert_eq!(account_of(&ledger, earner(7)), None);
}

#[test]
fn first_epoch_above_finds_the_first_entry_beyond_a_cumulative() {
    let entries: Vec<LedgerEntry> = (1..=10)
        .map(|i| LedgerEntry {
            epoch: i * 3,
            cumulative: Balance::from(i) * 100,
            shards: 1,
        })
        .collect();
    let read = |index: u32| entries[index as usize];
    assert_eq!(first_epoch_above(10, 0, read), Some(3));
    assert_eq!(first_epoch_above(10, 100, read), Some(6));
    assert_eq!(first_epoch_above(10, 450, read), Some(15));
    assert_eq!(first_epoch_above(10, 999, read), Some(30));
    assert_eq!(first_epoch_above(10, 1_000, read), None);
    assert_eq!(first_epoch_above(0, 0, read), None);
}

#[ink::test]
fn claim_skipping_unclaimed_rewards_fails() {
    let mut ledger = ledger(100);
    report(&mut ledger, 2, 10, 10, &[(1, 10)]);
    report(&mut ledger, 5, 20, 10, &[(1, 10)]);
    assert_eq!(
        ledger.claim(&earner(1), 3, 5, &at(8)),
        Err(StakingError::ClaimGap {
            first_unclaimed_epoch: 2
        })
    );
    // Epochs 1, 3 and 4 hold no reward: claiming 1..=2, then from 4, leaves no gap.
    assert_eq!(ledger.claim(&earner(1), 2, 2, &at(8)), Ok(10));
    assert_eq!(ledger.claim(&earner(1), 4, 6, &at(8)), Ok(20));
    assert_eq!(ledger.claimed_through(&earner(1)), 6);
}

#[ink::test]
fn claim_of_a_range_overlapping_claimed_epochs_pays_the_rest() {
    let mut ledger = ledger(100);
    for epoch in 1..=4 {
        report(&mut ledger, epoch, 10, 10, &[(1, 5)]);
    }
    assert_eq!(ledger.claim(&earner(1), 1, 2, &at(6)), Ok(10));
    assert_eq!(ledger.claim(&earner(1), 1, 4, &at(6)), Ok(10));
    assert_eq!(ledger.funding(), funding(80, 20));
}

#[ink::test]
fn claim_uses_reports_corrected_before_finality() {
    let mut ledger = ledger(100);
    report(&mut ledger, 4, 10, 10, &[(1, 5), (2, 5)]);
    // Still at epoch 5: the scheduler corrects the total and provider 1's shards.
    ledger.set_epoch_reward(4, (40, 10), &at(5), false).unwrap();
    ledger
        .record_provider_shards(4, batch(&[(1, 2)]), (&at(5), false), holder)
        .unwrap();
    assert_eq!(ledger.view_rewards(&earner(1), 4, 4), Ok(8));
    assert_eq!(ledger.claim(&earner(1), 4, 4, &at(6)), Ok(8));
    // Final now: no more corrections.
    assert_eq!(
        ledger.set_epoch_reward(4, (10, 10), &at(6), false),
        Err(StakingError::EpochFinalized)
    );
    assert_eq!(
        ledger.record_provider_shards(4, batch(&[(2, 8)]), (&at(7), false), holder),
        Err(StakingError::EpochFinalized)
    );
    assert_eq!(ledger.claim(&earner(2), 1, 4, &at(7)), Ok(20));
    assert_eq!(ledger.funding(), funding(72, 12));
}

#[ink::test]
fn claim_of_a_boosted_epoch_splits_total_and_boost() {
    let mut ledger = ledger(0);
    ledger.add_boost(&Boost::new(2, 60).unwrap(), 1).unwrap();
    ledger.fund(10).unwrap();
    report(&mut ledger, 2, 10, 4, &[(1, 1), (2, 3)]);
    assert_eq!(ledger.total_reward_for_epoch(2), 40);
    assert_eq!(ledger.total_reward_for_epoch(3), 30);
    assert_eq!(ledger.claim(&earner(1), 1, 2, &at(4)), Ok(10));
    assert_eq!(ledger.claim(&earner(2), 1, 2, &at(4)), Ok(30));
    // Epoch 3's boost stays reserved for epoch 3.
    assert_eq!(ledger.funding(), funding(30, 30));
}

#[ink::test]
fn claim_never_exceeds_the_reservation_escrow() {
    let mut ledger = ledger(50);
    report(&mut ledger, 1, 50, 2, &[(1, 1), (2, 1)]);
    assert_eq!(
        ledger.set_epoch_reward(2, (1, 1), &at(3), false),
        Err(StakingError::InsufficientRewardFunding { available: 0 })
    );
    assert_eq!(ledger.claim(&earner(1), 1, 1, &at(3)), Ok(25));
    // Paid rewards leave the reservation; unreserved funds stay 0.
    assert_eq!(ledger.funding(), funding(25, 25));
    ledger.fund(5).unwrap();
    report(&mut ledger, 2, 5, 1, &[(1, 1)]);
    assert_eq!(ledger.claim(&earner(1), 2, 2, &at(4)), Ok(5));
    assert_eq!(ledger.claim(&earner(2), 1, 2, &at(4)), Ok(25));
    assert_eq!(ledger.funding(), funding(0, 0));
}

#[ink::test]
fn claim_after_the_delay_grew_keeps_earlier_epochs_final() {
    let mut ledger = ledger(100);
    report(&mut ledger, 4, 10, 10, &[(1, 10)]);
    assert_eq!(ledger.claim(&earner(1), 4, 4, &at(6)), Ok(10));
    report(&mut ledger, 6, 10, 10, &[(1, 10)]);
    // The delay grows from 2 to 5 at epoch 8: last claimable 3, but 5 was already final.
    let longer_delay = EpochInfo {
        last_claimable_epoch: 3,
        ..at(8)
    };
    assert_eq!(ledger.state().finalized_through, 5);
    assert_eq!(
        ledger.set_epoch_reward(5, (1, 1), &longer_delay, false),
        Err(StakingError::EpochFinalized)
    );
    // The pool's frontier never moves back: 5 stays final and claimable, 6 waits.
    assert_eq!(
        ledger.claim(&earner(1), 5, 6, &longer_delay),
        Err(StakingError::EpochNotClaimable {
            last_claimable_epoch: 5
        })
    );
    assert_eq!(ledger.pending_rewards(&earner(1), &longer_delay), Ok(0));
    ledger
        .set_epoch_reward(6, (20, 10), &longer_delay, false)
        .unwrap();
    assert_eq!(ledger.claim(&earner(1), 5, 6, &at(8)), Ok(20));
}

#[ink::test]
fn claim_settles_final_pending_epochs_in_order_and_writes_the_account_only() {
    let mut ledger = ledger(100);
    report(&mut ledger, 3, 10, 10, &[(1, 1)]);
    report(&mut ledger, 5, 10, 10, &[(1, 2)]);
    report(&mut ledger, 6, 10, 10, &[(1, 3)]);
    // A report folds only a long list: all three are still pending.
    assert_eq!(account_of(&ledger, earner(1)), None);
    assert_eq!(
        pending_epochs(&ledger, 1),
        Some(ink::prelude::vec![3, 5, 6])
    );
    // At epoch 9 all three are final; claim 5..=7 (gap rule: 3 is unclaimed).
    assert_eq!(
        ledger.claim(&earner(1), 5, 7, &at(9)),
        Err(StakingError::ClaimGap {
            first_unclaimed_epoch: 3
        })
    );
    assert_eq!(ledger.pending_rewards(&earner(1), &at(9)), Ok(6));
    let before = storage_rw();
    assert_eq!(ledger.claim(&earner(1), 1, 5, &at(9)), Ok(3));
    let after = storage_rw();
    // The fold stays in memory: the account and the paid funds (`RLST`) are written, the
    // pending list and the ledger are not.
    assert_eq!(after.1 - before.1, 2, "writes");
    assert_eq!(
        pending_epochs(&ledger, 1),
        Some(ink::prelude::vec![3, 5, 6])
    );
    let account = account_of(&ledger, earner(1)).unwrap();
    assert_eq!(
        (
            account.ledger_len,
            account.claimed_through,
            account.claimed_cumulative
        ),
        (0, 5, 3)
    );
    assert_eq!(ledger.pending_rewards(&earner(1), &at(9)), Ok(3));
    assert_eq!(ledger.claim(&earner(1), 6, 7, &at(9)), Ok(3));
}

#[ink::test]
fn claim_of_1000_rewarded_epochs_reads_logarithmically_many_cells() {
    const EPOCHS: u32 = 1_000;
    let mut ledger = ledger(Balance::from(EPOCHS) * 10);
    for epoch in 1..=EPOCHS {
        report(&mut ledger, epoch, 10, 10, &[(1, 3), (2, 7)]);
    }
    let now = at(EPOCHS + 2);
    assert_eq!(ledger.pending_rewards(&earner(1), &now), Ok(3_000));
    assert_eq!(ledger.view_rewards(&earner(1), 101, 200), Ok(300));

    // Claims spanning 1, 499 and 500 epochs cost about the same.
    let mut costs = Vec::new();
    let mut writes = Vec::new();
    for (from, to) in [(1, 1), (2, 500), (501, EPOCHS)] {
        let before = storage_rw();
        let amount = ledger.claim(&earner(1), from, to, &now).unwrap();
        let after = storage_rw();
        costs.push(after.0 - before.0);
        writes.push(after.1 - before.1);
        assert_eq!(amount, Balance::from(to - from + 1) * 3);
    }
    // A claim writes its account and the paid funds (`RLST`), nothing else: the final epochs
    // still pending are settled in memory, and the reports fold them.
    assert_eq!(writes, [2, 2, 2]);
    assert_eq!(
        account_of(&ledger, earner(1)).unwrap().ledger_len as usize,
        EPOCHS as usize - FOLD_AT
    );
    // account + pending + last entry (+ 2 binary searches of ≤ 10 reads each).
    for cost in &costs {
        assert!(
            (3..=3 + 2 * 11).contains(cost),
            "claim costs {costs:?} reads"
        );
    }
    let gap = ledger.claim(&earner(2), 900, EPOCHS, &now);
    assert_eq!(
        gap,
        Err(StakingError::ClaimGap {
            first_unclaimed_epoch: 1
        })
    );
    assert_eq!(ledger.claim(&earner(2), 1, EPOCHS, &now), Ok(7_000));
    assert_eq!(ledger.funding(), funding(0, 0));
}

// ---- Views ---------------------------------------------------------------------------------

#[ink::test]
fn view_rewards_counts_final_pending_and_claimed_epochs_in_range() {
    let mut ledger = ledger(100);
    for epoch in 1..=6 {
        report(&mut ledger, epoch, 10, 10, &[(1, epoch.into())]);
    }
    // At epoch 7: 1..=4 folded, 5 and 6 pending.
    assert_eq!(ledger.claim(&earner(1), 1, 2, &at(7)), Ok(3));
    assert_eq!(ledger.view_rewards(&earner(1), 1, 6), Ok(21));
    assert_eq!(ledger.view_rewards(&earner(1), 0, 6), Ok(21));
    assert_eq!(ledger.view_rewards(&earner(1), 2, 5), Ok(14));
    assert_eq!(ledger.view_rewards(&earner(1), 6, 100), Ok(6));
    assert_eq!(ledger.view_rewards(&earner(1), 5, 4), Ok(0));
    assert_eq!(ledger.view_rewards(&earner(1), 0, 0), Ok(0));
    assert_eq!(ledger.view_rewards(&earner(9), 1, 6), Ok(0));
}

#[ink::test]
fn pending_rewards_counts_claimable_unclaimed_epochs_only() {
    let mut ledger = ledger(100);
    for epoch in 1..=6 {
        report(&mut ledger, epoch, 10, 10, &[(1, 1)]);
    }
    assert_eq!(ledger.pending_rewards(&earner(1), &at(7)), Ok(5));
    assert_eq!(ledger.pending_rewards(&earner(1), &at(8)), Ok(6));
    ledger.claim(&earner(1), 1, 3, &at(7)).unwrap();
    assert_eq!(ledger.pending_rewards(&earner(1), &at(7)), Ok(2));
    assert_eq!(ledger.pending_rewards(&earner(2), &at(7)), Ok(0));
}

// ---- Issue 11: the examples that lost money before --------------------------------------

/// 11.2: a boost pays only its own epoch, and a boosted epoch is always reportable.
#[ink::test]
fn a_boost_is_escrowed_for_its_own_epoch() {
    let mut ledger = ledger(0);
    // Epoch 5: boost 100 over 1 epoch -> epoch 6.
    ledger.add_boost(&Boost::new(1, 100).unwrap(), 5).unwrap();
    // Epoch 6: reporting epoch 5 with 100 may not spend epoch 6's boost.
    assert_eq!(
        ledger.set_epoch_reward(5, (100, 1), &at(6), false),
        Err(StakingError::InsufficientRewardFunding { available: 0 })
    );
    // Epoch 7: epoch 6 is reportable with total 0; its providers share the boost alone.
    ledger.set_epoch_reward(6, (0, 1), &at(7), false).unwrap();
    ledger
        .record_provider_shards(6, batch(&[(1, 1)]), (&at(7), false), holder)
        .unwrap();
    assert_eq!(ledger.release_final(&at(8)), Ok(Vec::new()));
    assert_eq!(ledger.claim(&earner(1), 1, 6, &at(8)), Ok(100));
    assert_eq!(ledger.funding(), funding(0, 0));
}

/// 11.2: a boosted epoch nobody earns in gives its boost back to the unreserved funds.
#[ink::test]
fn a_boost_nobody_earns_is_released_when_its_epoch_is_final() {
    let mut ledger = ledger(0);
    ledger.add_boost(&Boost::new(2, 100).unwrap(), 5).unwrap();
    assert_eq!(ledger.funding(), funding(100, 100));
    // Epoch 6 final at 8, epoch 7 at 9; nobody reported either.
    assert_eq!(ledger.funding_at(&at(8)), Ok(funding(100, 50)));
    assert_eq!(ledger.release_final(&at(8)), Ok(vec![(6, 50)]));
    assert_eq!(ledger.release_final(&at(8)), Ok(Vec::new()));
    assert_eq!(ledger.release_final(&at(9)), Ok(vec![(7, 50)]));
    assert_eq!(ledger.funding(), funding(100, 0));
    assert!(ledger.open_epochs().is_empty());
}

/// 11.3: the share of shards nobody recorded (and the dust) returns to unreserved funds.
#[ink::test]
fn what_nobody_can_claim_from_a_final_epoch_is_released() {
    let mut ledger = ledger(1_000);
    ledger
        .set_epoch_reward(1, (1_000, 1_000), &at(2), false)
        .unwrap();
    ledger
        .record_provider_shards(1, batch(&[(1, 1)]), (&at(2), false), holder)
        .unwrap();
    assert_eq!(ledger.funding(), funding(1_000, 1_000));
    assert_eq!(ledger.release_final(&at(3)), Ok(vec![(1, 999)]));
    assert_eq!(ledger.funding(), funding(1_000, 1));
    // The next epochs can be reported with the released funds.
    ledger.set_epoch_reward(2, (999, 1), &at(3), false).unwrap();
    assert_eq!(ledger.claim(&earner(1), 1, 1, &at(3)), Ok(1));
    assert_eq!(ledger.funding(), funding(999, 999));
    // Withdrawal never reaches reserved rewards.
    assert_eq!(
        ledger.withdraw(1),
        Err(StakingError::InsufficientRewardFunding { available: 0 })
    );
}

/// 11.3: rounding dust of a split goes back too; a correction keeps an upper bound.
#[ink::test]
fn rounding_dust_is_released_and_corrections_never_release_a_claimable_share() {
    let mut ledger = ledger(100);
    ledger.set_epoch_reward(1, (100, 3), &at(2), false).unwrap();
    ledger
        .record_provider_shards(1, batch(&[(1, 1), (2, 1), (3, 1)]), (&at(2), false), holder)
        .unwrap();
    assert_eq!(ledger.epoch_reward(1).unwrap().allocated, 99);
    // Corrected after the shards: 50 over 3 shards; shares 16 each, bound 50.
    ledger.set_epoch_reward(1, (50, 3), &at(2), false).unwrap();
    assert_eq!(ledger.epoch_reward(1).unwrap().allocated, 50);
    assert_eq!(ledger.release_final(&at(3)), Ok(Vec::new()));
    for n in 1..=3 {
        assert_eq!(ledger.claim(&earner(n), 1, 1, &at(3)), Ok(16));
    }
    assert_eq!(ledger.funding(), funding(52, 2));
}

/// 11.5: no shards for an epoch in which the provider held no stake.
#[ink::test]
fn shards_for_an_epoch_without_a_stake_are_refused() {
    let mut ledger = ledger(100);
    ledger.set_epoch_reward(4, (10, 10), &at(5), false).unwrap();
    let staked_from_5 =
        |_: &ProviderId, epoch: EpochId| (epoch >= 5).then_some(AccountId::from(OWNER));
    assert_eq!(
        ledger.record_provider_shards(4, batch(&[(1, 1)]), (&at(5), false), staked_from_5),
        Err(StakingError::NotStakedInEpoch {
            id: id(1),
            epoch: 4
        })
    );
}

/// 11.6: the same id held by two owners in turn: each claims only what it earned.
#[ink::test]
fn rewards_follow_the_owner_who_held_the_id() {
    let mut ledger = ledger(100);
    let first = AccountId::from([1; 32]);
    let second = AccountId::from([2; 32]);
    let by_epoch =
        move |_: &ProviderId, epoch: EpochId| Some(if epoch < 3 { first } else { second });
    for epoch in [2, 3] {
        ledger
            .set_epoch_reward(epoch, (10, 1), &at(epoch + 1), false)
            .unwrap();
        ledger
            .record_provider_shards(epoch, batch(&[(1, 1)]), (&at(epoch + 1), false), by_epoch)
            .unwrap();
    }
    assert_eq!(ledger.claim(&(id(1), second), 1, 3, &at(5)), Ok(10));
    assert_eq!(ledger.claim(&(id(1), first), 1, 3, &at(5)), Ok(10));
    assert_eq!(
        ledger.claim(&(id(1), second), 1, 3, &at(5)),
        Err(StakingError::AlreadyClaimed)
    );
}

#[ink::test]
fn a_cluster_session_claims_up_to_the_final_frontier() {
    let mut ledger = ledger(100);
    report(&mut ledger, 3, 10, 10, &[(1, 10)]);
    report(&mut ledger, 4, 20, 10, &[(1, 10)]);
    // At epoch 6 (delay 2) epoch 4 is final, 5 is not: a single claim through 5 fails, a
    // cluster session claims through 4.
    assert_eq!(
        ledger.claim(&earner(1), 1, 5, &at(6)),
        Err(StakingError::EpochNotClaimable {
            last_claimable_epoch: 4
        })
    );
    let mut session = ledger.begin_claims();
    session.up_to = true;
    assert_eq!(
        ledger.claim_in(&mut session, &earner(1), 1, 5, &at(6)),
        Ok((30, 4))
    );
    ledger.end_claims(session);
    assert_eq!(ledger.claimed_through(&earner(1)), 4);
}
