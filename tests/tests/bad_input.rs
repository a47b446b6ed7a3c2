//! Every bad input of the suite, sent as a real transaction: the named error comes back from
//! the dry-run, the transaction reverts, and balances and state are unchanged.
#![cfg(feature = "e2e-tests")]

use epoch_controller::EpochError;
use func_e2e::*;
use func_interfaces::{limits, RegistryError, RouterError, StakingError};
use psp22::PSP22Error;
use psp22::PSP22;

#[test]
fn registration_inputs_are_refused_with_named_errors() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let bob = who::bob();
        let admin = who::admin();
        register(client, suite, &bob, "taken", MODEL_ID).await;
        create_model(client, suite, 2, 10 * FUNC).await;
        send(client, &admin, &suite.router().disable_model(2)).await;
        let before = snapshot(client, suite).await;

        let long_id = vec![b'x'; limits::MAX_PROVIDER_ID_LEN + 1];
        let long_metadata = format!(r#"{{"url":"https://a.org","name":"{}"}}"#, "n".repeat(1024));
        let good = metadata("https://node.example.org");
        let cases: Vec<(ProviderId, ModelId, String, RegistryError)> = vec![
            (
                Vec::new(),
                MODEL_ID,
                good.clone(),
                RegistryError::EmptyProviderId,
            ),
            (
                long_id,
                MODEL_ID,
                good.clone(),
                RegistryError::ProviderIdTooLong,
            ),
            (
                pid("taken"),
                MODEL_ID,
                good.clone(),
                RegistryError::ProviderAlreadyRegistered,
            ),
            (
                pid("p"),
                MODEL_ID,
                "not json".into(),
                RegistryError::MetadataNotJson,
            ),
            (
                pid("p"),
                MODEL_ID,
                "{}".into(),
                RegistryError::MetadataMissingUrl,
            ),
            (
                pid("p"),
                MODEL_ID,
                r#"{"url":"ftp://a.org"}"#.into(),
                RegistryError::MetadataInvalidUrl,
            ),
            (
                pid("p"),
                MODEL_ID,
                r#"{"url":""}"#.into(),
                RegistryError::MetadataInvalidUrl,
            ),
            (
                pid("p"),
                MODEL_ID,
                r#"{"url":"https://"}"#.into(),
                RegistryError::MetadataInvalidUrl,
            ),
            (
                pid("p"),
                MODEL_ID,
                r#"{"url":"https://a.org","name":7}"#.into(),
                RegistryError::MetadataNameNotString,
            ),
            (
                pid("p"),
                MODEL_ID,
                long_metadata,
                RegistryError::MetadataTooLong,
            ),
            (pid("p"), 99, good.clone(), RegistryError::ModelNotFound),
            (pid("p"), 2, good.clone(), RegistryError::ModelDisabled),
        ];
        for (id, model_id, metadata, expected) in cases {
            assert_rejected(
                client,
                &bob,
                &suite
                    .registry()
                    .register(id.clone(), model_id, metadata.clone()),
                expected.clone(),
            )
            .await;
            assert_rejected(
                client,
                &bob,
                &suite.registry().register_and_stake(id, model_id, metadata),
                expected,
            )
            .await;
        }
        assert_rejected(
            client,
            &bob,
            &suite
                .registry()
                .update_metadata(pid("taken"), r#"{"url":"mailto:x"}"#.into()),
            RegistryError::MetadataInvalidUrl,
        )
        .await;
        assert_rejected(
            client,
            &who::charlie(),
            &suite.registry().update_metadata(pid("taken"), good.clone()),
            RegistryError::NotProviderOwner,
        )
        .await;
        assert_rejected(
            client,
            &bob,
            &suite.registry().update_metadata(pid("unknown"), good),
            RegistryError::ProviderNotFound,
        )
        .await;
        assert_eq!(snapshot(client, suite).await, before);
        Ok(ctx)
    })
}

