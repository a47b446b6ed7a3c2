//! The money path on a real node (issue 11, items 1–6): no earned reward is lost to a pause, a
//! boost pays only its own epoch, no FUNC is stranded in a pool, finality only moves forward,
//! rewards only for epochs in which the provider was staked, and a freed id keeps its former
//! holder's rewards. Each test plays the example and checks the chain's state.
#![cfg(feature = "e2e-tests")]

use epoch_controller::{events::EpochRewardDelayUpdated, DelaySchedule, EpochError};
use func_e2e::*;
use func_interfaces::{AccessError, RegistryError, Role, StakingError};
use provider_registry::events::{ProviderDeactivated, ProviderDeregistered};
use provider_staking::events::{
    BoostForNEpochs, ExcessWithdrawn, ProviderClaimedRewards, ProviderStaked, ProviderUnstaked,
    RewardSetForEpoch, RewardsWithdrawn, UnclaimableRewardReleased,
};
use psp22::PSP22;

/// Epochs long enough that a handful of transactions fit in one.
const ROOMY_EPOCH: u32 = 10;

/// `(balance, reserved)` of the pool's reward funds.
async fn funding(client: &mut E2EClient, suite: &Suite) -> (u128, u128) {
    let funding = read(client, &suite.pool().reward_funding()).await;
    (funding.balance, funding.reserved)
}

/// `owner` approves the pool and boosts the next `epochs` epochs with `amount`; returns the
/// first boosted epoch.
async fn boost(
    client: &mut E2EClient,
    suite: &Suite,
    owner: &ink_e2e::Keypair,
    epochs: u32,
    amount: u128,
) -> EpochId {
    send(client, owner, &suite.token().approve(suite.pool, amount)).await;
    let boosted = send(
        client,
        owner,
        &suite.pool().boost_rewards_for_n_epochs(epochs, amount),
    )
    .await;
    let event: BoostForNEpochs = event_of(&boosted, suite.pool);
    assert_eq!((event.epochs, event.amount), (epochs, amount));
    event.start_epoch
}

/// Registers, whitelists and stakes `id` for [`MODEL_ID`]; returns the epoch of the stake.
async fn staked_provider(
    client: &mut E2EClient,
    suite: &Suite,
    owner: &ink_e2e::Keypair,
    id: &str,
) -> EpochId {
    register(client, suite, owner, id, MODEL_ID).await;
    whitelist(client, suite, &[id]).await;
    let staked = approve_and_stake(client, suite, owner, suite.pool, id).await;
    let event: ProviderStaked = event_of(&staked, suite.pool);
    event.epoch
}

/// The `UnclaimableRewardReleased` events of a transaction, as `(epoch, amount)`.
fn released<R>(
    result: &ink_e2e::CallResult<ink::env::DefaultEnvironment, R, Events>,
    pool: ink::primitives::AccountId,
) -> Vec<(EpochId, u128)> {
    events_of::<UnclaimableRewardReleased, R>(result, pool)
        .into_iter()
        .map(|event| (event.epoch, event.amount))
        .collect()
}

// ---- 1. A pause never costs an earned reward ------------------------------------------------

