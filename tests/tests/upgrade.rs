//! Upgrades that add state, on a live suite: the registry and the pool move by `set_code` to
//! their `upgrade-v2` builds (the same contracts plus a storage item under the new key `V2NT`
//! and two messages that read and write it) and back to v1. Across each upgrade every view
//! answers exactly as before, every provider can still claim and unstake, and the new message
//! works in v2 only; its item survives the trip through v1 untouched.
#![cfg(feature = "e2e-tests")]

use func_e2e::*;
use func_interfaces::{AccessError, RegistryError, Role, StakingError};
use ink::{
    env::{
        call::{
            build_call,
            utils::{Argument, ArgumentList, EmptyArgumentList},
            ExecutionInput, Selector,
        },
        DefaultEnvironment,
    },
    primitives::{AccountId, Hash},
};
use ink_e2e::ContractsBackend;

/// The providers of the test: (owner, id).
fn providers() -> Vec<(ink_e2e::Keypair, &'static str)> {
    vec![
        (who::bob(), "peer-bob"),
        (who::bob(), "peer-bob-2"),
        (who::charlie(), "peer-charlie"),
        (who::charlie(), "peer-charlie-2"),
    ]
}

/// Every view of the registry and the pool that providers, the dapp or an indexer read, as
/// text (epochs are frozen, so nothing moves between two calls).
async fn views(client: &mut E2EClient, suite: &Suite, epochs: &[u32]) -> Vec<String> {
    let (registry, pool) = (suite.registry(), suite.pool());
    let mut out = vec![
        format!("{:?}", read(client, &registry.provider_count()).await),
        format!(
            "{:?}",
            read(client, &registry.provider_count_by_model(MODEL_ID)).await
        ),
        format!(
            "{:?}",
            read(
                client,
                &registry.get_provider_ids_by_model(MODEL_ID, 0, 100)
            )
            .await
        ),
        format!(
            "{:?}",
            read(client, &registry.get_active_providers(MODEL_ID, 0, 100)).await
        ),
        format!("{:?}", read(client, &registry.auto_whitelist()).await),
        format!("{:?}", read(client, &registry.router()).await),
        format!("{:?}", read(client, &registry.epoch_controller()).await),
        format!("{:?}", read(client, &registry.owner()).await),
        format!("{:?}", read(client, &registry.pending_owner()).await),
        format!("{:?}", read(client, &registry.paused()).await),
        format!(
            "{:?}",
            read(
                client,
                &registry.has_role(Role::Whitelister, account(&who::operator()))
            )
            .await
        ),
        format!("{:?}", read(client, &pool.reward_funding()).await),
        format!("{:?}", read(client, &pool.effective_staked_balance()).await),
        format!("{:?}", read(client, &pool.excess_funds()).await),
        format!("{:?}", read(client, &pool.open_epochs()).await),
        format!("{:?}", read(client, &pool.finalized_through()).await),
        format!("{:?}", read(client, &pool.epoch_reward_hard_cap()).await),
        format!("{:?}", read(client, &pool.model_id()).await),
        format!("{:?}", read(client, &pool.token()).await),
        format!("{:?}", read(client, &pool.registry()).await),
        format!("{:?}", read(client, &pool.router()).await),
        format!("{:?}", read(client, &pool.epoch_controller()).await),
        format!("{:?}", read(client, &pool.owner()).await),
        format!("{:?}", read(client, &pool.paused()).await),
        format!(
            "{:?}",
            read(
                client,
                &pool.has_role(Role::Scheduler, account(&who::scheduler()))
            )
            .await
        ),
    ];
    for owner in [who::bob(), who::charlie()] {
        out.push(format!(
            "{:?}",
            read(client, &registry.get_provider_ids_by_owner(account(&owner))).await
        ));
    }
    for &epoch in epochs {
        out.push(format!(
            "{:?}",
            read(client, &pool.epoch_reward(epoch)).await
        ));
    }
    for (owner, id) in providers() {
        let (id, owner) = (pid(id), account(&owner));
        out.push(format!(
            "{:?}",
            read(client, &registry.get_provider(id.clone())).await
        ));
        out.push(format!(
            "{:?}",
            read(client, &registry.active(id.clone())).await
        ));
        out.push(format!(
            "{:?}",
            read(client, &pool.get_stake(id.clone())).await
        ));
        out.push(format!(
            "{:?}",
            read(client, &pool.stake_periods(id.clone())).await
        ));
        out.push(format!(
            "{:?}",
            read(client, &pool.pending_rewards_of(id.clone(), owner)).await
        ));
        out.push(format!(
            "{:?}",
            read(client, &pool.claimed_through_of(id.clone(), owner)).await
        ));
        for &epoch in epochs {
            out.push(format!(
                "{:?}",
                read(client, &pool.provider_shards(id.clone(), epoch)).await
            ));
        }
    }
    out
}

