//! A provider's life on a real node: registration and staking (seed steps 1A and 1B), the five
//! conditions of `active`, and unstaking after the lock — including for a jailed provider, a
//! disabled model and a paused suite.
#![cfg(feature = "e2e-tests")]

use func_e2e::*;
use func_interfaces::StakingError;
use provider_registry::events::ProviderRegistered;
use provider_staking::events::{ProviderStaked, ProviderUnstaked};
use psp22::PSP22;

#[test]
fn register_then_stake_for_provider_makes_the_provider_active() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let bob = who::bob();
        let stake = suite.params.stake_amount;
        let before = balance_of(client, suite, account(&bob)).await;

        // Step 1A.1: register.
        let registered = register(client, suite, &bob, "peer-bob", MODEL_ID).await;
        let event: ProviderRegistered = event_of(&registered, suite.registry);
        assert_eq!(event.id, pid("peer-bob"));
        assert_eq!(event.model_id, MODEL_ID);
        assert_eq!(event.owner, account(&bob));
        assert_eq!(event.metadata, metadata("https://peer-bob.example.org"));
        assert!(read(client, &suite.registry().registered(pid("peer-bob"))).await);
        assert!(!read(client, &suite.registry().active(pid("peer-bob"))).await);

        // Without auto-whitelist the whitelister admits the provider.
        whitelist(client, suite, &["peer-bob"]).await;

        // Step 1A.2: find the pool through the router, approve it, stake.
        let pool = read(client, &suite.router().provider_staking(MODEL_ID))
            .await
            .expect("model 1 has a pool");
        assert_eq!(pool, suite.pool);
        let staked = approve_and_stake(client, suite, &bob, pool, "peer-bob").await;
        let event: ProviderStaked = event_of(&staked, suite.pool);
        assert_eq!(event.id, pid("peer-bob"));
        assert_eq!(event.model_id, MODEL_ID);
        assert_eq!(event.amount, stake);
        assert_eq!(event.owner, account(&bob));
        assert_eq!(event.epoch, current_epoch(client, suite).await);

        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            before - stake
        );
        assert_eq!(
            read(
                client,
                &suite.pool().get_provider_staked_amount(pid("peer-bob"))
            )
            .await,
            stake
        );
        assert_eq!(
            read(client, &suite.pool().effective_staked_balance()).await,
            stake
        );
        assert!(read(client, &suite.registry().active(pid("peer-bob"))).await);

        // A second stake has nothing to add.
        assert_rejected(
            client,
            &bob,
            &suite.pool().stake_for_provider(pid("peer-bob")),
            StakingError::AlreadyFullyStaked,
        )
        .await;

        // The gateway view lists it with its metadata.
        let page = read(
            client,
            &suite.registry().get_active_providers(MODEL_ID, 0, 10),
        )
        .await;
        assert_eq!(page.providers.len(), 1);
        assert_eq!(page.providers[0].id, pid("peer-bob"));
        assert_eq!(
            page.providers[0].metadata,
            metadata("https://peer-bob.example.org")
        );
        Ok(ctx)
    })
}

#[test]
fn register_and_stake_with_auto_whitelist_makes_the_provider_active() {
    let params = Params {
        auto_whitelist: true,
        ..Params::default()
    };
    run_with(params, |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let charlie = who::charlie();
        let stake = suite.params.stake_amount;
        let before = balance_of(client, suite, account(&charlie)).await;

        // Step 1B: one call registers, whitelists and stakes (after approving the pool).
        send(client, &charlie, &suite.token().approve(suite.pool, stake)).await;
        let result = send(
            client,
            &charlie,
            &suite.registry().register_and_stake(
                pid("peer-charlie"),
                MODEL_ID,
                metadata("http://10.0.0.7:8080/v1"),
            ),
        )
        .await;
        assert_eq!(returned(&result), Ok(stake));
        let registered: ProviderRegistered = event_of(&result, suite.registry);
        assert_eq!(registered.id, pid("peer-charlie"));
        assert_eq!(registered.owner, account(&charlie));
        let staked: ProviderStaked = event_of(&result, suite.pool);
        assert_eq!(staked.amount, stake);
        assert_eq!(staked.owner, account(&charlie));

        assert_eq!(
            balance_of(client, suite, account(&charlie)).await,
            before - stake
        );
        assert!(read(client, &suite.registry().whitelisted(pid("peer-charlie"))).await);
        assert!(read(client, &suite.registry().active(pid("peer-charlie"))).await);
        Ok(ctx)
    })
}