#[test]
fn staking_inputs_are_refused_with_named_errors() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (bob, charlie, operator) = (who::bob(), who::charlie(), who::operator());
        let stake = suite.params.stake_amount;
        register(client, suite, &bob, "peer-bob", MODEL_ID).await;
        let before = snapshot(client, suite).await;

        // Not whitelisted.
        send(client, &bob, &suite.token().approve(suite.pool, stake)).await;
        assert_rejected(
            client,
            &bob,
            &suite.pool().stake_for_provider(pid("peer-bob")),
            StakingError::NotWhitelisted,
        )
        .await;
        // Jailed.
        whitelist(client, suite, &["peer-bob"]).await;
        send(
            client,
            &operator,
            &suite.registry().jail_for_epochs(pid("peer-bob"), 5),
        )
        .await;
        let until_epoch = read(client, &suite.registry().get_provider(pid("peer-bob")))
            .await
            .expect("registered")
            .jailed_until;
        assert_rejected(
            client,
            &bob,
            &suite.pool().stake_for_provider(pid("peer-bob")),
            StakingError::ProviderJailed { until_epoch },
        )
        .await;
        send(client, &operator, &suite.registry().unjail(pid("peer-bob"))).await;
        // Not the owner; unknown provider.
        assert_rejected(
            client,
            &charlie,
            &suite.pool().stake_for_provider(pid("peer-bob")),
            StakingError::NotProviderOwner,
        )
        .await;
        assert_rejected(
            client,
            &bob,
            &suite.pool().stake_for_provider(pid("nobody")),
            StakingError::ProviderNotFound,
        )
        .await;
        // Without allowance, then without balance.
        send(client, &bob, &suite.token().approve(suite.pool, stake - 1)).await;
        assert_rejected(
            client,
            &bob,
            &suite.pool().stake_for_provider(pid("peer-bob")),
            StakingError::Token(PSP22Error::InsufficientAllowance),
        )
        .await;
        let bob_funds = balance_of(client, suite, account(&bob)).await;
        send(client, &bob, &suite.token().approve(suite.pool, stake)).await;
        send(
            client,
            &bob,
            &suite
                .token()
                .transfer(account(&charlie), bob_funds - 1, Vec::new()),
        )
        .await;
        assert_rejected(
            client,
            &bob,
            &suite.pool().stake_for_provider(pid("peer-bob")),
            StakingError::Token(PSP22Error::InsufficientBalance),
        )
        .await;
        send(
            client,
            &charlie,
            &suite
                .token()
                .transfer(account(&bob), bob_funds - 1, Vec::new()),
        )
        .await;
        // A provider of another model in this pool.
        create_model(client, suite, 2, stake).await;
        register(client, suite, &charlie, "other-model", 2).await;
        whitelist(client, suite, &["other-model"]).await;
        assert_rejected(
            client,
            &charlie,
            &suite.pool().stake_for_provider(pid("other-model")),
            StakingError::WrongModel,
        )
        .await;
        // A disabled model.
        send(
            client,
            &who::admin(),
            &suite.router().disable_model(MODEL_ID),
        )
        .await;
        assert_rejected(
            client,
            &bob,
            &suite.pool().stake_for_provider(pid("peer-bob")),
            StakingError::ModelDisabled,
        )
        .await;
        send(
            client,
            &who::admin(),
            &suite.router().enable_model(MODEL_ID),
        )
        .await;

        let mut after = snapshot(client, suite).await;
        after.provider_count = before.provider_count;
        after.model_count = before.model_count;
        assert_eq!(after, before);
        Ok(ctx)
    })
}

