//! Shared helpers of the end-to-end suite: start a real `substrate-contracts-node`, deploy and
//! wire the whole suite, advance epochs on the instant-seal dev chain, read events, assert
//! rejected calls, and check the pool invariant after every test.
//!
//! The suite runs against the optimized release artifacts that `scripts/test.sh` builds with
//! `cargo contract build --release` (the code users deploy), found under
//! `$CARGO_TARGET_DIR/ink/<name>/<name>.wasm`.

use std::{fmt::Debug, future::Future, path::PathBuf};

use epoch_controller::epoch_controller::{EpochControllerContract, EpochControllerContractRef};
use func_interfaces::{limits, Role};
use func_token::func_token::{FuncToken, FuncTokenRef};
use ink::{
    codegen::ContractCallBuilder,
    env::{call::FromAccountId, DefaultEnvironment},
    primitives::{AccountId, Hash},
    scale::{Decode, Encode},
};
use ink_e2e::{
    subxt::{blocks::ExtrinsicEvents, dynamic::Value},
    CallBuilderFinal, CallResult, ChainBackend, Client, ContractsBackend, Keypair, PolkadotConfig,
    TestNodeProcess,
};
use model_router::model_router::{Router, RouterRef};
use provider_registry::provider_registry::{Registry, RegistryRef};
use provider_staking::provider_staking::ProviderStakingPool;
use psp22::PSP22;

pub use func_interfaces::{EpochId, ModelId, ProviderId};

pub type E2EResult<T> = Result<T, Box<dyn std::error::Error>>;
pub type E2EClient = Client<PolkadotConfig, DefaultEnvironment>;
pub type Events = ExtrinsicEvents<PolkadotConfig>;

/// One FUNC (18 decimals).
pub const FUNC: u128 = 1_000_000_000_000_000_000;
/// The model every test suite starts with.
pub const MODEL_ID: ModelId = 1;

/// The five contracts, by artifact name.
pub const CONTRACTS: [&str; 5] = [
    "func_token",
    "epoch_controller",
    "provider_staking",
    "model_router",
    "provider_registry",
];

/// The `upgrade-v2` test builds of the registry and the pool (a storage item under a new key
/// and two messages), which `scripts/lib.sh` (`build_upgrade_code`) saves as
/// `$CARGO_TARGET_DIR/ink/upgrade/<name>.wasm`.
pub const V2_REGISTRY: &str = "provider_registry_v2";
pub const V2_POOL: &str = "provider_staking_v2";

/// Deployment parameters; the defaults keep epochs short so tests stay fast.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub total_supply: u128,
    pub epoch_length: u32,
    pub min_epochs_locked: u32,
    pub epoch_reward_delay: u32,
    pub auto_whitelist: bool,
    pub stake_amount: u128,
    /// FUNC the deployer sends to each provider account (bob, charlie).
    pub provider_allowance: u128,
    /// FUNC the deployer funds the pool's rewards with.
    pub reward_funding: u128,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            total_supply: 1_000_000_000 * FUNC,
            epoch_length: 4,
            min_epochs_locked: 2,
            epoch_reward_delay: 2,
            auto_whitelist: false,
            stake_amount: 1_000 * FUNC,
            provider_allowance: 10_000 * FUNC,
            reward_funding: 100_000 * FUNC,
        }
    }
}

/// Addresses of a deployed and wired suite.
#[derive(Debug, Clone)]
pub struct Suite {
    pub params: Params,
    pub token: AccountId,
    pub epoch: AccountId,
    pub router: AccountId,
    pub registry: AccountId,
    /// The pool of [`MODEL_ID`].
    pub pool: AccountId,
    pub staking_code_hash: Hash,
    /// Every pool created so far; the invariant is checked on each.
    pub pools: Vec<AccountId>,
}

/// The accounts of the tests, by duty.
pub mod who {
    use ink_e2e::Keypair;

    /// Deployer and owner of every contract.
    pub fn admin() -> Keypair {
        ink_e2e::alice()
    }
    /// First provider owner.
    pub fn bob() -> Keypair {
        ink_e2e::bob()
    }
    /// Second provider owner.
    pub fn charlie() -> Keypair {
        ink_e2e::charlie()
    }
    /// Holds the scheduler role on the pool.
    pub fn scheduler() -> Keypair {
        ink_e2e::dave()
    }
    /// Holds the whitelister and pauser roles on the registry and the pool.
    pub fn operator() -> Keypair {
        ink_e2e::ferdie()
    }
    /// Holds no role and owns nothing: the wrong caller of every privileged message.
    pub fn stranger() -> Keypair {
        ink_e2e::eve()
    }
}

