//! Message-level tests of everything that is decided before the pool calls another contract
//! (the off-chain test engine cannot make calls: such paths are covered by the e2e suite, and
//! their logic by the `stakes` and `ledger` tests). A `should_panic` on the engine's
//! "does not support contract invocation" proves that a message got past every check that
//! precedes its first call.
// Test arithmetic is on small constants.
#![allow(clippy::arithmetic_side_effects)]
use crate::{events::EpochHardCapUpdated, provider_staking::*};
use func_interfaces::{
    limits::{MAX_BATCH_SIZE, MAX_BOOST_EPOCHS, MAX_PAGE_SIZE},
    AccessError, AccountId, Balance, Hash, ProviderId, ProviderStaking, ProviderView, Role,
    StakingError,
};
use ink::{
    env::{test, DefaultEnvironment},
    prelude::vec,
    scale::Decode,
};

const MODEL: u32 = 7;
const TOKEN: [u8; 32] = [0x10; 32];
const REGISTRY: [u8; 32] = [0x11; 32];
const EPOCHS: [u8; 32] = [0x12; 32];
const ROUTER: [u8; 32] = [0x13; 32];

fn accounts() -> test::DefaultAccounts<DefaultEnvironment> {
    test::default_accounts::<DefaultEnvironment>()
}

fn set_caller(account: AccountId) {
    test::set_caller::<DefaultEnvironment>(account);
}

/// A pool of model `MODEL` owned by alice; the caller is alice.
fn pool() -> ProviderStakingPool {
    set_caller(accounts().alice);
    ProviderStakingPool::new(
        MODEL,
        TOKEN.into(),
        REGISTRY.into(),
        EPOCHS.into(),
        ROUTER.into(),
        accounts().alice,
    )
}

/// A paused pool; the caller is alice.
fn paused_pool() -> ProviderStakingPool {
    let mut pool = pool();
    pool.pause().unwrap();
    pool
}

fn id() -> ProviderId {
    b"peer-1".to_vec()
}

/// A whitelisted, free provider of `MODEL` owned by bob.
fn view() -> ProviderView {
    ProviderView {
        owner: accounts().bob,
        model_id: MODEL,
        whitelisted: true,
        jailed_until: 0,
        deactivated: false,
    }
}

fn access(error: AccessError) -> StakingError {
    StakingError::Access(error)
}

fn event_count() -> usize {
    test::recorded_events().count()
}

// ---- Constructor and views ---------------------------------------------------------------

#[ink::test]
fn new_stores_the_suite_and_starts_empty() {
    let pool = pool();
    assert_eq!(pool.model_id(), MODEL);
    assert_eq!(pool.token(), AccountId::from(TOKEN));
    assert_eq!(pool.registry(), AccountId::from(REGISTRY));
    assert_eq!(pool.epoch_controller(), AccountId::from(EPOCHS));
    assert_eq!(pool.router(), AccountId::from(ROUTER));
    assert_eq!(pool.owner(), accounts().alice);
    assert_eq!(pool.pending_owner(), None);
    assert!(!pool.paused());
    assert_eq!(pool.epoch_reward_hard_cap(), Balance::MAX);
    assert_eq!(pool.open_epochs(), Vec::<u32>::new());
    assert_eq!(pool.effective_staked_balance(), 0);
    assert!(!pool.reports_suspended());
}

#[ink::test]
fn views_of_an_unknown_provider_or_epoch_are_empty() {
    let pool = pool();
    assert_eq!(pool.get_provider_staked_amount(id()), 0);
    assert_eq!(pool.get_stake(id()), None);
    assert_eq!(pool.claimed_through(id()), 0);
    assert_eq!(pool.provider_shards(id(), 3), 0);
    assert_eq!(pool.view_rewards(id(), 1, 100), 0);
    assert_eq!(pool.epoch_reward(3), None);
    assert_eq!(pool.total_reward_for_epoch(3), 0);
    assert_eq!(pool.boost_for_epoch(3), 0);
}