#[test]
fn claim_and_report_inputs_are_refused_with_named_errors() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (bob, scheduler) = (who::bob(), who::scheduler());
        active_provider(client, suite, &bob, "peer-bob").await;
        // Every transaction seals a block: stretch the epochs so that the epoch under test
        // stays reportable for the whole test.
        let now = freeze_epochs(client, suite).await;
        let funding = suite.params.reward_funding;
        let before = snapshot(client, suite).await;

        // The scheduler's reports.
        let mut pool = suite.pool();
        let report_cases = [
            (now, 1, 1, StakingError::EpochNotEnded),
            (now + 100, 1, 1, StakingError::EpochNotEnded),
            (
                now - 1,
                funding + 1,
                1,
                StakingError::InsufficientRewardFunding { available: funding },
            ),
            (now - 1, 1, 0, StakingError::ShardsExceedTotal),
        ];
        for (epoch, total, shards, expected) in report_cases {
            assert_rejected(
                client,
                &scheduler,
                &pool.set_epoch_reward(epoch, total, shards),
                expected,
            )
            .await;
        }
        assert_rejected(
            client,
            &scheduler,
            &pool.record_provider_shards(now - 1, vec![(pid("peer-bob"), 1)]),
            StakingError::EpochRewardNotSet,
        )
        .await;
        assert_rejected(
            client,
            &scheduler,
            &pool.record_provider_shards(now - 1, Vec::new()),
            StakingError::InvalidBatchSize,
        )
        .await;
        let oversized = (0..=limits::MAX_BATCH_SIZE as u32)
            .map(|i| (i.to_be_bytes().to_vec(), 1))
            .collect();
        assert_rejected(
            client,
            &scheduler,
            &pool.record_provider_shards(now - 1, oversized),
            StakingError::InvalidBatchSize,
        )
        .await;
        send(
            client,
            &who::admin(),
            &pool.set_epoch_reward_hard_cap(10 * FUNC),
        )
        .await;
        assert_rejected(
            client,
            &scheduler,
            &pool.set_epoch_reward(now - 1, 10 * FUNC + 1, 1),
            StakingError::AboveHardCap {
                hard_cap: 10 * FUNC,
            },
        )
        .await;
        send(
            client,
            &scheduler,
            &pool.set_epoch_reward(now - 1, 10 * FUNC, 2),
        )
        .await;
        assert_rejected(
            client,
            &scheduler,
            &pool.record_provider_shards(now - 1, vec![(pid("peer-bob"), 3)]),
            StakingError::ShardsExceedTotal,
        )
        .await;
        assert_rejected(
            client,
            &scheduler,
            &pool.record_provider_shards(now - 1, vec![(pid("stranger"), 1)]),
            StakingError::NotStakedInEpoch {
                id: pid("stranger"),
                epoch: now - 1,
            },
        )
        .await;
        send(client, &scheduler, &pool.set_epoch_reward(now - 1, 0, 0)).await;

        // Claims.
        let claim_cases = [
            (0, 0, StakingError::InvalidEpochRange),
            (5, 4, StakingError::InvalidEpochRange),
            (
                1,
                now + 10,
                StakingError::EpochNotClaimable {
                    last_claimable_epoch: now.saturating_sub(suite.params.epoch_reward_delay),
                },
            ),
        ];
        for (from, to, expected) in claim_cases {
            assert_rejected(
                client,
                &bob,
                &pool.claim_rewards(pid("peer-bob"), from, to),
                expected,
            )
            .await;
        }
        assert_rejected(
            client,
            &who::charlie(),
            &pool.claim_rewards(pid("peer-bob"), 1, 1),
            StakingError::NotProviderOwner,
        )
        .await;

        // Funding and boosts.
        assert_rejected(
            client,
            &bob,
            &pool.fund_rewards(0),
            StakingError::ZeroAmount,
        )
        .await;
        assert_rejected(
            client,
            &bob,
            &pool.fund_rewards(1),
            StakingError::Token(PSP22Error::InsufficientAllowance),
        )
        .await;
        for (epochs, amount) in [
            (0, 10),
            (3, 10),
            (limits::MAX_BOOST_EPOCHS + 1, 1_000),
            (2, 0),
        ] {
            assert_rejected(
                client,
                &bob,
                &pool.boost_rewards_for_n_epochs(epochs, amount),
                StakingError::InvalidBoost,
            )
            .await;
        }
        send(
            client,
            &who::admin(),
            &pool.set_epoch_reward_hard_cap(u128::MAX),
        )
        .await;
        assert_eq!(snapshot(client, suite).await, before);
        Ok(ctx)
    })
}

