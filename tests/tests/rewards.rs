//! Rewards on a real node: the scheduler's reports, claims after the delay, exact shares,
//! double claims, corrections before finality, rewards surviving an unstake, and the cluster
//! operations of the registry.
#![cfg(feature = "e2e-tests")]

use func_e2e::*;
use func_interfaces::StakingError;
use provider_registry::events::{RewardClaimedForCluster, UnstakeCluster};
use provider_staking::events::{
    BoostForNEpochs, ProviderClaimedRewards, RewardSetForEpoch, UnclaimableRewardReleased,
};
use psp22::PSP22;

#[test]
fn claims_pay_each_provider_its_exact_share_after_the_delay() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (bob, charlie, scheduler) = (who::bob(), who::charlie(), who::scheduler());
        active_provider(client, suite, &bob, "peer-bob").await;
        active_provider(client, suite, &charlie, "peer-charlie").await;

        // Work happens in epoch `worked`; the scheduler reports once it has ended.
        let worked = current_epoch(client, suite).await;
        advance_to_epoch(client, suite, worked + 1).await;
        close_gaps_before(client, suite, worked).await;
        // Not divisible by 3: 1 unit of rounding dust nobody can claim.
        let total = 1_000 * FUNC + 1;
        let set = send(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(worked, total, 3),
        )
        .await;
        let event: RewardSetForEpoch = event_of(&set, suite.pool);
        assert_eq!(
            (event.epoch, event.total, event.total_shards),
            (worked, total, 3)
        );
        send(
            client,
            &scheduler,
            &suite.pool().record_provider_shards(
                worked,
                vec![(pid("peer-bob"), 1), (pid("peer-charlie"), 2)],
            ),
        )
        .await;
        assert_eq!(
            read(client, &suite.pool().total_reward_for_epoch(worked)).await,
            total
        );

        // Before `current − delay` the epoch is not claimable.
        let last_claimable = read(client, &suite.pool().finalized_through()).await;
        assert!(last_claimable < worked);
        assert_rejected(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), worked, worked),
            StakingError::EpochNotClaimable {
                last_claimable_epoch: last_claimable,
            },
        )
        .await;

        advance_to_epoch(client, suite, worked + suite.params.epoch_reward_delay).await;
        let bob_share = total / 3;
        let charlie_share = total * 2 / 3;
        assert_eq!(
            read(client, &suite.pool().pending_rewards(pid("peer-bob"))).await,
            bob_share
        );

        let bob_before = balance_of(client, suite, account(&bob)).await;
        let claimed = send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), worked, worked),
        )
        .await;
        assert_eq!(returned(&claimed), Ok(bob_share));
        let event: ProviderClaimedRewards = event_of(&claimed, suite.pool);
        assert_eq!(
            (event.from_epoch, event.to_epoch, event.amount, event.owner),
            (worked, worked, bob_share, account(&bob))
        );
        // The first reward-changing message after finality releases the dust.
        let dust = total - bob_share - charlie_share;
        assert_eq!(dust, 1);
        let released: UnclaimableRewardReleased = event_of(&claimed, suite.pool);
        assert_eq!((released.epoch, released.amount), (worked, dust));
        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            bob_before + bob_share
        );

        let charlie_before = balance_of(client, suite, account(&charlie)).await;
        send(
            client,
            &charlie,
            &suite.pool().claim_rewards(pid("peer-charlie"), 1, worked),
        )
        .await;
        assert_eq!(
            balance_of(client, suite, account(&charlie)).await,
            charlie_before + charlie_share
        );

        // A second claim pays nothing.
        assert_rejected(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), worked, worked),
            StakingError::AlreadyClaimed,
        )
        .await;
        let funding = read(client, &suite.pool().reward_funding()).await;
        assert_eq!(funding.reserved, 0, "the dust is no longer reserved");
        assert_eq!(
            funding.balance,
            suite.params.reward_funding - bob_share - charlie_share,
            "the dust stays in the unreserved funds"
        );
        Ok(ctx)
    })
}

#[test]
fn a_correction_before_claimability_applies_and_the_report_is_final_after() {
    // Two reports take four blocks: keep them inside one epoch.
    let params = Params {
        epoch_length: 6,
        ..Params::default()
    };
    run_with(params, |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (bob, charlie, scheduler) = (who::bob(), who::charlie(), who::scheduler());
        active_provider(client, suite, &bob, "peer-bob").await;
        active_provider(client, suite, &charlie, "peer-charlie").await;
        let worked = current_epoch(client, suite).await;
        advance_to_epoch(client, suite, worked + 1).await;

        report_epoch(
            client,
            suite,
            worked,
            600 * FUNC,
            &[("peer-bob", 1), ("peer-charlie", 1)],
        )
        .await;
        // Correction: a bigger total, and bob did three times charlie's work.
        report_epoch(
            client,
            suite,
            worked,
            800 * FUNC,
            &[("peer-bob", 3), ("peer-charlie", 1)],
        )
        .await;
        assert_eq!(
            read(client, &suite.pool().reward_funding()).await.reserved,
            800 * FUNC
        );

        advance_to_epoch(client, suite, worked + suite.params.epoch_reward_delay).await;
        assert_rejected(
            client,
            &scheduler,
            &suite.pool().set_epoch_reward(worked, 1, 1),
            StakingError::EpochFinalized,
        )
        .await;
        let before = balance_of(client, suite, account(&bob)).await;
        send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), worked, worked),
        )
        .await;
        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            before + 600 * FUNC
        );
        Ok(ctx)
    })
}

