//! Every privileged message called by the wrong account fails and changes nothing; ownership
//! moves in two steps; `set_code` upgrades keep state and are refused to anyone but the owner.
#![cfg(feature = "e2e-tests")]

use epoch_controller::EpochError;
use func_e2e::*;
use func_interfaces::{
    access::CodeUpgraded, AccessError, ProviderStaking, ProviderView, RegistryError, Role,
    RouterError, StakingError,
};
use ink::primitives::Hash;
use ink_e2e::ContractsBackend;

const NOT_OWNER: AccessError = AccessError::NotOwner;

#[test]
fn privileged_messages_refuse_every_wrong_caller() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let stranger = who::stranger();
        let me = account(&stranger);
        let code = Hash::from([7; 32]);
        active_provider(client, suite, &who::bob(), "peer-bob").await;
        let before = snapshot(client, suite).await;

        // epoch_controller: owner only.
        let mut epoch = suite.epoch();
        let owner_only = EpochError::Access(NOT_OWNER);
        assert_rejected(client, &stranger, &epoch.set_epoch_length(10), owner_only).await;
        assert_rejected(
            client,
            &stranger,
            &epoch.set_min_epochs_locked(3),
            owner_only,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &epoch.set_epoch_reward_delay(3),
            owner_only,
        )
        .await;
        assert_rejected(client, &stranger, &epoch.transfer_ownership(me), owner_only).await;
        assert_rejected(client, &stranger, &epoch.set_code(code), owner_only).await;
        assert_rejected(
            client,
            &stranger,
            &epoch.accept_ownership(),
            EpochError::Access(AccessError::NotPendingOwner),
        )
        .await;

        // model_router: owner, or the model creator role.
        let mut router = suite.router();
        let owner_only = RouterError::Access(NOT_OWNER);
        let creator_only = RouterError::Access(AccessError::MissingRole(Role::ModelCreator));
        assert_rejected(
            client,
            &stranger,
            &router.set_provider_registry(me),
            owner_only,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &router.set_staking_code_hash(code),
            owner_only,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &router.grant_role(Role::ModelCreator, me),
            owner_only,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &router.revoke_role(Role::ModelCreator, me),
            owner_only,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &router.transfer_ownership(me),
            owner_only,
        )
        .await;
        assert_rejected(client, &stranger, &router.set_code(code), owner_only).await;
        assert_rejected(
            client,
            &stranger,
            &router.create_model(5, "m".into(), 1, 1, 1),
            creator_only,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &router.disable_model(MODEL_ID),
            creator_only,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &router.enable_model(MODEL_ID),
            creator_only,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &router.update_model(MODEL_ID, "m".into(), 1, 1),
            creator_only,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &router.update_model_stake_requirement(MODEL_ID, 1),
            creator_only,
        )
        .await;

        // provider_registry: owner, whitelister, pauser, provider owner.
        let mut registry = suite.registry();
        let owner_only = RegistryError::Access(NOT_OWNER);
        let whitelister_only = RegistryError::Access(AccessError::MissingRole(Role::Whitelister));
        let pauser_only = RegistryError::Access(AccessError::MissingRole(Role::Pauser));
        assert_rejected(
            client,
            &stranger,
            &registry.toggle_automatic_whitelist(),
            owner_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &registry.grant_role(Role::Whitelister, me),
            owner_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &registry.revoke_role(Role::Whitelister, me),
            owner_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &registry.transfer_ownership(me),
            owner_only.clone(),
        )
        .await;
        assert_rejected(client, &stranger, &registry.set_code(code), owner_only).await;
        assert_rejected(
            client,
            &stranger,
            &registry.whitelist(vec![pid("peer-bob")]),
            whitelister_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &registry.remove_from_whitelist(vec![pid("peer-bob")]),
            whitelister_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &registry.jail_for_epochs(pid("peer-bob"), 1),
            whitelister_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &registry.unjail(pid("peer-bob")),
            whitelister_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &registry.release_provider(pid("peer-bob")),
            whitelister_only,
        )
        .await;
        assert_rejected(client, &stranger, &registry.pause(), pauser_only.clone()).await;
        assert_rejected(client, &stranger, &registry.unpause(), pauser_only).await;
        let not_yours = RegistryError::NotProviderOwner;
        assert_rejected(
            client,
            &stranger,
            &registry.deactivate(pid("peer-bob")),
            not_yours.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &registry.reactivate(pid("peer-bob")),
            not_yours.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &registry.deregister(pid("peer-bob")),
            not_yours.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &registry.update_metadata(pid("peer-bob"), metadata("https://evil.example")),
            not_yours,
        )
        .await;

        // provider_staking: owner, scheduler, pauser, registry, provider owner.
        let mut pool = suite.pool();
        let owner_only = StakingError::Access(NOT_OWNER);
        let scheduler_only = StakingError::Access(AccessError::MissingRole(Role::Scheduler));
        let pauser_only = StakingError::Access(AccessError::MissingRole(Role::Pauser));
        assert_rejected(
            client,
            &stranger,
            &pool.set_epoch_reward_hard_cap(1),
            owner_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &pool.grant_role(Role::Scheduler, me),
            owner_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &pool.revoke_role(Role::Scheduler, me),
            owner_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &pool.transfer_ownership(me),
            owner_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &pool.withdraw_unreserved(me, 1),
            owner_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &pool.withdraw_excess(me, 1),
            owner_only.clone(),
        )
        .await;
        assert_rejected(client, &stranger, &pool.set_code(code), owner_only).await;
        assert_rejected(
            client,
            &stranger,
            &pool.set_epoch_reward(1, 0, 0),
            scheduler_only.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &pool.record_provider_shards(1, vec![(pid("peer-bob"), 1)]),
            scheduler_only,
        )
        .await;
        assert_rejected(client, &stranger, &pool.pause(), pauser_only.clone()).await;
        assert_rejected(client, &stranger, &pool.unpause(), pauser_only).await;
        let view = ProviderView {
            owner: me,
            model_id: MODEL_ID,
            whitelisted: true,
            jailed_until: 0,
            deactivated: false,
        };
        assert_rejected(
            client,
            &stranger,
            &pool.stake_for_registered(pid("peer-bob"), view),
            StakingError::NotRegistry,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &pool.claim_cluster_for_registered(me, vec![(pid("peer-bob"), view)], 1, 1),
            StakingError::NotRegistry,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &pool.unstake_cluster_for_registered(me, vec![(pid("peer-bob"), view)]),
            StakingError::NotRegistry,
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &pool.release_for_registered(pid("peer-bob"), view),
            StakingError::NotRegistry,
        )
        .await;
        let not_yours = StakingError::NotProviderOwner;
        assert_rejected(
            client,
            &stranger,
            &pool.unstake_provider(pid("peer-bob")),
            not_yours.clone(),
        )
        .await;
        assert_rejected(
            client,
            &stranger,
            &pool.claim_rewards(pid("peer-bob"), 1, 1),
            not_yours,
        )
        .await;

        // The scheduler role does not make an owner, nor the other way round for roles.
        assert_rejected(
            client,
            &who::scheduler(),
            &pool.set_epoch_reward_hard_cap(1),
            StakingError::Access(NOT_OWNER),
        )
        .await;
        assert_rejected(
            client,
            &who::operator(),
            &suite.pool().set_epoch_reward(1, 0, 0),
            StakingError::Access(AccessError::MissingRole(Role::Scheduler)),
        )
        .await;

        assert_eq!(snapshot(client, suite).await, before);
        assert!(read(client, &suite.registry().active(pid("peer-bob"))).await);
        Ok(ctx)
    })
}

