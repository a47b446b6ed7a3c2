//! Off-chain tests of every message of `epoch_controller`.
#![allow(clippy::arithmetic_side_effects)]

use crate::{
    clock::Checkpoint,
    epoch_controller::EpochControllerContract,
    errors::EpochError,
    events::{EpochLengthUpdated, EpochRewardDelayUpdated, MinEpochsLockedUpdated},
};
use func_interfaces::{
    access::{OwnershipTransferStarted, OwnershipTransferred},
    limits::{
        MAX_EPOCHS_LOCKED, MAX_EPOCH_LENGTH, MAX_REWARD_DELAY, MIN_EPOCHS_LOCKED, MIN_EPOCH_LENGTH,
        MIN_REWARD_DELAY,
    },
    AccessError, EpochController, EpochInfo,
};
use ink::{
    env::{
        test::{self, DefaultAccounts},
        DefaultEnvironment as E, Event,
    },
    primitives::Hash,
    scale::Decode,
};

/// Epoch 1 starts at block 100; epochs of 10 blocks; locked 3 epochs; rewards after 2.
const LENGTH: u32 = 10;
const FIRST: u32 = 100;
const LOCKED: u32 = 3;
const DELAY: u32 = 2;

const LENGTH_BOUNDS: EpochError = EpochError::EpochLengthOutOfBounds {
    min: MIN_EPOCH_LENGTH,
    max: MAX_EPOCH_LENGTH,
};
const LOCKED_BOUNDS: EpochError = EpochError::MinEpochsLockedOutOfBounds {
    min: MIN_EPOCHS_LOCKED,
    max: MAX_EPOCHS_LOCKED,
};
const DELAY_BOUNDS: EpochError = EpochError::RewardDelayOutOfBounds {
    min: MIN_REWARD_DELAY,
    max: MAX_REWARD_DELAY,
};
const NOT_OWNER: EpochError = EpochError::Access(AccessError::NotOwner);

fn accounts() -> DefaultAccounts<E> {
    test::default_accounts::<E>()
}

fn set_block(block: u32) {
    test::set_block_number::<E>(block);
}

fn set_caller(caller: ink::primitives::AccountId) {
    test::set_caller::<E>(caller);
}

/// Alice deploys at block 0 with the constants above.
fn deploy() -> EpochControllerContract {
    set_caller(accounts().alice);
    EpochControllerContract::new(LENGTH, FIRST, LOCKED, DELAY).expect("valid parameters")
}

/// The recorded events of type `T`, recognised by their signature topic.
fn events_of<T: Event + Decode>() -> Vec<T> {
    let signature = T::SIGNATURE_TOPIC.expect("not anonymous");
    test::recorded_events()
        .filter(|event| event.topics.first().map(Vec::as_slice) == Some(&signature[..]))
        .map(|event| T::decode(&mut &event.data[..]).expect("decodable event"))
        .collect()
}

fn event_count() -> usize {
    test::recorded_events().count()
}

fn length_updates() -> Vec<(u32, u32, u32)> {
    events_of::<EpochLengthUpdated>()
        .into_iter()
        .map(|e| (e.epoch_length, e.effective_epoch, e.effective_block))
        .collect()
}

// ---- constructor ----

#[ink::test]
fn new_with_valid_parameters_sets_them_and_the_owner() {
    let a = accounts();
    let contract = deploy();
    assert_eq!(contract.owner(), a.alice);
    assert_eq!(contract.pending_owner(), None);
    assert_eq!(contract.epoch_length(), LENGTH);
    assert_eq!(contract.min_epochs_locked(), LOCKED);
    assert_eq!(contract.epoch_reward_delay(), DELAY);
    assert_eq!(contract.scheduled_epoch_length(), None);
    assert_eq!(contract.epoch_start_block(1), Some(FIRST));
}

#[ink::test]
fn new_emits_the_initial_parameters() {
    deploy();
    assert_eq!(event_count(), 3);
    assert_eq!(length_updates(), vec![(LENGTH, 1, FIRST)]);
    assert_eq!(
        events_of::<MinEpochsLockedUpdated>()[0].min_epochs_locked,
        LOCKED
    );
    assert_eq!(
        events_of::<EpochRewardDelayUpdated>()[0].epoch_reward_delay,
        DELAY
    );
}