#[test]
fn admin_inputs_out_of_bounds_are_refused_with_named_errors() {
    run(|mut ctx| async move {
        let Ctx { client, suite, .. } = &mut ctx;
        let (admin, operator) = (who::admin(), who::operator());
        register(client, suite, &who::bob(), "peer-bob", MODEL_ID).await;
        let before = snapshot(client, suite).await;
        let mut epoch = suite.epoch();

        let (min, max) = (limits::MIN_EPOCH_LENGTH, limits::MAX_EPOCH_LENGTH);
        for value in [min - 1, max + 1] {
            assert_rejected(
                client,
                &admin,
                &epoch.set_epoch_length(value),
                EpochError::EpochLengthOutOfBounds { min, max },
            )
            .await;
        }
        let (min, max) = (limits::MIN_EPOCHS_LOCKED, limits::MAX_EPOCHS_LOCKED);
        for value in [min - 1, max + 1] {
            assert_rejected(
                client,
                &admin,
                &epoch.set_min_epochs_locked(value),
                EpochError::MinEpochsLockedOutOfBounds { min, max },
            )
            .await;
        }
        let (min, max) = (limits::MIN_REWARD_DELAY, limits::MAX_REWARD_DELAY);
        for value in [min - 1, max + 1] {
            assert_rejected(
                client,
                &admin,
                &epoch.set_epoch_reward_delay(value),
                EpochError::RewardDelayOutOfBounds { min, max },
            )
            .await;
        }

        let mut router = suite.router();
        assert_rejected(
            client,
            &admin,
            &router.create_model(MODEL_ID, "again".into(), 1, 1, 1),
            RouterError::ModelAlreadyExists,
        )
        .await;
        assert_rejected(
            client,
            &admin,
            &router.create_model(7, String::new(), 1, 1, 1),
            RouterError::InvalidModelName,
        )
        .await;
        assert_rejected(
            client,
            &admin,
            &router.create_model(7, "x".repeat(65), 1, 1, 1),
            RouterError::InvalidModelName,
        )
        .await;
        assert_rejected(
            client,
            &admin,
            &router.create_model(7, "m".into(), 1, 1, 0),
            RouterError::ZeroStakeAmount,
        )
        .await;
        assert_rejected(
            client,
            &admin,
            &router.update_model_stake_requirement(99, 1),
            RouterError::ModelNotFound,
        )
        .await;
        assert_rejected(
            client,
            &admin,
            &router.enable_model(MODEL_ID),
            RouterError::ModelAlreadyEnabled,
        )
        .await;
        assert_rejected(
            client,
            &admin,
            &router.set_provider_registry(suite.registry),
            RouterError::RegistryAlreadySet,
        )
        .await;

        let mut registry = suite.registry();
        assert_rejected(
            client,
            &operator,
            &registry.whitelist(Vec::new()),
            RegistryError::InvalidBatchSize,
        )
        .await;
        let too_many = (0..=limits::MAX_BATCH_SIZE as u32)
            .map(|i| i.to_be_bytes().to_vec())
            .collect();
        assert_rejected(
            client,
            &operator,
            &registry.whitelist(too_many),
            RegistryError::InvalidBatchSize,
        )
        .await;
        assert_rejected(
            client,
            &operator,
            &registry.whitelist(vec![pid("peer-bob"), pid("ghost")]),
            RegistryError::ProviderNotFound,
        )
        .await;
        assert!(
            !read(client, &registry.whitelisted(pid("peer-bob"))).await,
            "a refused batch changes nothing"
        );
        assert_rejected(
            client,
            &operator,
            &registry.jail_for_epochs(pid("peer-bob"), 0),
            RegistryError::JailEpochsOutOfBounds,
        )
        .await;
        assert_rejected(
            client,
            &operator,
            &registry.jail_for_epochs(pid("peer-bob"), limits::MAX_JAIL_EPOCHS + 1),
            RegistryError::JailEpochsOutOfBounds,
        )
        .await;
        assert_rejected(
            client,
            &operator,
            &registry.unjail(pid("peer-bob")),
            RegistryError::NotJailed,
        )
        .await;
        assert_rejected(
            client,
            &who::bob(),
            &registry.reactivate(pid("peer-bob")),
            RegistryError::NotDeactivated,
        )
        .await;

        assert_eq!(snapshot(client, suite).await, before);
        Ok(ctx)
    })
}