#[test]
fn rewards_survive_unstaking() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let bob = who::bob();
        active_provider(client, suite, &bob, "peer-bob").await;
        let worked = current_epoch(client, suite).await;
        advance_to_epoch(client, suite, worked + 1).await;
        report_epoch(client, suite, worked, 500 * FUNC, &[("peer-bob", 7)]).await;

        advance_to_epoch(client, suite, worked + suite.params.min_epochs_locked).await;
        send(
            client,
            &bob,
            &suite.pool().unstake_provider(pid("peer-bob")),
        )
        .await;
        advance_to_epoch(client, suite, worked + suite.params.epoch_reward_delay).await;

        let before = balance_of(client, suite, account(&bob)).await;
        let result = send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), 1, worked),
        )
        .await;
        assert_eq!(returned(&result), Ok(500 * FUNC));
        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            before + 500 * FUNC
        );
        Ok(ctx)
    })
}

#[test]
fn claims_may_not_skip_unclaimed_epochs_but_skip_empty_ones() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let bob = who::bob();
        active_provider(client, suite, &bob, "peer-bob").await;
        let first = current_epoch(client, suite).await;
        advance_to_epoch(client, suite, first + 1).await;
        report_epoch(client, suite, first, 100 * FUNC, &[("peer-bob", 1)]).await;
        // `first + 1` earns nothing; `first + 2` earns again.
        advance_to_epoch(client, suite, first + 3).await;
        report_epoch(client, suite, first + 2, 50 * FUNC, &[("peer-bob", 1)]).await;
        advance_to_epoch(client, suite, first + 2 + suite.params.epoch_reward_delay).await;

        assert_rejected(
            client,
            &bob,
            &suite
                .pool()
                .claim_rewards(pid("peer-bob"), first + 2, first + 2),
            StakingError::ClaimGap {
                first_unclaimed_epoch: first,
            },
        )
        .await;
        let result = send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), first, first),
        )
        .await;
        assert_eq!(returned(&result), Ok(100 * FUNC));
        // The empty epoch in between is no gap.
        let result = send(
            client,
            &bob,
            &suite
                .pool()
                .claim_rewards(pid("peer-bob"), first + 2, first + 2),
        )
        .await;
        assert_eq!(returned(&result), Ok(50 * FUNC));
        Ok(ctx)
    })
}