#[test]
fn ownership_moves_in_two_steps_and_roles_follow_the_owner() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (admin, bob, stranger) = (who::admin(), who::bob(), who::stranger());
        send(
            client,
            &admin,
            &suite.registry().transfer_ownership(account(&bob)),
        )
        .await;
        assert_eq!(
            read(client, &suite.registry().owner()).await,
            account(&admin)
        );
        assert_rejected(
            client,
            &stranger,
            &suite.registry().accept_ownership(),
            RegistryError::Access(AccessError::NotPendingOwner),
        )
        .await;
        send(client, &bob, &suite.registry().accept_ownership()).await;
        assert_eq!(read(client, &suite.registry().owner()).await, account(&bob));
        assert_rejected(
            client,
            &admin,
            &suite.registry().toggle_automatic_whitelist(),
            RegistryError::Access(NOT_OWNER),
        )
        .await;
        send(
            client,
            &bob,
            &suite
                .registry()
                .grant_role(Role::Whitelister, account(&stranger)),
        )
        .await;
        assert!(
            read(
                client,
                &suite
                    .registry()
                    .has_role(Role::Whitelister, account(&stranger))
            )
            .await
        );
        send(
            client,
            &bob,
            &suite
                .registry()
                .revoke_role(Role::Whitelister, account(&stranger)),
        )
        .await;
        assert!(
            !read(
                client,
                &suite
                    .registry()
                    .has_role(Role::Whitelister, account(&stranger))
            )
            .await
        );
        Ok(ctx)
    })
}