/// The `AccountId` of a key pair.
pub fn account(keypair: &Keypair) -> AccountId {
    AccountId::from(keypair.public_key().0)
}

/// A provider id from a string.
pub fn pid(id: &str) -> ProviderId {
    id.as_bytes().to_vec()
}

/// Valid metadata for a provider node.
pub fn metadata(url: &str) -> String {
    format!(r#"{{"url":"{url}","name":"node"}}"#)
}

/// A call builder of contract `C` at `account`.
pub fn at<C>(account: AccountId) -> <C as ContractCallBuilder>::Type
where
    C: ContractCallBuilder,
    <C as ContractCallBuilder>::Type: FromAccountId<DefaultEnvironment>,
{
    <<C as ContractCallBuilder>::Type as FromAccountId<DefaultEnvironment>>::from_account_id(
        account,
    )
}

impl Suite {
    pub fn token(&self) -> <FuncToken as ContractCallBuilder>::Type {
        at::<FuncToken>(self.token)
    }
    pub fn epoch(&self) -> <EpochControllerContract as ContractCallBuilder>::Type {
        at::<EpochControllerContract>(self.epoch)
    }
    pub fn router(&self) -> <Router as ContractCallBuilder>::Type {
        at::<Router>(self.router)
    }
    pub fn registry(&self) -> <Registry as ContractCallBuilder>::Type {
        at::<Registry>(self.registry)
    }
    pub fn pool(&self) -> <ProviderStakingPool as ContractCallBuilder>::Type {
        at::<ProviderStakingPool>(self.pool)
    }
    pub fn pool_at(&self, pool: AccountId) -> <ProviderStakingPool as ContractCallBuilder>::Type {
        at::<ProviderStakingPool>(pool)
    }
}

/// Paths of the release artifacts the node tests run against.
fn contract_artifacts() -> Vec<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let ink = target.join("ink");
    CONTRACTS
        .iter()
        .map(|name| ink.join(name).join(format!("{name}.wasm")))
        .chain([V2_REGISTRY, V2_POOL].map(|name| ink.join("upgrade").join(format!("{name}.wasm"))))
        .inspect(|wasm| {
            assert!(
                wasm.exists(),
                "{} is missing: build the contracts first (scripts/test.sh does: \
                 `cargo contract build --release --manifest-path contracts/<name>/Cargo.toml`)",
                wasm.display()
            )
        })
        .collect()
}

/// A running dev node, a client connected to it and the deployed suite. The node stops when
/// this is dropped.
pub struct Ctx {
    pub client: E2EClient,
    pub suite: Suite,
    _node: TestNodeProcess<PolkadotConfig>,
}

/// Runs one end-to-end test on a fresh node with a fresh suite deployed with `params`, then
/// checks the pool invariant on every pool.
pub fn run_with<F, Fut>(params: Params, test: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = E2EResult<Ctx>>,
{
    let runtime = ink_e2e::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let node = TestNodeProcess::<PolkadotConfig>::build_with_env_or_default()
            .spawn()
            .await
            .expect(
                "spawning substrate-contracts-node failed (is it on PATH or in CONTRACTS_NODE?)",
            );
        let mut client = E2EClient::new(node.rpc(), contract_artifacts())
            .await
            .expect("client");
        let suite = deploy(&mut client, params)
            .await
            .expect("deploying the suite failed");
        let ctx = Ctx {
            client,
            suite,
            _node: node,
        };
        let mut ctx = test(ctx).await.expect("test failed");
        let pools = ctx.suite.pools.clone();
        for pool in pools {
            assert_pool_invariant(&mut ctx, pool).await;
        }
    });
}

/// [`run_with`] the default parameters.
pub fn run<F, Fut>(test: F)
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = E2EResult<Ctx>>,
{
    run_with(Params::default(), test)
}

/// Submits `message` from `caller` and fails the test if it reverts.
pub async fn send<Args, R>(
    client: &mut E2EClient,
    caller: &Keypair,
    message: &CallBuilderFinal<DefaultEnvironment, Args, R>,
) -> CallResult<DefaultEnvironment, R, Events>
where
    Args: Encode + Clone + Sync + Send,
    R: Decode + Send,
{
    client
        .call(caller, message)
        .submit()
        .await
        .unwrap_or_else(|error| panic!("call failed: {error:?}"))
}

/// The value a submitted message returned (as its dry-run computed it).
pub fn returned<R: Decode>(result: &CallResult<DefaultEnvironment, R, Events>) -> R {
    result
        .message_result()
        .unwrap_or_else(|error| panic!("the message failed to dispatch: {error:?}"))
}