/// A message of the `upgrade-v2` builds, called by selector (the e2e crate links the v1 crates).
fn v2_message<Args, R>(
    contract: AccountId,
    input: ExecutionInput<Args>,
) -> ink_e2e::CallBuilderFinal<DefaultEnvironment, Args, R> {
    build_call::<DefaultEnvironment>()
        .call(contract)
        .exec_input(input)
        .returns::<R>()
}

/// `set_upgrade_note(note)`: owner only, stores `note` under `V2NT`.
fn set_upgrade_note<E>(
    contract: AccountId,
    note: u32,
) -> ink_e2e::CallBuilderFinal<
    DefaultEnvironment,
    ArgumentList<Argument<u32>, EmptyArgumentList>,
    Result<(), E>,
> {
    v2_message(
        contract,
        ExecutionInput::new(Selector::new(ink::selector_bytes!("set_upgrade_note"))).push_arg(note),
    )
}

/// `upgrade_note()`: the note under `V2NT` (0 if unset).
fn upgrade_note(
    contract: AccountId,
) -> ink_e2e::CallBuilderFinal<DefaultEnvironment, EmptyArgumentList, u32> {
    v2_message(
        contract,
        ExecutionInput::new(Selector::new(ink::selector_bytes!("upgrade_note"))),
    )
}

/// Whether `upgrade_note` answers at `contract` (it does in v2 only).
async fn has_upgrade_note(client: &mut E2EClient, contract: AccountId) -> bool {
    match client
        .call(&who::admin(), &upgrade_note(contract))
        .dry_run()
        .await
    {
        Ok(result) => result.message_result().is_ok(),
        Err(_) => false,
    }
}

/// Uploads the code of artifact `name` (a no-op if the chain has it) and returns its hash.
async fn code_hash(client: &mut E2EClient, name: &str) -> Hash {
    client
        .upload(name, &who::admin())
        .submit()
        .await
        .unwrap_or_else(|error| panic!("upload of {name}: {error:?}"))
        .code_hash
}

/// The owner moves the registry and the pool to `registry_code` and `pool_code`; nobody else
/// can.
async fn set_codes(client: &mut E2EClient, suite: &Suite, registry_code: Hash, pool_code: Hash) {
    let stranger = who::stranger();
    assert_rejected(
        client,
        &stranger,
        &suite.registry().set_code(registry_code),
        RegistryError::Access(AccessError::NotOwner),
    )
    .await;
    assert_rejected(
        client,
        &stranger,
        &suite.pool().set_code(pool_code),
        StakingError::Access(AccessError::NotOwner),
    )
    .await;
    let admin = who::admin();
    send(client, &admin, &suite.registry().set_code(registry_code)).await;
    send(client, &admin, &suite.pool().set_code(pool_code)).await;
}

/// `owner` claims everything `id` has earned so far and gets exactly its pending rewards.
async fn claim_all(client: &mut E2EClient, suite: &Suite, owner: &ink_e2e::Keypair, id: &str) {
    let pending = read(client, &suite.pool().pending_rewards(pid(id))).await;
    assert!(pending > 0, "{id} has rewards to claim");
    let last = read(client, &suite.pool().finalized_through()).await;
    let from = read(client, &suite.pool().claimed_through(pid(id))).await + 1;
    let before = balance_of(client, suite, account(owner)).await;
    let claimed = send(
        client,
        owner,
        &suite.pool().claim_rewards(pid(id), from, last),
    )
    .await;
    assert_eq!(returned(&claimed), Ok(pending));
    assert_eq!(
        balance_of(client, suite, account(owner)).await,
        before + pending
    );
}

/// `owner` unstakes `id` and gets its whole stake back.
async fn unstake(client: &mut E2EClient, suite: &Suite, owner: &ink_e2e::Keypair, id: &str) {
    let stake = suite.params.stake_amount;
    let before = balance_of(client, suite, account(owner)).await;
    let unstaked = send(client, owner, &suite.pool().unstake_provider(pid(id))).await;
    assert_eq!(returned(&unstaked), Ok(stake));
    assert_eq!(
        balance_of(client, suite, account(owner)).await,
        before + stake
    );
}