#[test]
fn register_and_stake_without_allowance_reverts_the_registration() {
    let params = Params {
        auto_whitelist: true,
        ..Params::default()
    };
    run_with(params, |mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let before = snapshot(client, suite).await;
        assert_rejected(
            client,
            &who::charlie(),
            &suite.registry().register_and_stake(
                pid("peer-charlie"),
                MODEL_ID,
                metadata("https://c.example.org"),
            ),
            func_interfaces::RegistryError::Staking(StakingError::Token(
                psp22::PSP22Error::InsufficientAllowance,
            )),
        )
        .await;
        assert!(!read(client, &suite.registry().registered(pid("peer-charlie"))).await);
        assert_eq!(snapshot(client, suite).await, before);
        Ok(ctx)
    })
}

#[test]
fn each_active_condition_switched_off_and_on_toggles_active() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let bob = who::bob();
        let operator = who::operator();
        let admin = who::admin();
        let id = || pid("peer-bob");

        // 1. Registered: an unknown id is never active.
        assert!(!read(client, &suite.registry().active(id())).await);
        active_provider(client, suite, &bob, "peer-bob").await;
        assert!(read(client, &suite.registry().active(id())).await);

        // 2. Not deactivated.
        send(client, &bob, &suite.registry().deactivate(id())).await;
        assert!(!read(client, &suite.registry().active(id())).await);
        send(client, &bob, &suite.registry().reactivate(id())).await;
        assert!(read(client, &suite.registry().active(id())).await);

        // 3. Sufficiently staked: a raised requirement makes it inactive until topped up.
        let raised = suite.params.stake_amount * 2;
        send(
            client,
            &admin,
            &suite
                .router()
                .update_model_stake_requirement(MODEL_ID, raised),
        )
        .await;
        assert!(!read(client, &suite.registry().active(id())).await);
        send(
            client,
            &bob,
            &suite.token().approve(suite.pool, suite.params.stake_amount),
        )
        .await;
        let topped_up = send(client, &bob, &suite.pool().stake_for_provider(id())).await;
        assert_eq!(returned(&topped_up), Ok(suite.params.stake_amount));
        assert_eq!(
            read(client, &suite.pool().get_provider_staked_amount(id())).await,
            raised
        );
        assert!(read(client, &suite.registry().active(id())).await);

        // 4. Whitelisted and not jailed.
        send(
            client,
            &operator,
            &suite.registry().remove_from_whitelist(vec![id()]),
        )
        .await;
        assert!(!read(client, &suite.registry().active(id())).await);
        send(client, &operator, &suite.registry().whitelist(vec![id()])).await;
        assert!(read(client, &suite.registry().active(id())).await);
        send(
            client,
            &operator,
            &suite.registry().jail_for_epochs(id(), 3),
        )
        .await;
        assert!(!read(client, &suite.registry().active(id())).await);
        send(client, &operator, &suite.registry().unjail(id())).await;
        assert!(read(client, &suite.registry().active(id())).await);

        // 5. Model enabled.
        send(client, &admin, &suite.router().disable_model(MODEL_ID)).await;
        assert!(!read(client, &suite.registry().active(id())).await);
        let page = read(
            client,
            &suite.registry().get_active_providers(MODEL_ID, 0, 10),
        )
        .await;
        assert!(page.providers.is_empty());
        send(client, &admin, &suite.router().enable_model(MODEL_ID)).await;
        assert!(read(client, &suite.registry().active(id())).await);
        Ok(ctx)
    })
}

#[test]
fn jail_expires_after_its_epochs() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        active_provider(client, suite, &who::bob(), "peer-bob").await;
        send(
            client,
            &who::operator(),
            &suite.registry().jail_for_epochs(pid("peer-bob"), 2),
        )
        .await;
        let jailed_at = current_epoch(client, suite).await;
        assert!(!read(client, &suite.registry().active(pid("peer-bob"))).await);
        advance_to_epoch(client, suite, jailed_at + 2).await;
        assert!(read(client, &suite.registry().active(pid("peer-bob"))).await);
        Ok(ctx)
    })
}