#[test]
fn a_pause_during_the_report_window_never_costs_an_earned_reward() {
    let params = Params {
        epoch_length: ROOMY_EPOCH,
        ..Params::default()
    };
    run_with(params, |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (bob, operator, scheduler) = (who::bob(), who::operator(), who::scheduler());
        active_provider(client, suite, &bob, "peer-bob").await;
        // Work happens in `worked`; the pauser pauses the pool and the registry in the next
        // epoch, the only one in which `worked` can be reported (reward delay 2), and keeps
        // them paused until `worked` is final.
        let worked = current_epoch(client, suite).await;
        advance_to_epoch(client, suite, worked + 1).await;
        send(client, &operator, &suite.pool().pause()).await;
        send(client, &operator, &suite.registry().pause()).await;
        assert!(read(client, &suite.pool().paused()).await);

        // Reports move no FUNC: the scheduler reports and corrects while paused, and funding
        // (FUNC in, never out) works too.
        fund_rewards(client, suite, suite.pool, 100 * FUNC).await;
        report_epoch(client, suite, worked, 300 * FUNC, &[("peer-bob", 1)]).await;
        let corrected = send(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(worked, 400 * FUNC, 1),
        )
        .await;
        let event: RewardSetForEpoch = event_of(&corrected, suite.pool);
        assert_eq!((event.epoch, event.total), (worked, 400 * FUNC));
        assert_eq!(current_epoch(client, suite).await, worked + 1);
        assert_eq!(
            read(
                client,
                &suite.pool().provider_shards(pid("peer-bob"), worked)
            )
            .await,
            1
        );

        // A registry pause does not stop a provider from taking its node out of routing; it
        // still stops it from coming back.
        let deactivated = send(client, &bob, &suite.registry().deactivate(pid("peer-bob"))).await;
        let event: ProviderDeactivated = event_of(&deactivated, suite.registry);
        assert_eq!(event.id, pid("peer-bob"));
        assert!(!read(client, &suite.registry().active(pid("peer-bob"))).await);
        assert_rejected(
            client,
            &bob,
            &suite.registry().reactivate(pid("peer-bob")),
            RegistryError::Access(AccessError::Paused),
        )
        .await;

        // `worked` becomes final while the pool is still paused; a claim moves FUNC and waits.
        advance_to_epoch(client, suite, worked + suite.params.epoch_reward_delay + 1).await;
        assert!(read(client, &suite.epoch().last_claimable_epoch()).await >= worked);
        assert_rejected(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(worked, 1, 1),
            StakingError::EpochFinalized,
        )
        .await;
        assert_rejected(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), worked, worked),
            StakingError::Access(AccessError::Paused),
        )
        .await;
        assert_eq!(
            read(client, &suite.pool().pending_rewards(pid("peer-bob"))).await,
            400 * FUNC
        );

        // After the unpause the provider gets the whole corrected reward.
        send(client, &operator, &suite.pool().unpause()).await;
        send(client, &operator, &suite.registry().unpause()).await;
        let before = balance_of(client, suite, account(&bob)).await;
        let claimed = send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), worked, worked),
        )
        .await;
        assert_eq!(returned(&claimed), Ok(400 * FUNC));
        let event: ProviderClaimedRewards = event_of(&claimed, suite.pool);
        assert_eq!((event.owner, event.amount), (account(&bob), 400 * FUNC));
        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            before + 400 * FUNC
        );
        send(client, &bob, &suite.registry().reactivate(pid("peer-bob"))).await;
        assert!(read(client, &suite.registry().active(pid("peer-bob"))).await);
        assert_pool_covers(client, suite, suite.pool).await;
        Ok(ctx)
    })
}

// ---- 2. A boost is escrowed for its own epoch -----------------------------------------------