#[ink::test]
fn staked_amounts_reads_at_most_a_page_of_ids() {
    let pool = pool();
    let ids = vec![id(); MAX_PAGE_SIZE as usize + 5];
    assert_eq!(pool.staked_amounts(ids), vec![0; MAX_PAGE_SIZE as usize]);
    assert_eq!(pool.staked_amounts(Vec::new()), Vec::<Balance>::new());
}

// ---- Owner and roles -----------------------------------------------------------------------

#[ink::test]
fn set_epoch_reward_hard_cap_by_non_owner_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.set_epoch_reward_hard_cap(5),
        Err(access(AccessError::NotOwner))
    );
    assert_eq!(pool.epoch_reward_hard_cap(), Balance::MAX);
    assert_eq!(event_count(), 0);
}

#[ink::test]
fn set_epoch_reward_hard_cap_by_owner_updates_it() {
    let mut pool = pool();
    pool.set_epoch_reward_hard_cap(5_000).unwrap();
    assert_eq!(pool.epoch_reward_hard_cap(), 5_000);
    let events: Vec<_> = test::recorded_events().collect();
    assert_eq!(events.len(), 1);
    let event = EpochHardCapUpdated::decode(&mut &events[0].data[..]).unwrap();
    assert_eq!(event.hard_cap, 5_000);
}

#[ink::test]
fn transfer_ownership_needs_acceptance_by_the_new_owner() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.transfer_ownership(accounts().bob),
        Err(access(AccessError::NotOwner))
    );
    set_caller(accounts().alice);
    pool.transfer_ownership(accounts().bob).unwrap();
    set_caller(accounts().charlie);
    assert_eq!(
        pool.accept_ownership(),
        Err(access(AccessError::NotPendingOwner))
    );
    set_caller(accounts().bob);
    pool.accept_ownership().unwrap();
    assert_eq!(pool.owner(), accounts().bob);
    assert_eq!(pool.pending_owner(), None);
}

#[ink::test]
fn grant_role_by_non_owner_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.grant_role(Role::Scheduler, accounts().bob),
        Err(access(AccessError::NotOwner))
    );
    assert_eq!(
        pool.revoke_role(Role::Scheduler, accounts().bob),
        Err(access(AccessError::NotOwner))
    );
    assert!(!pool.has_role(Role::Scheduler, accounts().bob));
}

#[ink::test]
fn grant_role_and_revoke_role_by_owner_work() {
    let mut pool = pool();
    pool.grant_role(Role::Scheduler, accounts().bob).unwrap();
    assert!(pool.has_role(Role::Scheduler, accounts().bob));
    pool.revoke_role(Role::Scheduler, accounts().bob).unwrap();
    assert!(!pool.has_role(Role::Scheduler, accounts().bob));
    assert_eq!(event_count(), 2);
}

#[ink::test]
fn pause_by_non_pauser_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.pause(),
        Err(access(AccessError::MissingRole(Role::Pauser)))
    );
    assert!(!pool.paused());
}

#[ink::test]
fn pause_and_unpause_by_a_pauser_work() {
    let mut pool = pool();
    pool.grant_role(Role::Pauser, accounts().charlie).unwrap();
    set_caller(accounts().charlie);
    pool.pause().unwrap();
    assert!(pool.paused());
    assert_eq!(pool.pause(), Err(access(AccessError::AlreadyPaused)));
    pool.unpause().unwrap();
    assert!(!pool.paused());
}

#[ink::test]
fn set_code_by_non_owner_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.set_code(Hash::from([1; 32])),
        Err(access(AccessError::NotOwner))
    );
}

// ---- Scheduler -----------------------------------------------------------------------------

#[ink::test]
fn set_epoch_reward_by_non_scheduler_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.set_epoch_reward(1, 10, 10),
        Err(access(AccessError::MissingRole(Role::Scheduler)))
    );
    assert_eq!(pool.epoch_reward(1), None);
}

#[ink::test]
#[should_panic(expected = "off-chain environment does not support contract invocation")]
fn set_epoch_reward_while_paused_goes_on_to_the_epoch_clock() {
    // Issue 11.1: a pause never costs an earned reward, so reports are not paused.
    let mut pool = paused_pool();
    pool.grant_role(Role::Scheduler, accounts().charlie)
        .unwrap();
    set_caller(accounts().charlie);
    let _ = pool.set_epoch_reward(1, 10, 10);
}