/// Reads `message` by dry-run.
pub async fn read<Args, R>(
    client: &mut E2EClient,
    message: &CallBuilderFinal<DefaultEnvironment, Args, R>,
) -> R
where
    Args: Encode + Clone + Sync + Send,
    R: Decode + Send,
{
    client
        .call(&who::admin(), message)
        .dry_run()
        .await
        .unwrap_or_else(|error| panic!("dry-run failed: {error:?}"))
        .return_value()
}

/// Asserts that `message` from `caller` is refused with `expected`: the dry-run returns it and
/// the submitted transaction reverts.
pub async fn assert_rejected<Args, T, Err>(
    client: &mut E2EClient,
    caller: &Keypair,
    message: &CallBuilderFinal<DefaultEnvironment, Args, Result<T, Err>>,
    expected: Err,
) where
    Args: Encode + Clone + Sync + Send,
    T: Decode + Send + Debug,
    Err: Decode + Send + Debug + PartialEq,
{
    let dry_run = client
        .call(caller, message)
        .dry_run()
        .await
        .unwrap_or_else(|error| panic!("dry-run failed: {error:?}"));
    assert!(
        dry_run.exec_return_value().did_revert(),
        "the dry-run should revert"
    );
    assert_eq!(dry_run.return_value().err(), Some(expected));
    let submitted = client.call(caller, message).submit().await;
    assert!(
        matches!(submitted, Err(ink_e2e::Error::CallExtrinsic(_))),
        "the transaction should revert, got {:?}",
        submitted.map(|_| ())
    );
}

/// The events of type `Ev` that `emitter` emitted in `result`'s transaction, in order.
pub fn events_of<Ev, R>(
    result: &CallResult<DefaultEnvironment, R, Events>,
    emitter: AccountId,
) -> Vec<Ev>
where
    Ev: ink::env::Event + Decode,
{
    let signature = <Ev as ink::env::Event>::SIGNATURE_TOPIC.map(ink_e2e::H256::from);
    result
        .contract_emitted_events()
        .expect("events")
        .into_iter()
        .filter(|event| {
            event.event.contract == emitter && event.topics.first() == signature.as_ref()
        })
        .map(|event| Ev::decode(&mut &event.event.data[..]).expect("event decodes"))
        .collect()
}

/// The one event of type `Ev` that `emitter` emitted in `result`'s transaction.
pub fn event_of<Ev, R>(result: &CallResult<DefaultEnvironment, R, Events>, emitter: AccountId) -> Ev
where
    Ev: ink::env::Event + Decode,
{
    let mut events = events_of::<Ev, R>(result, emitter);
    assert_eq!(
        events.len(),
        1,
        "expected exactly one {}",
        std::any::type_name::<Ev>()
    );
    events.remove(0)
}

/// Deploys the suite in dependency order and wires it: token → epoch controller → staking code
/// → router → registry → router.set_provider_registry → model [`MODEL_ID`] and its pool →
/// roles → FUNC for the providers → reward funding.
pub async fn deploy(client: &mut E2EClient, params: Params) -> E2EResult<Suite> {
    let admin = who::admin();
    let token = client
        .instantiate(
            "func_token",
            &admin,
            &mut FuncTokenRef::new(params.total_supply),
        )
        .submit()
        .await?
        .account_id;
    let epoch = client
        .instantiate(
            "epoch_controller",
            &admin,
            &mut EpochControllerContractRef::new(
                params.epoch_length,
                0,
                params.min_epochs_locked,
                params.epoch_reward_delay,
            ),
        )
        .submit()
        .await?
        .account_id;
    let staking_code_hash = client
        .upload("provider_staking", &admin)
        .submit()
        .await?
        .code_hash;
    let router = client
        .instantiate(
            "model_router",
            &admin,
            &mut RouterRef::new(token, epoch, staking_code_hash),
        )
        .submit()
        .await?
        .account_id;
    let registry = client
        .instantiate(
            "provider_registry",
            &admin,
            &mut RegistryRef::new(router, epoch, params.auto_whitelist),
        )
        .submit()
        .await?
        .account_id;
    let mut suite = Suite {
        params,
        token,
        epoch,
        router,
        registry,
        pool: AccountId::from([0; 32]),
        staking_code_hash,
        pools: Vec::new(),
    };
    send(
        client,
        &admin,
        &suite.router().set_provider_registry(registry),
    )
    .await;
    suite.pool = create_model(client, &mut suite, MODEL_ID, params.stake_amount).await;

    let operator = account(&who::operator());
    send(
        client,
        &admin,
        &suite.registry().grant_role(Role::Whitelister, operator),
    )
    .await;
    send(
        client,
        &admin,
        &suite.registry().grant_role(Role::Pauser, operator),
    )
    .await;
    send(
        client,
        &admin,
        &suite.pool().grant_role(Role::Pauser, operator),
    )
    .await;
    send(
        client,
        &admin,
        &suite
            .pool()
            .grant_role(Role::Scheduler, account(&who::scheduler())),
    )
    .await;

    for provider in [who::bob(), who::charlie()] {
        send(
            client,
            &admin,
            &suite
                .token()
                .transfer(account(&provider), params.provider_allowance, Vec::new()),
        )
        .await;
    }
    if params.reward_funding > 0 {
        fund_rewards(client, &suite, suite.pool, params.reward_funding).await;
    }
    Ok(suite)
}