#[test]
fn a_boost_pays_only_its_own_epoch_and_an_unearned_boost_is_released() {
    // Nothing funded but the boosts.
    let params = Params {
        epoch_length: ROOMY_EPOCH,
        reward_funding: 0,
        ..Params::default()
    };
    run_with(params, |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (admin, bob, scheduler) = (who::admin(), who::bob(), who::scheduler());
        let delay = suite.params.epoch_reward_delay;
        active_provider(client, suite, &bob, "peer-bob").await;

        // In epoch E, 100 boosts epoch E + 1 and is reserved for it at once.
        let boosted = boost(client, suite, &admin, 1, 100 * FUNC).await;
        let before_boost = boosted - 1;
        assert_eq!(
            read(client, &suite.pool().boost_for_epoch(boosted)).await,
            100 * FUNC
        );
        assert_eq!(funding(client, suite).await, (100 * FUNC, 100 * FUNC));

        // In E + 1 the boost cannot pay the report of E.
        advance_to_epoch(client, suite, boosted).await;
        assert_rejected(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(before_boost, 100 * FUNC, 1),
            StakingError::InsufficientRewardFunding { available: 0 },
        )
        .await;

        // In E + 2 the boosted epoch is reportable with total 0: its providers get the boost.
        advance_to_epoch(client, suite, boosted + 1).await;
        let set = send(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(boosted, 0, 1),
        )
        .await;
        let event: RewardSetForEpoch = event_of(&set, suite.pool);
        assert_eq!(
            (event.epoch, event.total, event.boost, event.total_shards),
            (boosted, 0, 100 * FUNC, 1)
        );
        close_gaps_before(client, suite, boosted).await;
        send(
            client,
            &scheduler,
            &suite
                .pool()
                .record_provider_shards(boosted, vec![(pid("peer-bob"), 1)]),
        )
        .await;
        assert_eq!(
            read(client, &suite.pool().total_reward_for_epoch(boosted)).await,
            100 * FUNC
        );
        advance_to_epoch(client, suite, boosted + delay).await;
        let claimed = send(
            client,
            &bob,
            &suite
                .pool()
                .claim_rewards(pid("peer-bob"), boosted, boosted),
        )
        .await;
        assert_eq!(returned(&claimed), Ok(100 * FUNC));
        assert!(released(&claimed, suite.pool).is_empty());
        assert_eq!(funding(client, suite).await, (0, 0));

        // A boosted epoch nobody earns in: once final, its boost is unreserved again (the view
        // shows it at once, the next reward-changing message settles it with an event).
        let unearned = boost(client, suite, &admin, 1, 60 * FUNC).await;
        assert_eq!(funding(client, suite).await, (60 * FUNC, 60 * FUNC));
        assert_rejected(
            client,
            &admin,
            &suite.pool().withdraw_unreserved(account(&admin), 1),
            StakingError::InsufficientRewardFunding { available: 0 },
        )
        .await;
        advance_to_epoch(client, suite, unearned + delay - 1).await;
        // The scheduler has no work to report for it: it closes it as empty.
        close_gaps_before(client, suite, unearned + 1).await;
        assert_eq!(funding(client, suite).await, (60 * FUNC, 60 * FUNC));
        advance_to_epoch(client, suite, unearned + delay).await;
        assert_eq!(funding(client, suite).await, (60 * FUNC, 0));
        assert_eq!(
            read(client, &suite.pool().open_epochs()).await,
            vec![unearned]
        );
        let admin_before = balance_of(client, suite, account(&admin)).await;
        let withdrawn = send(
            client,
            &admin,
            &suite.pool().withdraw_unreserved(account(&admin), 60 * FUNC),
        )
        .await;
        assert_eq!(
            released(&withdrawn, suite.pool),
            vec![(unearned, 60 * FUNC)]
        );
        let event: RewardsWithdrawn = event_of(&withdrawn, suite.pool);
        assert_eq!((event.to, event.amount), (account(&admin), 60 * FUNC));
        assert_eq!(
            balance_of(client, suite, account(&admin)).await,
            admin_before + 60 * FUNC
        );
        assert_eq!(funding(client, suite).await, (0, 0));
        assert!(read(client, &suite.pool().open_epochs()).await.is_empty());
        Ok(ctx)
    })
}

// ---- 3. No FUNC is stranded in a pool --------------------------------------------------------

