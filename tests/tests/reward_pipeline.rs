//! The reward pipeline on a real node (issue 17): no report sequence can freeze a pool, a late
//! scheduler never costs an earned reward, a leaked scheduler key can be contained, and one
//! rule decides who earns the epoch in which an id changes hands. Each test plays the issue's
//! example through the real messages and checks the chain.
#![cfg(feature = "e2e-tests")]

use func_e2e::*;
use func_interfaces::StakingError;
use provider_staking::events::{ProviderClaimedRewards, ProviderStaked};

/// Epochs long enough that a handful of transactions fit in one.
const ROOMY_EPOCH: u32 = 24;

fn roomy() -> Params {
    Params {
        epoch_length: ROOMY_EPOCH,
        ..Params::default()
    }
}

/// Advances to the first block of the next epoch, so that a test's first steps share one.
async fn next_epoch_start(client: &mut E2EClient, suite: &Suite) {
    let next = current_epoch(client, suite).await + 1;
    advance_to_epoch(client, suite, next).await;
}

/// Registers, whitelists and stakes `id`; returns the epoch of the stake.
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

/// `owner` claims `from..=to` for `id`; returns the amount paid.
async fn claim(
    client: &mut E2EClient,
    suite: &Suite,
    owner: &ink_e2e::Keypair,
    id: &str,
    (from, to): (EpochId, EpochId),
) -> u128 {
    let claimed = send(
        client,
        owner,
        &suite.pool().claim_rewards(pid(id), from, to),
    )
    .await;
    let event: ProviderClaimedRewards = event_of(&claimed, suite.pool);
    event.amount
}

// ---- 1. No sequence of reports and corrections can freeze a pool ----------------------------

#[test]
fn a_placeholder_then_corrected_report_never_freezes_the_pool() {
    run_with(roomy(), |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        next_epoch_start(client, suite).await;
        let (bob, charlie, scheduler, admin) =
            (who::bob(), who::charlie(), who::scheduler(), who::admin());
        let epoch = staked_provider(client, suite, &bob, "p1").await;
        assert_eq!(staked_provider(client, suite, &charlie, "p2").await, epoch);
        advance_to_epoch(client, suite, epoch + 1).await;
        // The sequence: a placeholder, then the real total, then the real shards.
        let mut pool = suite.pool();
        send(client, &scheduler, &pool.set_epoch_reward(epoch, 1, 3)).await;
        send(
            client,
            &scheduler,
            &pool.record_provider_shards(epoch, vec![(pid("p1"), 1), (pid("p2"), 1)]),
        )
        .await;
        send(client, &scheduler, &pool.set_epoch_reward(epoch, 35, 3)).await;
        send(
            client,
            &scheduler,
            &pool.record_provider_shards(epoch, vec![(pid("p1"), 0), (pid("p2"), 3)]),
        )
        .await;
        let report = read(client, &pool.epoch_reward(epoch)).await.unwrap();
        assert!(
            report.allocated <= 35,
            "allocated {} for an amount of 35",
            report.allocated
        );

        // From epoch + 2 on, every message of the pool works.
        advance_to_epoch(client, suite, epoch + 2).await;
        assert_eq!(read(client, &pool.finalized_through()).await, epoch);
        assert_eq!(
            claim(client, suite, &charlie, "p2", (epoch, epoch)).await,
            35
        );
        report_epoch(client, suite, epoch + 1, 10, &[("p1", 1)]).await;
        send(
            client,
            &admin,
            &pool.withdraw_unreserved(account(&admin), 1),
        )
        .await;
        assert_rejected(
            client,
            &bob,
            &pool.claim_rewards(pid("p1"), epoch, epoch),
            StakingError::NothingToClaim,
        )
        .await;
        Ok(ctx)
    });
}

// ---- 2. A late scheduler never costs an earned reward ---------------------------------------