#[ink::test]
fn new_with_zero_first_block_starts_at_the_current_block() {
    set_block(500);
    let contract = EpochControllerContract::new(LENGTH, 0, LOCKED, DELAY).unwrap();
    assert_eq!(contract.current_epoch(), 1);
    assert_eq!(contract.epoch_start_block(1), Some(500));
    assert_eq!(contract.next_epoch_block(), 510);
    assert_eq!(length_updates(), vec![(LENGTH, 1, 500)]);
}

#[ink::test]
fn new_with_past_first_block_counts_from_it() {
    set_block(1_000);
    let contract = EpochControllerContract::new(LENGTH, 1, LOCKED, DELAY).unwrap();
    // Blocks 1..=10 are epoch 1, so block 1000 is in epoch 100 (991..=1000).
    assert_eq!(contract.current_epoch(), 100);
    assert_eq!(contract.next_epoch_block(), 1_001);
}

#[ink::test]
fn new_with_epoch_length_out_of_bounds_fails() {
    for length in [0, MIN_EPOCH_LENGTH - 1, MAX_EPOCH_LENGTH + 1, u32::MAX] {
        assert_eq!(
            EpochControllerContract::new(length, FIRST, LOCKED, DELAY).err(),
            Some(LENGTH_BOUNDS)
        );
    }
    for length in [MIN_EPOCH_LENGTH, MAX_EPOCH_LENGTH] {
        assert!(EpochControllerContract::new(length, FIRST, LOCKED, DELAY).is_ok());
    }
}

#[ink::test]
fn new_with_min_epochs_locked_out_of_bounds_fails() {
    for locked in [MIN_EPOCHS_LOCKED - 1, MAX_EPOCHS_LOCKED + 1] {
        assert_eq!(
            EpochControllerContract::new(LENGTH, FIRST, locked, DELAY).err(),
            Some(LOCKED_BOUNDS)
        );
    }
    for locked in [MIN_EPOCHS_LOCKED, MAX_EPOCHS_LOCKED] {
        assert!(EpochControllerContract::new(LENGTH, FIRST, locked, DELAY).is_ok());
    }
}

#[ink::test]
fn new_with_reward_delay_out_of_bounds_fails() {
    for delay in [0, MIN_REWARD_DELAY - 1, MAX_REWARD_DELAY + 1] {
        assert_eq!(
            EpochControllerContract::new(LENGTH, FIRST, LOCKED, delay).err(),
            Some(DELAY_BOUNDS)
        );
    }
    for delay in [MIN_REWARD_DELAY, MAX_REWARD_DELAY] {
        assert!(EpochControllerContract::new(LENGTH, FIRST, LOCKED, delay).is_ok());
    }
}

#[ink::test]
fn new_with_invalid_parameters_emits_nothing() {
    let _ = EpochControllerContract::new(1, FIRST, LOCKED, DELAY);
    let _ = EpochControllerContract::new(LENGTH, FIRST, 0, DELAY);
    let _ = EpochControllerContract::new(LENGTH, FIRST, LOCKED, 0);
    assert_eq!(event_count(), 0);
}

// ---- clock views ----

#[ink::test]
fn current_epoch_before_the_first_block_is_zero() {
    let contract = deploy();
    assert_eq!(contract.current_epoch(), 0);
    set_block(FIRST - 1);
    assert_eq!(contract.current_epoch(), 0);
    assert_eq!(contract.next_epoch_block(), FIRST);
    assert_eq!(contract.epoch_length(), LENGTH);
}

#[ink::test]
fn current_epoch_advances_every_epoch_length_blocks() {
    let contract = deploy();
    set_block(FIRST);
    for epoch in 1..=5 {
        for _ in 0..LENGTH {
            assert_eq!(contract.current_epoch(), epoch);
            assert_eq!(contract.next_epoch_block(), FIRST + epoch * LENGTH);
            test::advance_block::<E>();
        }
    }
    assert_eq!(contract.current_epoch(), 6);
}

#[ink::test]
fn last_claimable_epoch_saturates_at_zero() {
    let contract = deploy();
    for block in [0, FIRST, FIRST + LENGTH, FIRST + 2 * LENGTH - 1] {
        set_block(block);
        assert_eq!(contract.last_claimable_epoch(), 0, "block {block}");
    }
    // Epoch 3 starts: epoch 1 becomes claimable.
    set_block(FIRST + 2 * LENGTH);
    assert_eq!(contract.current_epoch(), 3);
    assert_eq!(contract.last_claimable_epoch(), 1);
    set_block(FIRST + 9 * LENGTH);
    assert_eq!(contract.last_claimable_epoch(), 10 - DELAY);
}