#[test]
fn no_func_is_stranded_unclaimable_rewards_and_excess_come_back_out() {
    let params = Params {
        epoch_length: ROOMY_EPOCH,
        reward_funding: 0,
        ..Params::default()
    };
    run_with(params, |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (admin, bob, scheduler, stranger) =
            (who::admin(), who::bob(), who::scheduler(), who::stranger());
        let pool = suite.pool;
        let stake = suite.params.stake_amount;
        active_provider(client, suite, &bob, "peer-bob").await;
        fund_rewards(client, suite, pool, 1000).await;
        assert_pool_covers(client, suite, pool).await;

        // 1000 for 1000 shards, of which only bob's 1 is recorded (the other workers never
        // staked here).
        let worked = current_epoch(client, suite).await;
        advance_to_epoch(client, suite, worked + 1).await;
        send(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(worked, 1000, 1000),
        )
        .await;
        send(
            client,
            &scheduler,
            &suite
                .pool()
                .record_provider_shards(worked, vec![(pid("peer-bob"), 1)]),
        )
        .await;
        assert_eq!(funding(client, suite).await, (1000, 1000));
        assert_pool_covers(client, suite, pool).await;

        // Final: only bob's 1 stays reserved; the 999 nobody can claim is unreserved.
        advance_to_epoch(client, suite, worked + suite.params.epoch_reward_delay).await;
        assert_eq!(funding(client, suite).await, (1000, 1));
        let claimed = send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), worked, worked),
        )
        .await;
        assert_eq!(returned(&claimed), Ok(1));
        assert_eq!(released(&claimed, pool), vec![(worked, 999)]);
        assert_eq!(funding(client, suite).await, (999, 0));
        assert_pool_covers(client, suite, pool).await;

        // The released FUNC can pay a later epoch (here reported, then corrected back to 0).
        let next = worked + 1;
        send(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(next, 999, 1),
        )
        .await;
        assert_eq!(funding(client, suite).await, (999, 999));
        send(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(next, 0, 0),
        )
        .await;
        assert_eq!(funding(client, suite).await, (999, 0));

        // The owner alone withdraws unreserved reward funds, never more.
        assert_rejected(
            client,
            &stranger,
            &suite.pool().withdraw_unreserved(account(&stranger), 999),
            StakingError::Access(AccessError::NotOwner),
        )
        .await;
        assert_rejected(
            client,
            &admin,
            &suite.pool().withdraw_unreserved(account(&admin), 1000),
            StakingError::InsufficientRewardFunding { available: 999 },
        )
        .await;
        let admin_before = balance_of(client, suite, account(&admin)).await;
        let withdrawn = send(
            client,
            &admin,
            &suite.pool().withdraw_unreserved(account(&admin), 999),
        )
        .await;
        let event: RewardsWithdrawn = event_of(&withdrawn, pool);
        assert_eq!((event.to, event.amount), (account(&admin), 999));
        assert_eq!(
            balance_of(client, suite, account(&admin)).await,
            admin_before + 999
        );
        assert_eq!(funding(client, suite).await, (0, 0));
        assert_eq!(balance_of(client, suite, pool).await, stake);
        // The stake is not reward funds.
        assert_rejected(
            client,
            &admin,
            &suite.pool().withdraw_unreserved(account(&admin), 1),
            StakingError::InsufficientRewardFunding { available: 0 },
        )
        .await;
        assert_pool_covers(client, suite, pool).await;

        // FUNC sent by a plain transfer is excess, recoverable by the owner only.
        assert_eq!(read(client, &suite.pool().excess_funds()).await, 0);
        send(
            client,
            &admin,
            &suite.token().transfer(pool, 500, Vec::new()),
        )
        .await;
        assert_eq!(read(client, &suite.pool().excess_funds()).await, 500);
        assert_eq!(funding(client, suite).await, (0, 0));
        assert_pool_covers(client, suite, pool).await;
        assert_rejected(
            client,
            &stranger,
            &suite.pool().withdraw_excess(account(&stranger), 500),
            StakingError::Access(AccessError::NotOwner),
        )
        .await;
        assert_rejected(
            client,
            &admin,
            &suite.pool().withdraw_excess(account(&admin), 501),
            StakingError::InsufficientExcess { available: 500 },
        )
        .await;
        let admin_before = balance_of(client, suite, account(&admin)).await;
        let recovered = send(
            client,
            &admin,
            &suite.pool().withdraw_excess(account(&admin), 500),
        )
        .await;
        let event: ExcessWithdrawn = event_of(&recovered, pool);
        assert_eq!((event.to, event.amount), (account(&admin), 500));
        assert_eq!(
            balance_of(client, suite, account(&admin)).await,
            admin_before + 500
        );
        assert_eq!(read(client, &suite.pool().excess_funds()).await, 0);
        assert_rejected(
            client,
            &admin,
            &suite.pool().withdraw_excess(account(&admin), 1),
            StakingError::InsufficientExcess { available: 0 },
        )
        .await;
        // Bob's stake is untouched and still his to unstake.
        assert_eq!(balance_of(client, suite, pool).await, stake);
        assert_eq!(
            read(client, &suite.pool().effective_staked_balance()).await,
            stake
        );
        assert_pool_covers(client, suite, pool).await;
        Ok(ctx)
    })
}