#[test]
fn registry_and_pool_upgrade_to_a_version_with_new_state_and_back() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (admin, bob, charlie) = (who::admin(), who::bob(), who::charlie());
        for (owner, id) in providers().into_iter().take(3) {
            active_provider(client, suite, &owner, id).await;
        }
        // Two reported epochs; bob claims the first for one provider before any upgrade.
        let first = current_epoch(client, suite).await;
        advance_to_epoch(client, suite, first + 1).await;
        let shards = [("peer-bob", 1), ("peer-bob-2", 2), ("peer-charlie", 3)];
        report_epoch(client, suite, first, 600 * FUNC, &shards).await;
        let second = current_epoch(client, suite).await;
        advance_to_epoch(client, suite, second + 1).await;
        report_epoch(client, suite, second, 1_200 * FUNC, &shards).await;
        advance_to_epoch(client, suite, second + suite.params.epoch_reward_delay).await;
        send(
            client,
            &bob,
            &suite.pool().claim_rewards(pid("peer-bob"), first, first),
        )
        .await;
        freeze_epochs(client, suite).await;
        let epochs = [first, second];
        let v1 = views(client, suite, &epochs).await;

        // v1 → v2: same answers, and the new message works for the owner only.
        let registry_v1 = code_hash(client, "provider_registry").await;
        let registry_v2 = code_hash(client, V2_REGISTRY).await;
        let pool_v2 = code_hash(client, V2_POOL).await;
        assert_ne!(registry_v1, registry_v2);
        assert_ne!(suite.staking_code_hash, pool_v2);
        assert!(!has_upgrade_note(client, suite.registry).await);
        set_codes(client, suite, registry_v2, pool_v2).await;
        assert_eq!(
            views(client, suite, &epochs).await,
            v1,
            "views after v1 → v2"
        );
        for contract in [suite.registry, suite.pool] {
            assert_eq!(read(client, &upgrade_note(contract)).await, 0);
        }
        assert_rejected(
            client,
            &who::stranger(),
            &set_upgrade_note(suite.registry, 1),
            RegistryError::Access(AccessError::NotOwner),
        )
        .await;
        assert_rejected(
            client,
            &who::stranger(),
            &set_upgrade_note(suite.pool, 1),
            StakingError::Access(AccessError::NotOwner),
        )
        .await;
        send(
            client,
            &admin,
            &set_upgrade_note::<RegistryError>(suite.registry, 7),
        )
        .await;
        send(
            client,
            &admin,
            &set_upgrade_note::<StakingError>(suite.pool, 11),
        )
        .await;
        assert_eq!(read(client, &upgrade_note(suite.registry)).await, 7);
        assert_eq!(read(client, &upgrade_note(suite.pool)).await, 11);

        // On v2, providers claim and unstake, and a new provider registers and stakes (the
        // registry → router → pool calls run on the new code).
        claim_all(client, suite, &bob, "peer-bob").await;
        claim_all(client, suite, &bob, "peer-bob-2").await;
        unstake(client, suite, &bob, "peer-bob-2").await;
        active_provider(client, suite, &charlie, "peer-charlie-2").await;
        let v2 = views(client, suite, &epochs).await;

        // v2 → v1: same answers again; the v2 message is gone.
        set_codes(client, suite, registry_v1, suite.staking_code_hash).await;
        assert_eq!(
            views(client, suite, &epochs).await,
            v2,
            "views after v2 → v1"
        );
        assert!(!has_upgrade_note(client, suite.registry).await);
        assert!(!has_upgrade_note(client, suite.pool).await);
        claim_all(client, suite, &charlie, "peer-charlie").await;
        unstake(client, suite, &charlie, "peer-charlie").await;
        unstake(client, suite, &bob, "peer-bob").await;
        assert_eq!(read(client, &suite.registry().provider_count()).await, 4);
        assert_eq!(
            read(client, &suite.pool().effective_staked_balance()).await,
            suite.params.stake_amount,
            "only peer-charlie-2 is still staked"
        );

        // v1 never touched the new item: upgraded again, it still holds what v2 wrote.
        set_codes(client, suite, registry_v2, pool_v2).await;
        assert_eq!(read(client, &upgrade_note(suite.registry)).await, 7);
        assert_eq!(read(client, &upgrade_note(suite.pool)).await, 11);
        Ok(ctx)
    })
}