#[test]
fn a_scheduler_down_for_several_epochs_reports_them_all_late_and_providers_are_paid_in_full() {
    run_with(roomy(), |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        next_epoch_start(client, suite).await;
        let (bob, scheduler) = (who::bob(), who::scheduler());
        let first = staked_provider(client, suite, &bob, "p1").await;
        // The scheduler is down from `first` on: four epochs end unreported.
        advance_to_epoch(client, suite, first + 5).await;
        let mut pool = suite.pool();
        assert_eq!(read(client, &pool.reported_through()).await, first - 1);
        assert_eq!(read(client, &pool.finalized_through()).await, first - 1);
        assert_rejected(
            client,
            &bob,
            &pool.claim_rewards(pid("p1"), first, first),
            StakingError::EpochNotClaimable {
                last_claimable_epoch: first - 1,
            },
        )
        .await;
        // Back up: every missed epoch is still reportable, and gets its correction window.
        for epoch in first..first + 5 {
            send(client, &scheduler, &pool.set_epoch_reward(epoch, 100, 1)).await;
            send(
                client,
                &scheduler,
                &pool.record_provider_shards(epoch, vec![(pid("p1"), 1)]),
            )
            .await;
        }
        assert_eq!(read(client, &pool.reported_through()).await, first + 4);
        assert_eq!(read(client, &pool.finalized_through()).await, first - 1);
        // A correction inside the window.
        send(client, &scheduler, &pool.set_epoch_reward(first, 150, 1)).await;
        advance_to_epoch(client, suite, first + 6).await;
        assert_eq!(read(client, &pool.finalized_through()).await, first + 4);
        assert_eq!(
            claim(client, suite, &bob, "p1", (first, first + 4)).await,
            150 + 4 * 100
        );
        assert_rejected(
            client,
            &scheduler,
            &pool.set_epoch_reward(first + 1, 1, 1),
            StakingError::EpochFinalized,
        )
        .await;
        Ok(ctx)
    });
}

// ---- 6. A leaked scheduler key can be contained ---------------------------------------------

#[test]
fn suspended_reports_stop_the_scheduler_and_extend_the_window() {
    run_with(roomy(), |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        next_epoch_start(client, suite).await;
        let (bob, scheduler, admin) = (who::bob(), who::scheduler(), who::admin());
        let epoch = staked_provider(client, suite, &bob, "p1").await;
        advance_to_epoch(client, suite, epoch + 1).await;
        let mut pool = suite.pool();
        // A leaked key reports far too much; the owner suspends reports at once.
        send(client, &scheduler, &pool.set_epoch_reward(epoch, 5_000, 1)).await;
        send(
            client,
            &scheduler,
            &pool.record_provider_shards(epoch, vec![(pid("p1"), 1)]),
        )
        .await;
        send(client, &admin, &pool.suspend_reports()).await;
        assert!(read(client, &pool.reports_suspended()).await);
        assert_rejected(
            client,
            &scheduler,
            &pool.set_epoch_reward(epoch, 6_000, 1),
            StakingError::ReportsSuspended,
        )
        .await;
        // Nothing becomes final while suspended, however long it lasts.
        advance_to_epoch(client, suite, epoch + 4).await;
        assert_eq!(read(client, &pool.finalized_through()).await, epoch - 1);
        // The owner corrects, revokes the key and resumes: the window starts again.
        send(client, &admin, &pool.set_epoch_reward(epoch, 50, 1)).await;
        send(
            client,
            &admin,
            &pool.revoke_role(func_interfaces::Role::Scheduler, account(&scheduler)),
        )
        .await;
        send(client, &admin, &pool.resume_reports()).await;
        assert_eq!(read(client, &pool.finalized_through()).await, epoch - 1);
        send(client, &admin, &pool.close_unreported_epochs(epoch + 3)).await;
        advance_to_epoch(client, suite, epoch + 5).await;
        assert_eq!(read(client, &pool.finalized_through()).await, epoch + 3);
        assert_eq!(claim(client, suite, &bob, "p1", (epoch, epoch)).await, 50);
        Ok(ctx)
    });
}