#[ink::test]
fn record_provider_shards_by_non_scheduler_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.record_provider_shards(1, vec![(id(), 1)]),
        Err(access(AccessError::MissingRole(Role::Scheduler)))
    );
}

#[ink::test]
#[should_panic(expected = "off-chain environment does not support contract invocation")]
fn record_provider_shards_while_paused_goes_on_to_the_epoch_clock() {
    let mut pool = paused_pool();
    let _ = pool.record_provider_shards(1, vec![(id(), 1)]);
}

#[ink::test]
fn record_provider_shards_with_a_bad_batch_size_fails() {
    let mut pool = pool();
    pool.grant_role(Role::Scheduler, accounts().charlie)
        .unwrap();
    set_caller(accounts().charlie);
    assert_eq!(
        pool.record_provider_shards(1, Vec::new()),
        Err(StakingError::InvalidBatchSize)
    );
    let too_long = (0..=MAX_BATCH_SIZE).map(|n| (vec![n as u8], 1)).collect();
    assert_eq!(
        pool.record_provider_shards(1, too_long),
        Err(StakingError::InvalidBatchSize)
    );
}

// ---- Funding -------------------------------------------------------------------------------

#[ink::test]
fn fund_rewards_of_zero_fails() {
    let mut pool = pool();
    set_caller(accounts().django);
    assert_eq!(pool.fund_rewards(0), Err(StakingError::ZeroAmount));
}

#[ink::test]
#[should_panic(expected = "off-chain environment does not support contract invocation")]
fn fund_rewards_while_paused_pulls_the_funds() {
    // A report may need funds, and reports are never paused.
    let mut pool = paused_pool();
    set_caller(accounts().django);
    let _ = pool.fund_rewards(10);
}

#[ink::test]
fn withdraw_unreserved_and_excess_by_non_owner_fail() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.withdraw_unreserved(accounts().bob, 1),
        Err(access(AccessError::NotOwner))
    );
    assert_eq!(
        pool.withdraw_excess(accounts().bob, 1),
        Err(access(AccessError::NotOwner))
    );
}

#[ink::test]
fn report_stops_by_non_owner_fail() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(pool.suspend_reports(), Err(access(AccessError::NotOwner)));
    assert_eq!(pool.resume_reports(), Err(access(AccessError::NotOwner)));
    assert!(!pool.reports_suspended());
}

#[ink::test]
fn close_unreported_epochs_by_non_scheduler_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.close_unreported_epochs(3),
        Err(access(AccessError::MissingRole(Role::Scheduler)))
    );
}

#[ink::test]
fn withdraw_excess_of_zero_fails() {
    let mut pool = pool();
    assert_eq!(
        pool.withdraw_excess(accounts().bob, 0),
        Err(StakingError::ZeroAmount)
    );
}

#[ink::test]
fn release_for_registered_by_non_registry_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.release_for_registered(id(), view()),
        Err(StakingError::NotRegistry)
    );
}

#[ink::test]
#[should_panic(expected = "off-chain environment does not support contract invocation")]
fn fund_rewards_by_anyone_pulls_the_funds() {
    let mut pool = pool();
    set_caller(accounts().django);
    let _ = pool.fund_rewards(10);
}

#[ink::test]
fn boost_rewards_for_n_epochs_with_invalid_parameters_fails() {
    let mut pool = pool();
    set_caller(accounts().django);
    for (epochs, amount) in [(0, 10), (MAX_BOOST_EPOCHS + 1, 1_010), (3, 0), (3, 10)] {
        assert_eq!(
            pool.boost_rewards_for_n_epochs(epochs, amount),
            Err(StakingError::InvalidBoost)
        );
    }
}

#[ink::test]
fn boost_rewards_for_n_epochs_while_paused_fails() {
    let mut pool = paused_pool();
    assert_eq!(
        pool.boost_rewards_for_n_epochs(2, 10),
        Err(access(AccessError::Paused))
    );
}

// ---- Providers -----------------------------------------------------------------------------

#[ink::test]
fn stake_for_provider_while_paused_fails() {
    let mut pool = paused_pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.stake_for_provider(id()),
        Err(access(AccessError::Paused))
    );
}