/// Creates a model with its pool (as the admin) and returns the pool's address.
pub async fn create_model(
    client: &mut E2EClient,
    suite: &mut Suite,
    model_id: ModelId,
    stake_amount: u128,
) -> AccountId {
    let admin = who::admin();
    send(
        client,
        &admin,
        &suite.router().create_model(
            model_id,
            format!("model-{model_id}"),
            8,
            1_000,
            stake_amount,
        ),
    )
    .await;
    let pool = read(client, &suite.router().provider_staking(model_id))
        .await
        .expect("the model has a pool");
    suite.pools.push(pool);
    pool
}

/// The admin approves `pool` and funds its rewards with `amount`.
pub async fn fund_rewards(client: &mut E2EClient, suite: &Suite, pool: AccountId, amount: u128) {
    let admin = who::admin();
    send(client, &admin, &suite.token().approve(pool, amount)).await;
    send(client, &admin, &suite.pool_at(pool).fund_rewards(amount)).await;
}

/// FUNC balance of `owner`.
pub async fn balance_of(client: &mut E2EClient, suite: &Suite, owner: AccountId) -> u128 {
    read(client, &suite.token().balance_of(owner)).await
}

/// The current epoch as a dry-run on the best block sees it.
pub async fn current_epoch(client: &mut E2EClient, suite: &Suite) -> EpochId {
    read(client, &suite.epoch().current_epoch()).await
}

/// Produces `blocks` blocks (one `System::remark` each; the dev chain seals a block per
/// transaction).
pub async fn advance_blocks(client: &mut E2EClient, blocks: u32) {
    let admin = who::admin();
    for _ in 0..blocks {
        client
            .runtime_call(&admin, "System", "remark", vec![Value::from_bytes(b"tick")])
            .await
            .expect("remark");
    }
}

/// Produces blocks until the current epoch is at least `epoch`.
pub async fn advance_to_epoch(client: &mut E2EClient, suite: &Suite, epoch: EpochId) {
    while current_epoch(client, suite).await < epoch {
        advance_blocks(client, 1).await;
    }
}

/// Makes epochs [`LONG_EPOCH`] blocks long from the next boundary on and advances to that
/// boundary: the previous epoch has ended and the current one outlasts any test. Returns the
/// current epoch.
pub async fn freeze_epochs(client: &mut E2EClient, suite: &Suite) -> EpochId {
    send(
        client,
        &who::admin(),
        &suite.epoch().set_epoch_length(LONG_EPOCH),
    )
    .await;
    let next = current_epoch(client, suite).await + 1;
    advance_to_epoch(client, suite, next).await;
    next
}

/// Epoch length used by [`freeze_epochs`].
pub const LONG_EPOCH: u32 = 10_000;

/// Registers `id` for `model_id` as `owner` (steps 1A, first call).
pub async fn register(
    client: &mut E2EClient,
    suite: &Suite,
    owner: &Keypair,
    id: &str,
    model_id: ModelId,
) -> CallResult<DefaultEnvironment, Result<(), func_interfaces::RegistryError>, Events> {
    send(
        client,
        owner,
        &suite.registry().register(
            pid(id),
            model_id,
            metadata(&format!("https://{id}.example.org")),
        ),
    )
    .await
}

/// Whitelists `ids` as the operator.
pub async fn whitelist(client: &mut E2EClient, suite: &Suite, ids: &[&str]) {
    let ids = ids.iter().map(|id| pid(id)).collect();
    send(client, &who::operator(), &suite.registry().whitelist(ids)).await;
}

/// `owner` approves `pool` for `amount` and stakes `id` there (steps 1A, second call).
pub async fn approve_and_stake(
    client: &mut E2EClient,
    suite: &Suite,
    owner: &Keypair,
    pool: AccountId,
    id: &str,
) -> CallResult<DefaultEnvironment, Result<u128, func_interfaces::StakingError>, Events> {
    let amount = suite.params.stake_amount;
    send(client, owner, &suite.token().approve(pool, amount)).await;
    send(
        client,
        owner,
        &suite.pool_at(pool).stake_for_provider(pid(id)),
    )
    .await
}