// ---- 4. Finality only moves forward ----------------------------------------------------------

/// The last claimable epoch at `current` by definition: the largest `e` such that every
/// `e' <= e` has `e' + delay(e') <= current` (0: none).
fn last_claimable_by_definition(current: EpochId, delay: impl Fn(EpochId) -> u32) -> EpochId {
    let mut last = 0;
    for epoch in 1..=current {
        if epoch + delay(epoch) <= current {
            last = epoch;
        } else {
            break;
        }
    }
    last
}

/// Advances block by block to `until` (an epoch), asserting at every block that the
/// controller's `last_claimable_epoch` matches the definition under `delay` and never
/// decreases; returns the last value read.
async fn walk_frontier(
    client: &mut E2EClient,
    suite: &Suite,
    until: EpochId,
    mut previous: EpochId,
    delay: &impl Fn(EpochId) -> u32,
) -> EpochId {
    loop {
        let current = current_epoch(client, suite).await;
        let last = read(client, &suite.epoch().last_claimable_epoch()).await;
        assert_eq!(
            last,
            last_claimable_by_definition(current, delay),
            "last claimable epoch at epoch {current}"
        );
        assert!(last >= previous, "finality moved back at epoch {current}");
        previous = last;
        if current >= until {
            return last;
        }
        advance_blocks(client, 1).await;
    }
}

#[test]
fn finality_only_moves_forward_when_the_reward_delay_is_raised_or_lowered() {
    let params = Params {
        epoch_length: 6,
        ..Params::default()
    };
    run_with(params, |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (admin, bob, scheduler) = (who::admin(), who::bob(), who::scheduler());
        let (low, high) = (suite.params.epoch_reward_delay, 4);
        assert_eq!(low, 2);
        active_provider(client, suite, &bob, "peer-bob").await;

        // An epoch reported and final under the low delay.
        let early = current_epoch(client, suite).await;
        advance_to_epoch(client, suite, early + 1).await;
        report_epoch(client, suite, early, 100 * FUNC, &[("peer-bob", 1)]).await;
        advance_to_epoch(client, suite, early + low).await;
        let before_raise = read(client, &suite.epoch().last_claimable_epoch()).await;
        assert!(before_raise >= early);

        // Raise: the running epoch and the ended ones keep the low delay.
        let raised = send(client, &admin, &suite.epoch().set_epoch_reward_delay(high)).await;
        let event: EpochRewardDelayUpdated = event_of(&raised, suite.epoch);
        assert_eq!(event.epoch_reward_delay, high);
        let raised_from = event.effective_epoch;
        let changed_in = raised_from - 1;
        assert_eq!(
            read(client, &suite.epoch().reward_delay_schedule()).await,
            DelaySchedule {
                old: low,
                new: high,
                from_epoch: raised_from
            }
        );
        let last = read(client, &suite.epoch().last_claimable_epoch()).await;
        assert!(last >= before_raise, "raising reopened a final epoch");
        // The epoch final before the raise stays final: no correction, and bob can claim it.
        assert_rejected(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(early, 1, 1),
            StakingError::EpochFinalized,
        )
        .await;
        let claimed = send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), early, early),
        )
        .await;
        assert_eq!(returned(&claimed), Ok(100 * FUNC));

        // Once it took effect, a second change waits until the first has settled: the last
        // epoch of the low delay (`changed_in`) is final at `changed_in + low`, the first of
        // the high delay at `raised_from + high`, i.e. from `changed_in + high` on the
        // frontier follows the high delay alone.
        let raised_delay = |epoch: EpochId| if epoch < raised_from { low } else { high };
        let last = walk_frontier(client, suite, raised_from, last, &raised_delay).await;
        assert_eq!(
            read(client, &suite.epoch().epoch_reward_delay()).await,
            high
        );
        let settled = changed_in + high;
        assert_rejected(
            client,
            &admin,
            &suite.epoch().set_epoch_reward_delay(low),
            EpochError::RewardDelayChangeInProgress {
                until_epoch: settled,
            },
        )
        .await;
        let last = walk_frontier(client, suite, settled, last, &raised_delay).await;

        // Lower: the epochs of the high delay keep their whole report window.
        let lowered = send(client, &admin, &suite.epoch().set_epoch_reward_delay(low)).await;
        let event: EpochRewardDelayUpdated = event_of(&lowered, suite.epoch);
        assert_eq!(event.epoch_reward_delay, low);
        let lowered_from = event.effective_epoch;
        let delay = |epoch: EpochId| {
            if epoch < raised_from || epoch >= lowered_from {
                low
            } else {
                high
            }
        };
        // The last epoch of the high delay ended at `lowered_from`; it is reported late in its
        // window (under an immediate lowering it would already be final) and corrected.
        let late = lowered_from - 1;
        let last = walk_frontier(client, suite, late + high - 1, last, &delay).await;
        assert!(last < late);
        report_epoch(client, suite, late, 30 * FUNC, &[("peer-bob", 1)]).await;
        send(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(late, 50 * FUNC, 1),
        )
        .await;
        assert_eq!(current_epoch(client, suite).await, late + high - 1);

        // Then it is final, and the frontier catches up with the low delay in one step.
        let last = walk_frontier(client, suite, late + high, last, &delay).await;
        assert_eq!(last, late + high - low);
        assert_rejected(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(late, 1, 1),
            StakingError::EpochFinalized,
        )
        .await;
        walk_frontier(client, suite, late + high + 2, last, &delay).await;
        let claimed = send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), late, late),
        )
        .await;
        assert_eq!(returned(&claimed), Ok(50 * FUNC));
        Ok(ctx)
    })
}