#[ink::test]
fn epoch_start_block_of_epoch_zero_is_none() {
    let contract = deploy();
    assert_eq!(contract.epoch_start_block(0), None);
    assert_eq!(contract.epoch_start_block(4), Some(FIRST + 3 * LENGTH));
    assert_eq!(contract.epoch_start_block(u32::MAX), None);
}

#[ink::test]
fn epoch_info_matches_the_single_views() {
    let mut contract = deploy();
    let check = |contract: &EpochControllerContract| {
        assert_eq!(
            contract.epoch_info(),
            EpochInfo {
                current_epoch: contract.current_epoch(),
                next_epoch_block: contract.next_epoch_block(),
                last_claimable_epoch: contract.last_claimable_epoch(),
                epoch_length: contract.epoch_length(),
                min_epochs_locked: contract.min_epochs_locked(),
                epoch_reward_delay: contract.epoch_reward_delay(),
            }
        );
    };
    check(&contract);
    set_block(FIRST + 35);
    contract.set_epoch_length(4).unwrap();
    contract.set_min_epochs_locked(7).unwrap();
    contract.set_epoch_reward_delay(3).unwrap();
    for block in [
        FIRST + 35,
        FIRST + 39,
        FIRST + 40,
        FIRST + 44,
        FIRST + 1_000,
    ] {
        set_block(block);
        check(&contract);
    }
    set_block(FIRST + 40);
    assert_eq!(
        contract.epoch_info(),
        EpochInfo {
            current_epoch: 5,
            next_epoch_block: FIRST + 44,
            // Epochs up to 4 keep delay 2: epoch 3 is claimable in epoch 5.
            last_claimable_epoch: 3,
            epoch_length: 4,
            min_epochs_locked: 7,
            epoch_reward_delay: 3,
        }
    );
}

// ---- set_epoch_length ----

#[ink::test]
fn set_epoch_length_takes_effect_at_the_next_boundary() {
    let mut contract = deploy();
    set_block(FIRST + 25); // epoch 3: blocks 120..=129
    assert_eq!(contract.set_epoch_length(4), Ok(()));

    assert_eq!(contract.current_epoch(), 3);
    assert_eq!(contract.epoch_length(), LENGTH, "epoch 3 keeps its length");
    assert_eq!(
        contract.next_epoch_block(),
        FIRST + 30,
        "epoch 3 ends as announced"
    );
    assert_eq!(
        contract.scheduled_epoch_length(),
        Some(Checkpoint {
            epoch: 4,
            block: FIRST + 30,
            length: 4
        })
    );
    assert_eq!(length_updates().last(), Some(&(4, 4, FIRST + 30)));

    set_block(FIRST + 30);
    assert_eq!(contract.current_epoch(), 4);
    assert_eq!(contract.epoch_length(), 4);
    assert_eq!(contract.next_epoch_block(), FIRST + 34);
    assert_eq!(contract.scheduled_epoch_length(), None);
    set_block(FIRST + 34);
    assert_eq!(contract.current_epoch(), 5);
}

#[ink::test]
fn set_epoch_length_keeps_past_epoch_numbers() {
    let mut contract = deploy();
    let now = FIRST + 57; // epoch 6
    let numbers = |contract: &EpochControllerContract| -> Vec<u32> {
        (0..=now)
            .map(|block| {
                set_block(block);
                contract.current_epoch()
            })
            .collect()
    };
    let before = numbers(&contract);
    let starts: Vec<_> = (1..=6).map(|e| contract.epoch_start_block(e)).collect();

    set_block(now);
    contract.set_epoch_length(MIN_EPOCH_LENGTH).unwrap();
    assert_eq!(numbers(&contract), before);
    set_block(now + 1);
    contract.set_epoch_length(MAX_EPOCH_LENGTH).unwrap();
    assert_eq!(numbers(&contract), before);
    let after: Vec<_> = (1..=6).map(|e| contract.epoch_start_block(e)).collect();
    assert_eq!(after, starts);
}