/// Registers, whitelists and stakes `id` for [`MODEL_ID`]: an active provider.
pub async fn active_provider(client: &mut E2EClient, suite: &Suite, owner: &Keypair, id: &str) {
    register(client, suite, owner, id, MODEL_ID).await;
    whitelist(client, suite, &[id]).await;
    approve_and_stake(client, suite, owner, suite.pool, id).await;
}

/// As the scheduler: closes the earlier epochs the test left unreported (claims never pass
/// an unreported epoch in which the pool held stake), sets `epoch`'s reward `total` and
/// reports `shards` per provider, with the epoch's total shards equal to their sum.
pub async fn report_epoch(
    client: &mut E2EClient,
    suite: &Suite,
    epoch: EpochId,
    total: u128,
    shards: &[(&str, u64)],
) {
    let scheduler = who::scheduler();
    close_gaps_before(client, suite, epoch).await;
    let total_shards = shards.iter().map(|(_, s)| s).sum();
    send(
        client,
        &scheduler,
        &suite.pool().set_epoch_reward(epoch, total, total_shards),
    )
    .await;
    let batch = shards.iter().map(|(id, s)| (pid(id), *s)).collect();
    send(
        client,
        &scheduler,
        &suite.pool().record_provider_shards(epoch, batch),
    )
    .await;
}

/// As the scheduler: closes every ended epoch before `epoch` that the test left unreported
/// (`close_unreported_epochs`), as a scheduler with no data for them would: claims never pass
/// an unreported epoch in which the pool held stake.
pub async fn close_gaps_before(client: &mut E2EClient, suite: &Suite, epoch: EpochId) {
    let reported_through = read(client, &suite.pool().reported_through()).await;
    if reported_through.saturating_add(1) < epoch {
        send(
            client,
            &who::scheduler(),
            &suite.pool().close_unreported_epochs(epoch - 1),
        )
        .await;
    }
}

/// What a rejected call must leave untouched.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub balances: Vec<u128>,
    pub pool_funding: (u128, u128),
    pub effective_staked: u128,
    pub provider_count: u32,
    pub model_count: u32,
}

/// Balances of every test account and the pool, and the suite's counters.
pub async fn snapshot(client: &mut E2EClient, suite: &Suite) -> Snapshot {
    let mut balances = Vec::new();
    let holders = [
        account(&who::admin()),
        account(&who::bob()),
        account(&who::charlie()),
        account(&who::scheduler()),
        account(&who::operator()),
        account(&who::stranger()),
        suite.pool,
    ];
    for holder in holders {
        balances.push(balance_of(client, suite, holder).await);
    }
    let funding = read(client, &suite.pool().reward_funding()).await;
    Snapshot {
        balances,
        pool_funding: (funding.balance, funding.reserved),
        effective_staked: read(client, &suite.pool().effective_staked_balance()).await,
        provider_count: read(client, &suite.registry().provider_count()).await,
        model_count: read(client, &suite.router().model_count()).await,
    }
}

/// The pool holds exactly its stakes plus its unpaid reward funds plus the excess FUNC sent to
/// it outside staking and funding, and never promised more than it holds: pool FUNC ≥ stakes +
/// reserved rewards.
pub async fn assert_pool_covers(client: &mut E2EClient, suite: &Suite, pool: AccountId) {
    let held = balance_of(client, suite, pool).await;
    let staked = read(client, &suite.pool_at(pool).effective_staked_balance()).await;
    let funding = read(client, &suite.pool_at(pool).reward_funding()).await;
    let excess = read(client, &suite.pool_at(pool).excess_funds()).await;
    assert_eq!(
        held,
        staked + funding.balance + excess,
        "pool FUNC = stakes + unclaimed funded rewards + excess"
    );
    assert!(
        funding.reserved <= funding.balance,
        "promised rewards are covered"
    );
    assert!(
        held >= staked + funding.reserved,
        "pool FUNC >= stakes + reserved rewards"
    );
}

/// [`assert_pool_covers`] at the end of a test.
pub async fn assert_pool_invariant(ctx: &mut Ctx, pool: AccountId) {
    let Ctx { client, suite, .. } = ctx;
    assert_pool_covers(client, suite, pool).await;
}

/// The largest number of providers one owner may hold (bounds cluster operations).
pub const MAX_PROVIDERS_PER_OWNER: u32 = limits::MAX_PROVIDERS_PER_OWNER;