// ---- 5. Rewards only for epochs in which the provider was staked ----------------------------

#[test]
fn shards_outside_a_stake_period_are_refused_and_earned_rewards_survive_the_unstake() {
    let params = Params {
        epoch_length: ROOMY_EPOCH,
        ..Params::default()
    };
    run_with(params, |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (bob, scheduler) = (who::bob(), who::scheduler());
        let delay = suite.params.epoch_reward_delay;
        // Registered and whitelisted in one epoch, staked in the next.
        register(client, suite, &bob, "peer-bob", MODEL_ID).await;
        whitelist(client, suite, &["peer-bob"]).await;
        let registered = current_epoch(client, suite).await;
        advance_to_epoch(client, suite, registered + 1).await;
        let staked = approve_and_stake(client, suite, &bob, suite.pool, "peer-bob").await;
        let first = event_of::<ProviderStaked, _>(&staked, suite.pool).epoch;
        assert!(first > registered);

        // The epoch before the first stake earns nothing.
        let before = first - 1;
        send(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(before, 100 * FUNC, 1),
        )
        .await;
        assert_rejected(
            client,
            &scheduler,
            &suite
                .pool()
                .record_provider_shards(before, vec![(pid("peer-bob"), 1)]),
            StakingError::NotStakedInEpoch {
                id: pid("peer-bob"),
                epoch: before,
            },
        )
        .await;
        // The unreported share goes back to unreserved funds when `before` is final.
        send(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(before, 0, 0),
        )
        .await;

        // The staked epoch earns; bob unstakes after the lock.
        advance_to_epoch(client, suite, first + 1).await;
        report_epoch(client, suite, first, 100 * FUNC, &[("peer-bob", 1)]).await;
        advance_to_epoch(client, suite, first + suite.params.min_epochs_locked).await;
        let unstaked = send(
            client,
            &bob,
            &suite.pool().unstake_provider(pid("peer-bob")),
        )
        .await;
        let last = event_of::<ProviderUnstaked, _>(&unstaked, suite.pool).epoch;
        let periods = read(client, &suite.pool().stake_periods(pid("peer-bob"))).await;
        assert_eq!(periods.len(), 1);
        assert_eq!(
            (periods[0].from, periods[0].to, periods[0].owner),
            (first, last, account(&bob))
        );

        // The unstake epoch still counts; the one after does not.
        advance_to_epoch(client, suite, last + 1).await;
        report_epoch(client, suite, last, 50 * FUNC, &[("peer-bob", 1)]).await;
        advance_to_epoch(client, suite, last + 2).await;
        send(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(last + 1, 100 * FUNC, 1),
        )
        .await;
        assert_rejected(
            client,
            &scheduler,
            &suite
                .pool()
                .record_provider_shards(last + 1, vec![(pid("peer-bob"), 1)]),
            StakingError::NotStakedInEpoch {
                id: pid("peer-bob"),
                epoch: last + 1,
            },
        )
        .await;

        // What bob earned while staked is his after the unstake.
        advance_to_epoch(client, suite, last + delay).await;
        assert_eq!(
            read(client, &suite.pool().pending_rewards(pid("peer-bob"))).await,
            150 * FUNC
        );
        let before_claim = balance_of(client, suite, account(&bob)).await;
        let claimed = send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), first, last),
        )
        .await;
        assert_eq!(returned(&claimed), Ok(150 * FUNC));
        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            before_claim + 150 * FUNC
        );
        assert_eq!(
            read(client, &suite.pool().effective_staked_balance()).await,
            0
        );
        Ok(ctx)
    })
}