#[ink::test]
fn set_epoch_length_twice_before_the_boundary_replaces_the_pending_change() {
    let mut contract = deploy();
    set_block(FIRST + 25);
    contract.set_epoch_length(4).unwrap();
    set_block(FIRST + 29);
    contract.set_epoch_length(20).unwrap();

    assert_eq!(
        contract.scheduled_epoch_length(),
        Some(Checkpoint {
            epoch: 4,
            block: FIRST + 30,
            length: 20
        })
    );
    assert_eq!(
        length_updates(),
        vec![(LENGTH, 1, FIRST), (4, 4, FIRST + 30), (20, 4, FIRST + 30)]
    );
    set_block(FIRST + 49);
    assert_eq!(contract.current_epoch(), 4);
    set_block(FIRST + 50);
    assert_eq!(contract.current_epoch(), 5);
}

#[ink::test]
fn set_epoch_length_after_the_pending_change_was_reached_schedules_the_next_boundary() {
    let mut contract = deploy();
    set_block(FIRST + 25);
    contract.set_epoch_length(4).unwrap(); // epoch 4 = blocks 130..=133, epoch 5 = 134..=137
    set_block(FIRST + 36);
    contract.set_epoch_length(7).unwrap();

    assert_eq!(contract.current_epoch(), 5);
    assert_eq!(contract.epoch_length(), 4);
    assert_eq!(length_updates().last(), Some(&(7, 6, FIRST + 38)));
    assert_eq!(contract.epoch_start_block(4), Some(FIRST + 30));
    set_block(FIRST + 44);
    assert_eq!((contract.current_epoch(), contract.epoch_length()), (6, 7));
    set_block(FIRST + 45);
    assert_eq!(contract.current_epoch(), 7);
}

#[ink::test]
fn set_epoch_length_before_the_start_changes_epoch_one() {
    let mut contract = deploy();
    set_block(FIRST - 50);
    contract.set_epoch_length(25).unwrap();
    assert_eq!(contract.epoch_length(), 25);
    assert_eq!(contract.scheduled_epoch_length(), None);
    assert_eq!(length_updates().last(), Some(&(25, 1, FIRST)));
    set_block(FIRST + 24);
    assert_eq!(contract.current_epoch(), 1);
    set_block(FIRST + 25);
    assert_eq!(contract.current_epoch(), 2);
}

#[ink::test]
fn set_epoch_length_out_of_bounds_fails_and_changes_nothing() {
    let mut contract = deploy();
    set_block(FIRST + 25);
    let events = event_count();
    for length in [0, MIN_EPOCH_LENGTH - 1, MAX_EPOCH_LENGTH + 1] {
        assert_eq!(contract.set_epoch_length(length), Err(LENGTH_BOUNDS));
    }
    assert_eq!(contract.scheduled_epoch_length(), None);
    assert_eq!(contract.next_epoch_block(), FIRST + 30);
    assert_eq!(event_count(), events);
}

#[ink::test]
fn set_epoch_length_by_non_owner_fails_and_changes_nothing() {
    let mut contract = deploy();
    set_block(FIRST + 25);
    let events = event_count();
    set_caller(accounts().bob);
    assert_eq!(contract.set_epoch_length(4), Err(NOT_OWNER));
    assert_eq!(contract.scheduled_epoch_length(), None);
    assert_eq!(event_count(), events);
}

#[ink::test]
fn set_epoch_length_with_boundary_beyond_the_block_range_fails_with_overflow() {
    set_caller(accounts().alice);
    let mut contract = EpochControllerContract::new(MAX_EPOCH_LENGTH, 1, LOCKED, DELAY).unwrap();
    set_block(u32::MAX - 5);
    let events = event_count();
    assert_eq!(contract.next_epoch_block(), u32::MAX, "saturated view");
    assert_eq!(contract.set_epoch_length(LENGTH), Err(EpochError::Overflow));
    assert_eq!(contract.scheduled_epoch_length(), None);
    assert_eq!(contract.epoch_length(), MAX_EPOCH_LENGTH);
    assert_eq!(event_count(), events);
}

// ---- set_min_epochs_locked ----