// ---- 5. One rule for who earns --------------------------------------------------------------

#[test]
fn the_epoch_an_id_changes_hands_is_the_earlier_holders_and_a_top_up_keeps_the_lock() {
    run_with(roomy(), |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        next_epoch_start(client, suite).await;
        let (bob, charlie, scheduler) = (who::bob(), who::charlie(), who::scheduler());
        let first = staked_provider(client, suite, &bob, "p1").await;
        // Lock 2: bob unstakes and deregisters in `first + 2`; charlie takes the id over in
        // the same epoch.
        advance_to_epoch(client, suite, first + 2).await;
        send(client, &bob, &suite.pool().unstake_provider(pid("p1"))).await;
        send(client, &bob, &suite.registry().deregister(pid("p1"))).await;
        let taken = staked_provider(client, suite, &charlie, "p1").await;
        assert_eq!(taken, first + 2);
        advance_to_epoch(client, suite, first + 3).await;
        let mut pool = suite.pool();
        send(client, &scheduler, &pool.close_unreported_epochs(first + 1)).await;
        send(client, &scheduler, &pool.set_epoch_reward(first + 2, 70, 1)).await;
        send(
            client,
            &scheduler,
            &pool.record_provider_shards(first + 2, vec![(pid("p1"), 1)]),
        )
        .await;
        advance_to_epoch(client, suite, first + 4).await;
        // Bob served in the handover epoch: the reward is his, never charlie's.
        assert_eq!(
            claim(client, suite, &bob, "p1", (first + 2, first + 2)).await,
            70
        );
        assert_rejected(
            client,
            &charlie,
            &pool.claim_rewards(pid("p1"), first + 2, first + 2),
            StakingError::NothingToClaim,
        )
        .await;
        Ok(ctx)
    });
}

// ---- 4. Paging never skips an id ---------------------------------------------------------------

#[test]
fn a_run_of_cluster_pages_offers_every_id_whatever_is_deregistered_between_pages() {
    run_with(roomy(), |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        next_epoch_start(client, suite).await;
        let bob = who::bob();
        let ids = ["p0", "p1", "p2", "p3", "p4"];
        for id in ids {
            register(client, suite, &bob, id, MODEL_ID).await;
        }
        whitelist(client, suite, &ids).await;
        let mut first = 0;
        for id in ids {
            let staked = approve_and_stake(client, suite, &bob, suite.pool, id).await;
            let event: ProviderStaked = event_of(&staked, suite.pool);
            first = first.max(event.epoch);
        }
        advance_to_epoch(client, suite, first + suite.params.min_epochs_locked).await;
        // The run: a first page, then the owner deregisters the first id it unstaked
        // (before issue 17 that moved the owner's last id behind the cursor, and the run never
        // offered it), then the rest of the run.
        let result = send(client, &bob, &suite.registry().unstake_cluster()).await;
        let page = returned(&result).expect("first page");
        let mut offered: Vec<ProviderId> = page.succeeded.clone();
        offered.extend(page.failed.iter().map(|(id, _)| id.clone()));
        let gone = page.succeeded[0].clone();
        send(client, &bob, &suite.registry().deregister(gone.clone())).await;
        let mut next = page.next_start;
        let mut pages = 1;
        while let Some(start) = next {
            let result = send(client, &bob, &suite.registry().unstake_cluster_from(start)).await;
            let page = returned(&result).expect("later page");
            offered.extend(page.succeeded.iter().cloned());
            offered.extend(page.failed.iter().map(|(id, _)| id.clone()));
            next = page.next_start;
            pages += 1;
            assert!(pages <= ids.len() + 1, "the run ends");
        }
        for id in ids {
            assert!(
                offered.contains(&pid(id)),
                "{id} was never offered (deregistered {gone:?} after the first page)"
            );
            assert_eq!(
                read(client, &suite.pool().get_provider_staked_amount(pid(id))).await,
                0,
                "{id} still staked"
            );
        }
        Ok(ctx)
    });
}