#[test]
fn set_code_keeps_state_and_is_refused_to_non_owners() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (admin, bob) = (who::admin(), who::bob());
        active_provider(client, suite, &bob, "peer-bob").await;
        register(client, suite, &who::charlie(), "peer-charlie", MODEL_ID).await;
        let provider = read(client, &suite.registry().get_provider(pid("peer-bob"))).await;

        // A new code for the registry (its `upgrade-v2` build: same items plus one under a new key).
        let new_code = client
            .upload(V2_REGISTRY, &admin)
            .submit()
            .await
            .expect("upload of the new registry code")
            .code_hash;
        assert_rejected(
            client,
            &who::stranger(),
            &suite.registry().set_code(new_code),
            RegistryError::Access(NOT_OWNER),
        )
        .await;
        let upgraded = send(client, &admin, &suite.registry().set_code(new_code)).await;
        let event: CodeUpgraded = event_of(&upgraded, suite.registry);
        assert_eq!(event.code_hash, new_code);
        assert_eq!(event.by, account(&admin));

        // State survives: providers, indexes, roles, and the calls between contracts.
        assert_eq!(
            read(client, &suite.registry().get_provider(pid("peer-bob"))).await,
            provider
        );
        assert_eq!(read(client, &suite.registry().provider_count()).await, 2);
        assert_eq!(
            read(
                client,
                &suite.registry().get_provider_ids_by_owner(account(&bob))
            )
            .await,
            vec![pid("peer-bob")]
        );
        assert!(read(client, &suite.registry().active(pid("peer-bob"))).await);
        assert!(
            read(
                client,
                &suite
                    .registry()
                    .has_role(Role::Whitelister, account(&who::operator()))
            )
            .await
        );
        register(client, suite, &bob, "peer-bob-2", MODEL_ID).await;
        assert_eq!(read(client, &suite.registry().provider_count()).await, 3);

        // The pool upgrades the same way and keeps its stakes.
        let staked = read(client, &suite.pool().effective_staked_balance()).await;
        assert_rejected(
            client,
            &who::stranger(),
            &suite.pool().set_code(suite.staking_code_hash),
            StakingError::Access(NOT_OWNER),
        )
        .await;
        send(
            client,
            &admin,
            &suite.pool().set_code(suite.staking_code_hash),
        )
        .await;
        assert_eq!(
            read(client, &suite.pool().effective_staked_balance()).await,
            staked
        );

        // An unknown code hash is a named error, not a trap.
        assert_rejected(
            client,
            &admin,
            &suite.registry().set_code(Hash::from([9; 32])),
            RegistryError::Access(AccessError::CodeUpgradeFailed),
        )
        .await;
        Ok(ctx)
    })
}