#[ink::test]
fn set_min_epochs_locked_updates_and_emits() {
    let mut contract = deploy();
    assert_eq!(contract.set_min_epochs_locked(MAX_EPOCHS_LOCKED), Ok(()));
    assert_eq!(contract.min_epochs_locked(), MAX_EPOCHS_LOCKED);
    assert_eq!(contract.set_min_epochs_locked(MIN_EPOCHS_LOCKED), Ok(()));
    assert_eq!(contract.min_epochs_locked(), MIN_EPOCHS_LOCKED);
    let updates: Vec<_> = events_of::<MinEpochsLockedUpdated>()
        .into_iter()
        .map(|e| e.min_epochs_locked)
        .collect();
    assert_eq!(updates, vec![LOCKED, MAX_EPOCHS_LOCKED, MIN_EPOCHS_LOCKED]);
}

#[ink::test]
fn set_min_epochs_locked_out_of_bounds_fails_and_changes_nothing() {
    let mut contract = deploy();
    let events = event_count();
    for locked in [MIN_EPOCHS_LOCKED - 1, MAX_EPOCHS_LOCKED + 1] {
        assert_eq!(contract.set_min_epochs_locked(locked), Err(LOCKED_BOUNDS));
    }
    assert_eq!(contract.min_epochs_locked(), LOCKED);
    assert_eq!(event_count(), events);
}

#[ink::test]
fn set_min_epochs_locked_by_non_owner_fails_and_changes_nothing() {
    let mut contract = deploy();
    let events = event_count();
    set_caller(accounts().bob);
    assert_eq!(contract.set_min_epochs_locked(5), Err(NOT_OWNER));
    assert_eq!(contract.min_epochs_locked(), LOCKED);
    assert_eq!(event_count(), events);
}

// ---- set_epoch_reward_delay ----

#[ink::test]
fn set_epoch_reward_delay_applies_from_the_next_epoch_and_emits() {
    let mut contract = deploy();
    set_block(FIRST + 95); // epoch 10
    assert_eq!(contract.last_claimable_epoch(), 10 - DELAY);
    assert_eq!(contract.set_epoch_reward_delay(5), Ok(()));
    // The running epoch keeps its delay; the frontier does not move back.
    assert_eq!(contract.epoch_reward_delay(), DELAY);
    assert_eq!(contract.last_claimable_epoch(), 8);
    // A second change before the first takes effect replaces it.
    assert_eq!(contract.set_epoch_reward_delay(MAX_REWARD_DELAY), Ok(()));
    assert_eq!(
        contract.reward_delay_schedule(),
        crate::DelaySchedule {
            old: DELAY,
            new: MAX_REWARD_DELAY,
            from_epoch: 11
        }
    );
    set_block(FIRST + 105); // epoch 11
    assert_eq!(contract.epoch_reward_delay(), MAX_REWARD_DELAY);
    assert_eq!(contract.last_claimable_epoch(), 9);
    let updates: Vec<_> = events_of::<EpochRewardDelayUpdated>()
        .into_iter()
        .map(|e| (e.epoch_reward_delay, e.effective_epoch))
        .collect();
    assert_eq!(updates, vec![(DELAY, 1), (5, 11), (MAX_REWARD_DELAY, 11)]);
}

/// Issue 11.4: raising the delay used to move `last_claimable_epoch` back (reopening final
/// epochs), lowering it used to finalize epochs in the middle of their window.
#[ink::test]
fn finality_only_moves_forward_when_the_delay_changes() {
    let mut contract = deploy();
    set_block(FIRST + 95); // epoch 10, last claimable 8
    contract.set_epoch_reward_delay(5).unwrap();
    let mut previous = 0;
    let mut seen = Vec::new();
    for epoch in 10..=20 {
        set_block(FIRST + (epoch - 1) * LENGTH);
        let last = contract.last_claimable_epoch();
        assert!(last >= previous, "frontier moved back at epoch {epoch}");
        previous = last;
        seen.push(last);
    }
    // Epoch 10 (delay 2) is claimable at 12; epoch 11 (delay 5) at 16.
    assert_eq!(seen, vec![8, 9, 10, 10, 10, 10, 11, 12, 13, 14, 15]);

    // Lowering: no epoch becomes final before its own delay has passed.
    set_block(FIRST + 19 * LENGTH); // epoch 20
    assert_eq!(
        contract.set_epoch_reward_delay(2),
        Ok(()),
        "the previous change has settled"
    );
    let mut seen = Vec::new();
    for epoch in 20..=27 {
        set_block(FIRST + (epoch - 1) * LENGTH);
        seen.push(contract.last_claimable_epoch());
    }
    // Epoch 20 (delay 5) is final at 25; epochs 21..=23 (delay 2) then at once.
    assert_eq!(seen, vec![15, 16, 17, 18, 19, 23, 24, 25]);
}