#[ink::test]
fn claim_rewards_while_paused_fails() {
    let mut pool = paused_pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.claim_rewards(id(), 1, 2),
        Err(access(AccessError::Paused))
    );
}

#[ink::test]
fn unstake_provider_reads_the_pool_alone_even_while_paused() {
    // Issue 17, item 5: principal leaves through the pool alone; no registry call is made
    // (the off-chain engine would panic on one).
    let mut pool = paused_pool();
    set_caller(accounts().bob);
    assert_eq!(pool.unstake_provider(id()), Err(StakingError::NotStaked));
}

#[ink::test]
fn stake_for_registered_by_non_registry_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.stake_for_registered(id(), view()),
        Err(StakingError::NotRegistry)
    );
    assert_eq!(pool.get_stake(id()), None);
}

#[ink::test]
fn claim_cluster_for_registered_by_non_registry_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.claim_cluster_for_registered(accounts().bob, vec![(id(), view())], 1, 2),
        Err(StakingError::NotRegistry)
    );
}

#[ink::test]
fn unstake_cluster_for_registered_by_non_registry_fails() {
    let mut pool = pool();
    set_caller(accounts().bob);
    assert_eq!(
        pool.unstake_cluster_for_registered(accounts().bob, vec![(id(), view())]),
        Err(StakingError::NotRegistry)
    );
}

#[ink::test]
fn stake_for_registered_while_paused_fails() {
    let mut pool = paused_pool();
    set_caller(REGISTRY.into());
    assert_eq!(
        pool.stake_for_registered(id(), view()),
        Err(access(AccessError::Paused))
    );
}

#[ink::test]
fn claim_cluster_for_registered_while_paused_fails() {
    let mut pool = paused_pool();
    set_caller(REGISTRY.into());
    assert_eq!(
        pool.claim_cluster_for_registered(accounts().bob, vec![(id(), view())], 1, 2),
        Err(access(AccessError::Paused))
    );
}

#[ink::test]
fn cluster_calls_with_too_many_entries_fail() {
    let mut pool = pool();
    set_caller(REGISTRY.into());
    let entries: Vec<_> = (0..=func_interfaces::limits::MAX_PROVIDERS_PER_OWNER)
        .map(|n| (vec![n as u8], view()))
        .collect();
    assert_eq!(
        pool.claim_cluster_for_registered(accounts().bob, entries.clone(), 1, 1),
        Err(StakingError::InvalidBatchSize)
    );
    assert_eq!(
        pool.unstake_cluster_for_registered(accounts().bob, entries),
        Err(StakingError::InvalidBatchSize)
    );
}

#[ink::test]
fn stake_for_registered_of_another_model_fails() {
    let mut pool = pool();
    set_caller(REGISTRY.into());
    let other_model = ProviderView {
        model_id: MODEL + 1,
        ..view()
    };
    assert_eq!(
        pool.stake_for_registered(id(), other_model),
        Err(StakingError::WrongModel)
    );
}

#[ink::test]
fn stake_for_registered_of_a_provider_off_the_whitelist_fails() {
    let mut pool = pool();
    set_caller(REGISTRY.into());
    let unlisted = ProviderView {
        whitelisted: false,
        ..view()
    };
    assert_eq!(
        pool.stake_for_registered(id(), unlisted),
        Err(StakingError::NotWhitelisted)
    );
    assert_eq!(pool.effective_staked_balance(), 0);
}

#[ink::test]
#[should_panic(expected = "off-chain environment does not support contract invocation")]
fn unstake_cluster_for_registered_of_a_paused_pool_and_barred_provider_is_not_refused() {
    // Paused, jailed, de-whitelisted, deactivated, other model: nothing stops the unstake
    // before it reads the epoch clock.
    let mut pool = paused_pool();
    set_caller(REGISTRY.into());
    let barred = ProviderView {
        model_id: MODEL + 1,
        whitelisted: false,
        jailed_until: u32::MAX,
        deactivated: true,
        ..view()
    };
    let _ = pool.unstake_cluster_for_registered(accounts().bob, vec![(id(), barred)]);
}