#[test]
fn claim_rewards_cluster_and_unstake_cluster_report_succeeded_and_failed_ids() {
    // Long enough epochs that the providers are set up before epoch 10.
    let params = Params {
        epoch_length: 5,
        ..Params::default()
    };
    run_with(params, |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (bob, operator) = (who::bob(), who::operator());
        let ids = ["bob-a", "bob-b", "bob-c"];
        for id in ids {
            active_provider(client, suite, &bob, id).await;
        }
        for epoch in [10, 15, 20] {
            advance_to_epoch(client, suite, epoch + 1).await;
            report_epoch(
                client,
                suite,
                epoch,
                300 * FUNC,
                &[("bob-a", 1), ("bob-b", 1), ("bob-c", 1)],
            )
            .await;
        }
        advance_to_epoch(client, suite, 20 + suite.params.epoch_reward_delay).await;

        // bob-c is jailed: its claim fails, the others go through.
        send(
            client,
            &operator,
            &suite.registry().jail_for_epochs(pid("bob-c"), 50),
        )
        .await;
        let before = balance_of(client, suite, account(&bob)).await;
        let result = send(
            client,
            &bob,
            &suite.registry().claim_rewards_cluster(10, 20),
        )
        .await;
        // A page holds CLUSTER_CALL_BUDGET (2) providers of one pool, newest first; the
        // oldest is on the next page.
        let outcome = returned(&result).expect("cluster claim");
        assert_eq!(outcome.succeeded, vec![pid("bob-b")]);
        assert_eq!(outcome.failed.len(), 1);
        assert_eq!(outcome.failed[0].0, pid("bob-c"));
        assert!(matches!(
            outcome.failed[0].1,
            StakingError::ProviderJailed { .. }
        ));
        assert_eq!(outcome.next_start, Some(1));
        assert_eq!(outcome.total, 3 * 100 * FUNC);
        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            before + outcome.total
        );
        let event: RewardClaimedForCluster = event_of(&result, suite.registry);
        assert_eq!(event.owner, account(&bob));
        assert_eq!((event.from_epoch, event.to_epoch), (10, 20));
        assert_eq!(event.succeeded, outcome.succeeded);
        assert_eq!(event.failed, outcome.failed);
        assert_eq!(event.total_claimed, outcome.total);
        let per_provider: Vec<ProviderClaimedRewards> = events_of(&result, suite.pool);
        assert_eq!(per_provider.len(), 1);
        let result = send(
            client,
            &bob,
            &suite.registry().claim_rewards_cluster_from(10, 20, 1),
        )
        .await;
        let outcome = returned(&result).expect("cluster claim, second page");
        assert_eq!(outcome.succeeded, vec![pid("bob-a")]);
        assert!(outcome.failed.is_empty());
        assert_eq!((outcome.total, outcome.next_start), (3 * 100 * FUNC, None));

        // A requirement rise: bob-a tops up by 1 and keeps its lock (issue 17, item 5); bob-b
        // leaves and stakes again, a new period whose lock starts now: its unstake fails.
        send(
            client,
            &who::admin(),
            &suite
                .router()
                .update_model_stake_requirement(MODEL_ID, suite.params.stake_amount + 1),
        )
        .await;
        send(client, &bob, &suite.token().approve(suite.pool, 1)).await;
        send(client, &bob, &suite.pool().stake_for_provider(pid("bob-a"))).await;
        send(client, &bob, &suite.pool().unstake_provider(pid("bob-b"))).await;
        send(
            client,
            &bob,
            &suite
                .token()
                .approve(suite.pool, suite.params.stake_amount + 1),
        )
        .await;
        send(client, &bob, &suite.pool().stake_for_provider(pid("bob-b"))).await;
        let before = balance_of(client, suite, account(&bob)).await;
        let result = send(client, &bob, &suite.registry().unstake_cluster()).await;
        let outcome = returned(&result).expect("cluster unstake");
        assert_eq!(outcome.succeeded, vec![pid("bob-c")]);
        assert_eq!(outcome.failed.len(), 1);
        assert_eq!(outcome.failed[0].0, pid("bob-b"));
        assert!(matches!(
            outcome.failed[0].1,
            StakingError::StillLocked { .. }
        ));
        assert_eq!(outcome.next_start, Some(1));
        assert_eq!(outcome.total, suite.params.stake_amount);
        let event: UnstakeCluster = event_of(&result, suite.registry);
        assert_eq!(event.succeeded, outcome.succeeded);
        assert_eq!(event.failed, outcome.failed);
        assert_eq!(event.total_unstaked, outcome.total);
        let result = send(client, &bob, &suite.registry().unstake_cluster_from(1)).await;
        let second = returned(&result).expect("cluster unstake, second page");
        assert_eq!(second.succeeded, vec![pid("bob-a")]);
        assert_eq!(
            (second.total, second.next_start),
            (suite.params.stake_amount + 1, None)
        );
        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            before + outcome.total + second.total
        );
        assert_eq!(
            read(
                client,
                &suite.pool().get_provider_staked_amount(pid("bob-b"))
            )
            .await,
            suite.params.stake_amount + 1
        );
        Ok(ctx)
    })
}

#[test]
fn boosts_add_to_the_reported_total_of_their_epochs() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let bob = who::bob();
        active_provider(client, suite, &bob, "peer-bob").await;
        send(client, &bob, &suite.token().approve(suite.pool, 30 * FUNC)).await;
        let boosted = send(
            client,
            &bob,
            &suite.pool().boost_rewards_for_n_epochs(3, 30 * FUNC),
        )
        .await;
        let event: BoostForNEpochs = event_of(&boosted, suite.pool);
        assert_eq!(
            (event.sender, event.epochs, event.amount),
            (account(&bob), 3, 30 * FUNC)
        );
        let now = event.start_epoch - 1;
        for epoch in now + 1..=now + 3 {
            assert_eq!(
                read(client, &suite.pool().boost_for_epoch(epoch)).await,
                10 * FUNC
            );
        }
        assert_eq!(
            read(client, &suite.pool().boost_for_epoch(now + 4)).await,
            0
        );

        advance_to_epoch(client, suite, now + 2).await;
        report_epoch(client, suite, now + 1, 5 * FUNC, &[("peer-bob", 1)]).await;
        assert_eq!(
            read(client, &suite.pool().total_reward_for_epoch(now + 1)).await,
            15 * FUNC
        );
        advance_to_epoch(client, suite, now + 1 + suite.params.epoch_reward_delay).await;
        let result = send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), 1, now + 1),
        )
        .await;
        assert_eq!(returned(&result), Ok(15 * FUNC));
        Ok(ctx)
    })
}