#[ink::test]
fn set_epoch_reward_delay_during_a_transition_fails_and_changes_nothing() {
    let mut contract = deploy();
    set_block(FIRST + 95); // epoch 10
    contract.set_epoch_reward_delay(5).unwrap();
    set_block(FIRST + 105); // epoch 11: the change is in transition until epoch 15
    let events = event_count();
    assert_eq!(
        contract.set_epoch_reward_delay(3),
        Err(EpochError::RewardDelayChangeInProgress { until_epoch: 15 })
    );
    assert_eq!(contract.epoch_reward_delay(), 5);
    assert_eq!(event_count(), events);
    set_block(FIRST + 145); // epoch 15
    assert_eq!(contract.set_epoch_reward_delay(3), Ok(()));
}

#[ink::test]
fn set_epoch_reward_delay_out_of_bounds_fails_and_changes_nothing() {
    let mut contract = deploy();
    let events = event_count();
    for delay in [0, MIN_REWARD_DELAY - 1, MAX_REWARD_DELAY + 1] {
        assert_eq!(contract.set_epoch_reward_delay(delay), Err(DELAY_BOUNDS));
    }
    assert_eq!(contract.epoch_reward_delay(), DELAY);
    assert_eq!(event_count(), events);
}

#[ink::test]
fn set_epoch_reward_delay_by_non_owner_fails_and_changes_nothing() {
    let mut contract = deploy();
    let events = event_count();
    set_caller(accounts().bob);
    assert_eq!(contract.set_epoch_reward_delay(5), Err(NOT_OWNER));
    assert_eq!(contract.epoch_reward_delay(), DELAY);
    assert_eq!(event_count(), events);
}

// ---- ownership and code ----

#[ink::test]
fn transfer_ownership_then_accept_moves_the_admin_rights() {
    let a = accounts();
    let mut contract = deploy();
    assert_eq!(contract.transfer_ownership(a.bob), Ok(()));
    assert_eq!(contract.owner(), a.alice);
    assert_eq!(contract.pending_owner(), Some(a.bob));

    set_caller(a.bob);
    assert_eq!(contract.accept_ownership(), Ok(()));
    assert_eq!(contract.owner(), a.bob);
    assert_eq!(contract.pending_owner(), None);
    assert_eq!(contract.set_min_epochs_locked(9), Ok(()));

    set_caller(a.alice);
    assert_eq!(contract.set_min_epochs_locked(8), Err(NOT_OWNER));
    assert_eq!(contract.min_epochs_locked(), 9);

    let started = events_of::<OwnershipTransferStarted>();
    assert_eq!(started.len(), 1);
    assert_eq!(
        (started[0].owner, started[0].pending_owner),
        (a.alice, a.bob)
    );
    let transferred = events_of::<OwnershipTransferred>();
    assert_eq!(transferred.len(), 1);
    assert_eq!(
        (transferred[0].previous_owner, transferred[0].new_owner),
        (a.alice, a.bob)
    );
}

#[ink::test]
fn transfer_ownership_by_non_owner_fails() {
    let a = accounts();
    let mut contract = deploy();
    set_caller(a.bob);
    assert_eq!(contract.transfer_ownership(a.bob), Err(NOT_OWNER));
    assert_eq!(contract.pending_owner(), None);
}

#[ink::test]
fn accept_ownership_by_other_than_pending_owner_fails() {
    let a = accounts();
    let mut contract = deploy();
    assert_eq!(
        contract.accept_ownership(),
        Err(EpochError::Access(AccessError::NotPendingOwner))
    );
    contract.transfer_ownership(a.bob).unwrap();
    set_caller(a.charlie);
    assert_eq!(
        contract.accept_ownership(),
        Err(EpochError::Access(AccessError::NotPendingOwner))
    );
    assert_eq!(contract.owner(), a.alice);
    assert_eq!(contract.pending_owner(), Some(a.bob));
}

/// The successful path calls `set_code_hash`, which the off-chain engine does not implement;
/// it is covered end to end.
#[ink::test]
fn set_code_by_non_owner_fails() {
    let mut contract = deploy();
    set_caller(accounts().bob);
    assert_eq!(contract.set_code(Hash::from([7; 32])), Err(NOT_OWNER));
}