// ---- 6. An id can be freed, and a squatted peer ID recovered --------------------------------

#[test]
fn a_freed_id_keeps_its_former_holders_rewards_and_governance_returns_the_stake() {
    let params = Params {
        epoch_length: ROOMY_EPOCH,
        ..Params::default()
    };
    run_with(params, |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (bob, charlie, operator, stranger) =
            (who::bob(), who::charlie(), who::operator(), who::stranger());
        let stake = suite.params.stake_amount;
        let id = "peer-bob";
        let worked = staked_provider(client, suite, &bob, id).await;
        let count = read(client, &suite.registry().provider_count()).await;

        // Bob earns in `worked`.
        advance_to_epoch(client, suite, worked + 1).await;
        report_epoch(client, suite, worked, 100 * FUNC, &[(id, 1)]).await;

        // An id with a stake cannot be freed by its owner; a jailed one neither.
        assert_rejected(
            client,
            &bob,
            &suite.registry().deregister(pid(id)),
            RegistryError::StillStaked { amount: stake },
        )
        .await;
        register(client, suite, &bob, "bob-jailed", MODEL_ID).await;
        send(
            client,
            &operator,
            &suite.registry().jail_for_epochs(pid("bob-jailed"), 5),
        )
        .await;
        let until_epoch = read(client, &suite.registry().get_provider(pid("bob-jailed")))
            .await
            .expect("registered")
            .jailed_until;
        assert_rejected(
            client,
            &bob,
            &suite.registry().deregister(pid("bob-jailed")),
            RegistryError::Jailed { until_epoch },
        )
        .await;
        send(
            client,
            &operator,
            &suite.registry().unjail(pid("bob-jailed")),
        )
        .await;
        send(
            client,
            &bob,
            &suite.registry().deregister(pid("bob-jailed")),
        )
        .await;

        // After the lock bob unstakes and frees the id; his slot is free too.
        advance_to_epoch(client, suite, worked + suite.params.min_epochs_locked).await;
        send(client, &bob, &suite.pool().unstake_provider(pid(id))).await;
        let freed = send(client, &bob, &suite.registry().deregister(pid(id))).await;
        let event: ProviderDeregistered = event_of(&freed, suite.registry);
        assert_eq!(
            event,
            ProviderDeregistered {
                id: pid(id),
                model_id: MODEL_ID,
                owner: account(&bob),
                by: account(&bob),
                returned_stake: 0,
            }
        );
        assert_eq!(
            read(client, &suite.registry().get_provider(pid(id))).await,
            None
        );
        assert!(read(
            client,
            &suite.registry().get_provider_ids_by_owner(account(&bob))
        )
        .await
        .is_empty());
        assert_eq!(
            read(client, &suite.registry().provider_count()).await,
            count - 1
        );
        // Nothing to free twice.
        assert_rejected(
            client,
            &bob,
            &suite.registry().deregister(pid(id)),
            RegistryError::ProviderNotFound,
        )
        .await;

        // Charlie registers and stakes the same id.
        let charlie_epoch = staked_provider(client, suite, &charlie, id).await;
        assert_eq!(
            read(client, &suite.registry().get_provider(pid(id)))
                .await
                .expect("registered again")
                .owner,
            account(&charlie)
        );
        advance_to_epoch(client, suite, worked + suite.params.epoch_reward_delay).await;

        // The rewards bob earned with the id are bob's, never the new holder's.
        assert_eq!(
            read(
                client,
                &suite.pool().pending_rewards_of(pid(id), account(&bob))
            )
            .await,
            100 * FUNC
        );
        assert_eq!(
            read(
                client,
                &suite.pool().pending_rewards_of(pid(id), account(&charlie))
            )
            .await,
            0
        );
        assert_eq!(
            read(client, &suite.pool().pending_rewards(pid(id))).await,
            0
        );
        assert_rejected(
            client,
            &charlie,
            &suite.pool().claim_rewards(pid(id), worked, worked),
            StakingError::NothingToClaim,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &suite.pool().claim_rewards(pid(id), worked, worked),
            StakingError::NotProviderOwner,
        )
        .await;
        let bob_before = balance_of(client, suite, account(&bob)).await;
        let claimed = send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid(id), worked, worked),
        )
        .await;
        assert_eq!(returned(&claimed), Ok(100 * FUNC));
        let event: ProviderClaimedRewards = event_of(&claimed, suite.pool);
        assert_eq!((event.id, event.owner), (pid(id), account(&bob)));
        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            bob_before + 100 * FUNC
        );
        assert_eq!(
            read(
                client,
                &suite.pool().claimed_through_of(pid(id), account(&bob))
            )
            .await,
            worked
        );
        assert_rejected(
            client,
            &bob,
            &suite.pool().claim_rewards(pid(id), worked, worked),
            StakingError::AlreadyClaimed,
        )
        .await;

        // A dispute: only a whitelister releases the id; charlie's stake, still locked, goes
        // back to charlie, and the id is free again.
        assert_rejected(
            client,
            &stranger,
            &suite.registry().release_provider(pid(id)),
            RegistryError::Access(AccessError::MissingRole(Role::Whitelister)),
        )
        .await;
        assert!(
            current_epoch(client, suite).await < charlie_epoch + suite.params.min_epochs_locked
        );
        let charlie_before = balance_of(client, suite, account(&charlie)).await;
        let pool_before = balance_of(client, suite, suite.pool).await;
        let released_id = send(
            client,
            &operator,
            &suite.registry().release_provider(pid(id)),
        )
        .await;
        let event: ProviderDeregistered = event_of(&released_id, suite.registry);
        assert_eq!(
            event,
            ProviderDeregistered {
                id: pid(id),
                model_id: MODEL_ID,
                owner: account(&charlie),
                by: account(&operator),
                returned_stake: stake,
            }
        );
        let unstaked: ProviderUnstaked = event_of(&released_id, suite.pool);
        assert_eq!(
            (unstaked.owner, unstaked.amount),
            (account(&charlie), stake)
        );
        assert_eq!(
            balance_of(client, suite, account(&charlie)).await,
            charlie_before + stake
        );
        assert_eq!(
            balance_of(client, suite, suite.pool).await,
            pool_before - stake
        );
        assert_eq!(
            read(client, &suite.pool().get_provider_staked_amount(pid(id))).await,
            0
        );
        assert_eq!(
            read(client, &suite.registry().get_provider(pid(id))).await,
            None
        );

        // The freed id can be registered for another model.
        create_model(client, suite, 2, stake).await;
        register(client, suite, &bob, id, 2).await;
        let record = read(client, &suite.registry().get_provider(pid(id)))
            .await
            .expect("registered for model 2");
        assert_eq!((record.owner, record.model_id), (account(&bob), 2));
        assert_pool_covers(client, suite, suite.pool).await;
        Ok(ctx)
    })
}