#[test]
fn unstake_before_the_lock_fails_and_after_returns_the_whole_stake() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let bob = who::bob();
        let stake = suite.params.stake_amount;
        active_provider(client, suite, &bob, "peer-bob").await;
        let staked_at = read(client, &suite.pool().get_stake(pid("peer-bob")))
            .await
            .expect("staked")
            .last_stake_epoch;
        let unlock_epoch = staked_at + suite.params.min_epochs_locked;

        let before = snapshot(client, suite).await;
        assert_rejected(
            client,
            &bob,
            &suite.pool().unstake_provider(pid("peer-bob")),
            StakingError::StillLocked { unlock_epoch },
        )
        .await;
        assert_eq!(snapshot(client, suite).await, before);

        advance_to_epoch(client, suite, unlock_epoch).await;
        let balance = balance_of(client, suite, account(&bob)).await;
        let result = send(
            client,
            &bob,
            &suite.pool().unstake_provider(pid("peer-bob")),
        )
        .await;
        assert_eq!(returned(&result), Ok(stake));
        let event: ProviderUnstaked = event_of(&result, suite.pool);
        assert_eq!(event.amount, stake);
        assert_eq!(event.owner, account(&bob));
        assert_eq!(event.epoch, unlock_epoch);
        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            balance + stake
        );
        assert_eq!(
            read(client, &suite.pool().effective_staked_balance()).await,
            0
        );
        assert!(!read(client, &suite.registry().active(pid("peer-bob"))).await);

        // Nothing left to unstake.
        assert_rejected(
            client,
            &bob,
            &suite.pool().unstake_provider(pid("peer-bob")),
            StakingError::NotStaked,
        )
        .await;
        Ok(ctx)
    })
}

#[test]
fn unstake_after_the_lock_works_when_jailed_disabled_and_paused() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let bob = who::bob();
        let charlie = who::charlie();
        let operator = who::operator();
        let stake = suite.params.stake_amount;
        active_provider(client, suite, &bob, "peer-bob").await;
        active_provider(client, suite, &charlie, "peer-charlie").await;
        let unlock = current_epoch(client, suite).await + suite.params.min_epochs_locked;

        // Everything that could trap principal, at once.
        send(
            client,
            &operator,
            &suite.registry().jail_for_epochs(pid("peer-bob"), 1_000),
        )
        .await;
        send(
            client,
            &operator,
            &suite
                .registry()
                .remove_from_whitelist(vec![pid("peer-bob")]),
        )
        .await;
        send(client, &bob, &suite.registry().deactivate(pid("peer-bob"))).await;
        send(
            client,
            &who::admin(),
            &suite.router().disable_model(MODEL_ID),
        )
        .await;
        send(client, &operator, &suite.pool().pause()).await;
        send(client, &operator, &suite.registry().pause()).await;
        advance_to_epoch(client, suite, unlock).await;

        // Directly on the pool…
        let bob_before = balance_of(client, suite, account(&bob)).await;
        send(
            client,
            &bob,
            &suite.pool().unstake_provider(pid("peer-bob")),
        )
        .await;
        assert_eq!(
            balance_of(client, suite, account(&bob)).await,
            bob_before + stake
        );

        // …and through the registry's cluster unstake.
        let charlie_before = balance_of(client, suite, account(&charlie)).await;
        let result = send(client, &charlie, &suite.registry().unstake_cluster()).await;
        let outcome = returned(&result).expect("cluster unstake");
        assert_eq!(outcome.succeeded, vec![pid("peer-charlie")]);
        assert!(outcome.failed.is_empty());
        assert_eq!(outcome.total, stake);
        assert_eq!(
            balance_of(client, suite, account(&charlie)).await,
            charlie_before + stake
        );
        assert_eq!(
            read(client, &suite.pool().effective_staked_balance()).await,
            0
        );

        // Pausing still stops stakes.
        assert_rejected(
            client,
            &charlie,
            &suite.pool().stake_for_provider(pid("peer-charlie")),
            StakingError::Access(func_interfaces::AccessError::Paused),
        )
        .await;
        Ok(ctx)
    })
}
