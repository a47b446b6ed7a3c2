//! Benchmarks of the FUNC contracts on a real `substrate-contracts-node` (run by
//! `scripts/bench.sh`, which first builds the release artifacts and the reference PSP22):
//!
//! ```text
//! cargo run -p func_e2e --example bench --features e2e-tests
//! ```
//!
//! One fresh dev node; the suite is deployed from the release artifacts in
//! `$CARGO_TARGET_DIR/ink/<name>/<name>.wasm` and the reference PSP22 (crate `psp22` 2.0.0) from
//! `$CARGO_TARGET_DIR/ink/psp22/psp22.wasm`. Every figure is a dry-run of the message in the
//! state the benchmark builds: `ref_time` and `proof_size` (`gas_consumed`) and the storage
//! deposit (charge positive, refund negative). The program prints a table (each figure also as
//! a share of the node's block `ref_time`), writes `$CARGO_TARGET_DIR/bench/results.json`, and
//! checks the targets, printing PASS or MISS without failing the run.
//!
//! The claim ledger is benchmarked over 1, 10, 100 and 1,000 rewarded epochs: epochs last the
//! minimum 2 blocks, the scheduler reports one provider in every epoch (2 transactions, i.e. 2
//! blocks on the instant-seal chain), and each claim is dry-run when its k-th rewarded epoch
//! has just become claimable, so every claim sees the same steady state. Each claim is
//! measured from epoch 1 (the first unclaimed epoch: the usual claim) and from the provider's
//! first rewarded epoch, which adds the gap check (a binary search of the ledger).
//! `provider_staking.reward_report[<n> providers]` is the sum of the scheduler's two
//! transactions, `set_epoch_reward` and `record_provider_shards`.
//!
//! Issue 12 (every message fits a real chain's block at its bound): `proof_size` is also shown
//! as a share of a 6.5 MiB extrinsic (the proof one normal extrinsic may use under a 10 MiB
//! PoV); every message is measured at its documented bound (`limits.rs`: `MAX_BATCH_SIZE` for
//! whitelists and reports, `MAX_PROVIDERS_PER_OWNER` for cluster operations, `MAX_PAGE_SIZE`
//! for pages, `MAX_CLUSTER_POOLS_PER_CALL` for an owner's providers spread over models, on a
//! second suite with longer epochs); the targets of the issue are printed PASS or MISS (never
//! failing the run), next to the marginal cost of a provider in a whitelist and in a report
//! (from batches of 10 and `MAX_BATCH_SIZE`).

use std::{
    fmt::Debug,
    path::{Path, PathBuf},
    time::Instant,
};

use func_e2e::*;
use func_interfaces::limits::{
    MAX_BATCH_SIZE, MAX_BOOST_EPOCHS, MAX_CLUSTER_POOLS_PER_CALL, MAX_PAGE_SIZE,
    MAX_PROVIDERS_PER_OWNER, MAX_REWARD_DELAY, MIN_EPOCH_LENGTH,
};
use func_token::func_token::{FuncToken, FuncTokenRef};
use ink::{
    env::{
        call::{build_create, ExecutionInput, Selector},
        DefaultEnvironment,
    },
    primitives::AccountId,
    scale::{Decode, Encode},
};
use ink_e2e::{
    subxt::{
        backend::rpc::RpcParams,
        dynamic::{At, Value},
    },
    CallBuilderFinal, CallDryRunResult, CallResult, ChainBackend, ContractsBackend, Keypair,
    PolkadotConfig, TestNodeProcess,
};
use provider_registry::provider_registry::Registry;
use psp22::PSP22;
use serde_json::{json, Map};

/// Artifact name (file stem) of the reference PSP22 that `scripts/bench.sh` builds.
const REFERENCE: &str = "psp22";
/// Name of the reference PSP22 in the results.
const REFERENCE_LABEL: &str = "psp22_reference";
/// Epochs before an epoch's rewards are claimable. Above the minimum (2) so that a report
/// may land in any of the three epochs after the reported one: the transactions of a report
/// (`set_epoch_reward`, then `record_provider_shards` per `MAX_BATCH_SIZE` chunk: three for the
/// batch epoch's 43 providers) never miss their window, whichever block they land in.
const REWARD_DELAY: u32 = 4;
/// Claims are measured over this many rewarded epochs.
const CLAIM_CHECKPOINTS: [usize; 4] = [1, 10, 100, 1_000];
/// The single-provider report is measured from this report of the claim loop on (steady
/// state), at the first report whose transactions ran in the epoch of their dry-run.
const MEASURED_REPORT: usize = 10;
/// Native balance given to each benchmark account (12 decimals: 1,000 units).
const NATIVE_FUNDING: u128 = 1_000_000_000_000_000;
/// Extra gas given to the scheduler's transactions over their dry-run. A dry-run executes on
/// the best block while the transaction executes in the next one; when that block starts an
/// epoch, `record_provider_shards` also folds the epoch that just became final into the
/// provider's ledger, which the dry-run did not see. Without a margin half of the claim loop's
/// reports failed with `Contracts::OutOfGas`.
const GAS_MARGIN_PERCENT: u64 = 100;
/// Largest optimized Wasm a contract may have.
const MAX_CODE_SIZE: u64 = 64 * 1024;
/// Proof one normal extrinsic may use on a chain with a 10 MiB PoV (the Polkadot relay's
/// limit; issue 12): 6.5 MiB. The dev node does not enforce proof_size; the table shows each
/// figure as a share of it.
const EXTRINSIC_PROOF_SIZE: u64 = 6_815_744;
/// Issue 12's proof_size target for every message at its bound: 1.0 MB.
const PROOF_TARGET: u64 = 1_000_000;
/// Issue 12's ref_time target for `claim_rewards_cluster` over the per-owner maximum of
/// providers of one model: 30 G.
const CLUSTER_REF_TIME_TARGET: u64 = 30_000_000_000;
/// Epoch length of the second suite that measures the spread of one owner's providers over
/// models: long enough for every pool's report to land in one report window.
const SPREAD_EPOCH_LENGTH: u32 = 16;
/// Models besides [`MODEL_ID`] on the second suite: an owner's providers spread one per model
/// over all of them (more than `MAX_CLUSTER_POOLS_PER_CALL` pools: several pages), and
/// `MAX_PROVIDERS_PER_OWNER` providers round-robin over these.
const SPREAD_MODELS: u32 = 8;
/// Single-provider messages as measured when issue 12 was filed (README, 2026-11-25; ref_time,
/// proof_size in bytes, both rounded to the digits printed there): none may be heavier now.
const BEFORE_ISSUE_12: [(&str, u64, u64); 13] = [
    ("func_token.transfer[new holder]", 1_195_000_000, 83_100),
    (
        "func_token.transfer[existing holder]",
        1_195_000_000,
        83_100,
    ),
    ("func_token.approve[new allowance]", 889_000_000, 52_300),
    (
        "func_token.transfer_from[existing holder]",
        1_831_000_000,
        112_100,
    ),
    (
        "provider_registry.register[new provider]",
        3_331_000_000,
        244_400,
    ),
    (
        "provider_registry.register_and_stake[auto whitelist]",
        8_574_000_000,
        565_500,
    ),
    (
        "provider_registry.update_metadata[same length]",
        1_043_000_000,
        96_200,
    ),
    ("provider_registry.whitelist[1 id]", 1_071_000_000, 106_500),
    (
        "provider_staking.stake_for_provider[first stake]",
        5_347_000_000,
        384_700,
    ),
    (
        "provider_staking.unstake_provider[whole stake]",
        3_872_000_000,
        288_200,
    ),
    (
        "provider_staking.reward_report[1 provider]",
        4_192_000_000,
        388_500,
    ),
    (
        "provider_staking.claim_rewards[1 epoch]",
        4_097_000_000,
        319_000,
    ),
    (
        "provider_staking.claim_rewards[1000 epochs]",
        4_097_000_000,
        319_000,
    ),
];
/// Half a unit of the last printed digit of [`BEFORE_ISSUE_12`] (0.001 G, 0.1 KB).
const BEFORE_ROUNDING: (u64, u64) = (500_000, 50);

// ---------------------------------------------------------------------------------------------
// Figures

/// What a dry-run consumed.
#[derive(Debug, Clone, Copy)]
struct Figure {
    ref_time: u64,
    proof_size: u64,
    /// Charge positive, refund negative (native token, smallest unit).
    storage_deposit: i128,
}

impl Figure {
    fn plus(self, other: Figure) -> Figure {
        Figure {
            ref_time: self.ref_time + other.ref_time,
            proof_size: self.proof_size + other.proof_size,
            storage_deposit: self.storage_deposit + other.storage_deposit,
        }
    }
}

/// The node's limits and identity.
#[derive(Debug, Default)]
struct NodeInfo {
    name: String,
    version: String,
    chain: String,
    spec_name: String,
    spec_version: u32,
    max_block_ref_time: u64,
    max_block_proof_size: u64,
    normal_max_extrinsic_ref_time: Option<u64>,
    normal_max_total_ref_time: Option<u64>,
    deposit_per_item: Option<u128>,
    deposit_per_byte: Option<u128>,
    token_decimals: Option<u32>,
    token_symbol: Option<String>,
}

/// Collects figures in measuring order, and whatever went wrong.
#[derive(Default)]
struct Recorder {
    figures: Vec<(String, Figure)>,
    issues: Vec<String>,
}

impl Recorder {
    fn issue(&mut self, issue: String) {
        eprintln!("    ISSUE: {issue}");
        self.issues.push(issue);
    }

    fn get(&self, key: &str) -> Option<Figure> {
        self.figures
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, figure)| *figure)
    }

    fn push(&mut self, key: &str, figure: Figure) {
        eprintln!(
            "    {key}: {} ref_time, {} proof, deposit {}",
            giga(figure.ref_time),
            kilo(figure.proof_size),
            figure.storage_deposit
        );
        self.figures.push((key.to_owned(), figure));
    }

    /// Records under `key` the sum of the figures of `a` and `b` (both measured).
    fn sum(&mut self, key: &str, a: &str, b: &str) {
        if let (Some(a), Some(b)) = (self.get(a), self.get(b)) {
            self.push(key, a.plus(b));
        }
    }

    /// Records the figures of a dry-run that did not revert; returns the message's result.
    fn record<R: Decode + Debug>(
        &mut self,
        key: &str,
        dry_run: &CallDryRunResult<DefaultEnvironment, R>,
    ) -> Option<R> {
        if dry_run.exec_return_value().did_revert() {
            self.issue(format!(
                "{key}: the dry-run reverted: {:?}",
                dry_run.message_result()
            ));
            return None;
        }
        let result = &dry_run.exec_result;
        self.push(
            key,
            Figure {
                ref_time: result.gas_consumed.ref_time(),
                proof_size: result.gas_consumed.proof_size(),
                storage_deposit: storage_deposit(&result.storage_deposit.encode()),
            },
        );
        match dry_run.message_result() {
            Ok(value) => Some(value),
            Err(error) => {
                self.issue(format!("{key}: the dry-run returned {error:?}"));
                None
            }
        }
    }
}

/// Decodes a SCALE-encoded `pallet_contracts::StorageDeposit<u128>`: `Refund(b)` (variant 0)
/// as `-b`, `Charge(b)` (variant 1) as `b`.
fn storage_deposit(encoded: &[u8]) -> i128 {
    let amount = encoded
        .get(1..)
        .and_then(|mut rest| u128::decode(&mut rest).ok())
        .unwrap_or(0);
    let amount = i128::try_from(amount).unwrap_or(i128::MAX);
    match encoded.first() {
        Some(0) => -amount,
        _ => amount,
    }
}

fn giga(ref_time: u64) -> String {
    format!("{:.3} G", ref_time as f64 / 1e9)
}

fn kilo(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1e3)
}

fn mega(bytes: u64) -> String {
    format!("{:.3} MB", bytes as f64 / 1e6)
}

/// Share of [`EXTRINSIC_PROOF_SIZE`].
fn extrinsic_share(proof_size: u64) -> f64 {
    percent(proof_size, EXTRINSIC_PROOF_SIZE)
}

// ---------------------------------------------------------------------------------------------
// Calls

/// Dry-runs `message` from `caller` and records its figures under `key`; returns the message's
/// result unless it reverted.
async fn measure<Args, R>(
    client: &mut E2EClient,
    recorder: &mut Recorder,
    key: &str,
    caller: &Keypair,
    message: &CallBuilderFinal<DefaultEnvironment, Args, R>,
) -> Option<R>
where
    Args: Encode + Clone + Sync + Send,
    R: Decode + Send + Debug,
{
    match client.call(caller, message).dry_run().await {
        Ok(dry_run) => recorder.record(key, &dry_run),
        Err(error) => {
            recorder.issue(format!("{key}: the dry-run failed: {error:?}"));
            None
        }
    }
}

/// Submits `message` with [`GAS_MARGIN_PERCENT`] more gas than its dry-run used; on failure
/// returns why (the contract's error when it reverted).
async fn try_send<Args, R>(
    client: &mut E2EClient,
    caller: &Keypair,
    message: &CallBuilderFinal<DefaultEnvironment, Args, R>,
) -> Result<CallResult<DefaultEnvironment, R, Events>, String>
where
    Args: Encode + Clone + Sync + Send,
    R: Decode + Send + Debug,
{
    match client
        .call(caller, message)
        .extra_gas_portion(GAS_MARGIN_PERCENT)
        .submit()
        .await
    {
        Ok(result) => Ok(result),
        Err(error) => Err(match client.call(caller, message).dry_run().await {
            Ok(dry_run) if dry_run.exec_return_value().did_revert() => {
                format!("reverted: {:?}", dry_run.message_result())
            }
            _ => format!("{error:?}"),
        }),
    }
}

/// A new account with native funds.
async fn new_account(client: &mut E2EClient) -> Keypair {
    client
        .create_and_fund_account(&who::admin(), NATIVE_FUNDING)
        .await
}

// ---------------------------------------------------------------------------------------------
// Node

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

fn wasm_path(name: &str) -> PathBuf {
    target_dir()
        .join("ink")
        .join(name)
        .join(format!("{name}.wasm"))
}

fn as_u64(value: Option<&Value<u32>>) -> Option<u64> {
    value
        .and_then(|value| value.as_u128())
        .and_then(|value| u64::try_from(value).ok())
}

/// Reads a constant as a number.
fn constant_u128(
    api: &ink_e2e::subxt::OnlineClient<PolkadotConfig>,
    pallet: &str,
    name: &str,
) -> Option<u128> {
    api.constants()
        .at(&ink_e2e::subxt::dynamic::constant(pallet, name))
        .ok()?
        .to_value()
        .ok()?
        .as_u128()
}

async fn rpc_string(node: &TestNodeProcess<PolkadotConfig>, method: &str) -> String {
    node.rpc()
        .request::<String>(method, RpcParams::new())
        .await
        .unwrap_or_default()
}

/// The block weights (`System.BlockWeights`), deposits and identity of the node.
async fn node_info(node: &TestNodeProcess<PolkadotConfig>) -> E2EResult<NodeInfo> {
    let api = node.client();
    let weights = api
        .constants()
        .at(&ink_e2e::subxt::dynamic::constant("System", "BlockWeights"))?
        .to_value()?;
    let max_block = weights.at("max_block");
    let per_class = weights.at("per_class");
    let normal = per_class.at("normal");
    // `max_extrinsic` and `max_total` are `Option<Weight>`: `Some` is a variant whose first
    // value is the weight.
    let properties: serde_json::Value = node
        .rpc()
        .request("system_properties", RpcParams::new())
        .await
        .unwrap_or_default();
    let first = |value: &serde_json::Value| match value {
        serde_json::Value::Array(values) => values.first().cloned(),
        other => Some(other.clone()),
    };
    let runtime = api.runtime_version();
    Ok(NodeInfo {
        name: rpc_string(node, "system_name").await,
        version: rpc_string(node, "system_version").await,
        chain: rpc_string(node, "system_chain").await,
        spec_name: node
            .rpc()
            .request::<serde_json::Value>("state_getRuntimeVersion", RpcParams::new())
            .await
            .ok()
            .and_then(|version| version["specName"].as_str().map(str::to_owned))
            .unwrap_or_default(),
        spec_version: runtime.spec_version,
        max_block_ref_time: as_u64(max_block.at("ref_time"))
            .ok_or("System.BlockWeights has no max_block.ref_time")?,
        max_block_proof_size: as_u64(max_block.at("proof_size")).unwrap_or(0),
        normal_max_extrinsic_ref_time: as_u64(normal.at("max_extrinsic").at(0).at("ref_time")),
        normal_max_total_ref_time: as_u64(normal.at("max_total").at(0).at("ref_time")),
        deposit_per_item: constant_u128(&api, "Contracts", "DepositPerItem"),
        deposit_per_byte: constant_u128(&api, "Contracts", "DepositPerByte"),
        token_decimals: properties
            .get("tokenDecimals")
            .and_then(first)
            .and_then(|value| value.as_u64())
            .and_then(|value| u32::try_from(value).ok()),
        token_symbol: properties
            .get("tokenSymbol")
            .and_then(first)
            .and_then(|value| value.as_str().map(str::to_owned)),
    })
}

/// The selector of the reference PSP22's constructor `new`: from its metadata when present,
/// else `blake2b_256("new")[..4]` (ink!'s rule for a constructor without an explicit selector).
fn reference_constructor_selector() -> [u8; 4] {
    let computed = ink::selector_bytes!("new");
    let metadata = target_dir()
        .join("ink")
        .join(REFERENCE)
        .join(format!("{REFERENCE}.json"));
    let from_metadata = std::fs::read_to_string(&metadata)
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|json| {
            json["spec"]["constructors"]
                .as_array()?
                .iter()
                .find(|constructor| constructor["label"] == "new")?["selector"]
                .as_str()
                .map(str::to_owned)
        })
        .and_then(|hex| {
            let hex = hex.trim_start_matches("0x");
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                .collect();
            <[u8; 4]>::try_from(bytes).ok()
        });
    match from_metadata {
        Some(selector) => {
            if selector != computed {
                eprintln!(
                    "note: the metadata selector of psp22's `new` is {selector:02x?}, \
                     not blake2b(\"new\") {computed:02x?}; using the metadata's"
                );
            }
            selector
        }
        None => computed,
    }
}

/// Deploys the reference PSP22 with `supply` for the admin.
async fn deploy_reference(client: &mut E2EClient, supply: u128) -> E2EResult<AccountId> {
    // The reference's `Token` is private (`mod token`), so its constructor is built by hand;
    // `FuncTokenRef` only fills the builder's contract-reference type parameter.
    let mut constructor = build_create::<FuncTokenRef>()
        .exec_input(
            ExecutionInput::new(Selector::new(reference_constructor_selector()))
                .push_arg(supply)
                .push_arg(Some(String::from("Reference PSP22")))
                .push_arg(Some(String::from("REF")))
                .push_arg(18u8),
        )
        .returns::<FuncTokenRef>();
    Ok(client
        .instantiate(REFERENCE, &who::admin(), &mut constructor)
        .submit()
        .await?
        .account_id)
}

// ---------------------------------------------------------------------------------------------
// Benchmarks

/// `transfer` (to a new and to an existing holder), `approve` and `transfer_from` of the PSP22
/// token at `token`. Both tokens implement the `psp22::PSP22` trait, whose selectors are the
/// same in every implementation, so FUNC's call builder addresses either.
async fn bench_token(
    client: &mut E2EClient,
    recorder: &mut Recorder,
    label: &str,
    token: AccountId,
    new_holder: AccountId,
    new_spender: AccountId,
) {
    let (admin, bob, charlie, spender) =
        (who::admin(), who::bob(), who::charlie(), who::scheduler());
    let mut token = at::<FuncToken>(token);
    for holder in [&bob, &charlie] {
        send(
            client,
            &admin,
            &token.transfer(account(holder), 1_000 * FUNC, Vec::new()),
        )
        .await;
    }
    send(
        client,
        &admin,
        &token.approve(account(&spender), 1_000 * FUNC),
    )
    .await;
    let cases = [
        (
            "transfer[new holder]",
            &admin,
            token.transfer(new_holder, FUNC, Vec::new()),
        ),
        (
            "transfer[existing holder]",
            &admin,
            token.transfer(account(&bob), FUNC, Vec::new()),
        ),
    ];
    for (case, caller, message) in &cases {
        measure(
            client,
            recorder,
            &format!("{label}.{case}"),
            caller,
            message,
        )
        .await;
    }
    measure(
        client,
        recorder,
        &format!("{label}.approve[new allowance]"),
        &admin,
        &token.approve(new_spender, FUNC),
    )
    .await;
    measure(
        client,
        recorder,
        &format!("{label}.transfer_from[existing holder]"),
        &spender,
        &token.transfer_from(account(&admin), account(&charlie), FUNC, Vec::new()),
    )
    .await;
}

/// An account owning `count` providers named `<tag>-<n>`.
struct Owner {
    key: Keypair,
    ids: Vec<String>,
}

impl Owner {
    async fn new(client: &mut E2EClient, suite: &Suite, tag: &str, count: u32) -> Owner {
        let key = new_account(client).await;
        let funds = u128::from(count) * suite.params.stake_amount;
        send(
            client,
            &who::admin(),
            &suite.token().transfer(account(&key), funds, Vec::new()),
        )
        .await;
        Owner {
            key,
            ids: (0..count).map(|n| format!("{tag}-{n:02}")).collect(),
        }
    }
}

fn ids_of(ids: &[String]) -> Vec<ProviderId> {
    ids.iter().map(|id| pid(id)).collect()
}

/// The dry-runs of a report's two transactions.
type ReportDryRun = CallDryRunResult<DefaultEnvironment, Result<(), func_interfaces::StakingError>>;

/// A report by the scheduler.
struct Report {
    set: ReportDryRun,
    recorded: ReportDryRun,
    /// With `probe`: the current epoch after the first and after the second transaction.
    epochs: Option<(EpochId, EpochId)>,
}

/// Reports `epoch` as the scheduler: `total` split over `shards`; returns the dry-runs of both
/// transactions, or why one failed. With `probe`, reads the current epoch after each
/// transaction.
async fn report(
    client: &mut E2EClient,
    suite: &Suite,
    epoch: EpochId,
    total: u128,
    shards: Vec<(ProviderId, u64)>,
    probe: bool,
) -> Result<Report, String> {
    let scheduler = who::scheduler();
    let total_shards = shards.iter().map(|(_, shards)| shards).sum();
    let set = try_send(
        client,
        &scheduler,
        &suite.pool().set_epoch_reward(epoch, total, total_shards),
    )
    .await
    .map_err(|error| format!("set_epoch_reward({epoch}): {error}"))?;
    let middle = if probe {
        Some(current_epoch(client, suite).await)
    } else {
        None
    };
    let recorded = try_send(
        client,
        &scheduler,
        &suite.pool().record_provider_shards(epoch, shards),
    )
    .await
    .map_err(|error| format!("record_provider_shards({epoch}): {error}"))?;
    let epochs = match middle {
        Some(middle) => Some((middle, current_epoch(client, suite).await)),
        None => None,
    };
    Ok(Report {
        set: set.dry_run,
        recorded: recorded.dry_run,
        epochs,
    })
}

/// "1 provider", "10 providers".
fn providers(n: usize) -> String {
    if n == 1 {
        "1 provider".into()
    } else {
        format!("{n} providers")
    }
}

/// Key of the claim over `k` rewarded epochs.
fn claim_key(k: usize, case: &str) -> String {
    let plural = if k == 1 { "" } else { "s" };
    format!("provider_staking.claim_rewards[{k} epoch{plural}{case}]")
}

/// A cluster operation of the registry.
#[derive(Clone, Copy)]
enum ClusterOp {
    Claim(EpochId, EpochId),
    Unstake,
}

/// Dry-runs every page of a cluster operation of `caller` (`*_from(start)` from 0 until
/// `next_start` is `None`) on `registry`, checks that all `expected` providers succeed, and
/// records the first page (what `claim_rewards_cluster` / `unstake_cluster` do) under
/// `provider_registry.<name>[<case>]`, the heaviest later page (by proof_size) under
/// `provider_registry.<name>_from[<case>, heaviest of <n> pages]` and the sum of all pages
/// under `provider_registry.<name>[<case>, sum of <n> pages]`.
async fn measure_cluster(
    client: &mut E2EClient,
    recorder: &mut Recorder,
    registry: AccountId,
    caller: &Keypair,
    op: ClusterOp,
    case: &str,
    expected: usize,
) {
    let name = match op {
        ClusterOp::Claim(..) => "claim_rewards_cluster",
        ClusterOp::Unstake => "unstake_cluster",
    };
    let key = format!("provider_registry.{name}[{case}]");
    // (figure, providers in the page)
    let mut pages: Vec<(Figure, usize)> = Vec::new();
    let (mut start, mut succeeded, mut failed) = (0u32, 0usize, Vec::new());
    // Bound: a page holds at least one provider.
    for _ in 0..=MAX_PROVIDERS_PER_OWNER {
        let mut builder = at::<Registry>(registry);
        let dry_run = match op {
            ClusterOp::Claim(from, to) => {
                client
                    .call(caller, &builder.claim_rewards_cluster_from(from, to, start))
                    .dry_run()
                    .await
            }
            ClusterOp::Unstake => {
                client
                    .call(caller, &builder.unstake_cluster_from(start))
                    .dry_run()
                    .await
            }
        };
        let dry_run = match dry_run {
            Ok(dry_run) if !dry_run.exec_return_value().did_revert() => dry_run,
            Ok(dry_run) => {
                recorder.issue(format!(
                    "{key}: page from {start} reverted: {:?}",
                    dry_run.message_result()
                ));
                return;
            }
            Err(error) => {
                recorder.issue(format!("{key}: page from {start} failed: {error:?}"));
                return;
            }
        };
        let result = &dry_run.exec_result;
        let figure = Figure {
            ref_time: result.gas_consumed.ref_time(),
            proof_size: result.gas_consumed.proof_size(),
            storage_deposit: storage_deposit(&result.storage_deposit.encode()),
        };
        let outcome = match dry_run.message_result() {
            Ok(Ok(outcome)) => outcome,
            other => {
                recorder.issue(format!("{key}: page from {start} returned {other:?}"));
                return;
            }
        };
        succeeded += outcome.succeeded.len();
        failed.extend(
            outcome
                .failed
                .iter()
                .map(|(id, error)| format!("{} ({error:?})", String::from_utf8_lossy(id))),
        );
        pages.push((figure, outcome.succeeded.len() + outcome.failed.len()));
        // The cursor is opaque: a run starts at 0 and then goes down the owner's index.
        match outcome.next_start {
            Some(next) if start == 0 || next < start => start = next,
            Some(next) => {
                recorder.issue(format!("{key}: next_start {next} after page from {start}"));
                break;
            }
            None => break,
        }
    }
    let Some(&(first, _)) = pages.first() else {
        return;
    };
    let n = pages.len();
    recorder.push(&key, first);
    if n > 1 {
        let sizes: Vec<String> = pages.iter().map(|(_, size)| size.to_string()).collect();
        eprintln!("    {key}: {n} pages of {} providers", sizes.join(" + "));
        if let Some((heaviest, size)) = pages[1..]
            .iter()
            .max_by_key(|(figure, _)| figure.proof_size)
        {
            recorder.push(
                &format!(
                    "provider_registry.{name}_from[{case}, heaviest of {n} pages: {}]",
                    providers(*size)
                ),
                *heaviest,
            );
        }
        let total = pages
            .iter()
            .skip(1)
            .fold(first, |total, (figure, _)| total.plus(*figure));
        recorder.push(
            &format!("provider_registry.{name}[{case}, sum of {n} pages]"),
            total,
        );
    }
    if succeeded != expected || !failed.is_empty() {
        recorder.issue(format!(
            "{key}: {succeeded} of {expected} providers succeeded over {n} pages; failed: {}",
            failed.join(", ")
        ));
    }
}

/// Everything measured on the node.
async fn bench_node(
    client: &mut E2EClient,
    suite: &Suite,
    recorder: &mut Recorder,
) -> E2EResult<()> {
    let (admin, bob, charlie, operator) =
        (who::admin(), who::bob(), who::charlie(), who::operator());

    // ---- FUNC next to the reference PSP22 ------------------------------------------------
    eprintln!("==> tokens");
    let reference = deploy_reference(client, suite.params.total_supply).await?;
    for (label, token, tag) in [
        ("func_token", suite.token, 0xa1),
        (REFERENCE_LABEL, reference, 0xb1),
    ] {
        let new_holder = AccountId::from([tag; 32]);
        let new_spender = AccountId::from([tag + 1; 32]);
        bench_token(client, recorder, label, token, new_holder, new_spender).await;
    }

    // ---- Providers -----------------------------------------------------------------------
    eprintln!("==> providers");
    let mut registry = suite.registry();
    let mut pool = suite.pool();
    let bob_id = "bench-bob";
    let claim_id = "bench-claim";
    measure(
        client,
        recorder,
        "provider_registry.register[new provider]",
        &bob,
        &registry.register(
            pid(bob_id),
            MODEL_ID,
            metadata(&format!("https://{bob_id}.example.org")),
        ),
    )
    .await;
    register(client, suite, &bob, bob_id, MODEL_ID).await;
    register(client, suite, &charlie, claim_id, MODEL_ID).await;

    // Cluster owners (1, 10 and the maximum number of providers), then owners that make up a
    // full batch of providers for the whitelist and the scheduler's report.
    let cluster_sizes = [1, 10, MAX_PROVIDERS_PER_OWNER];
    let mut owners = Vec::new();
    for size in cluster_sizes {
        owners.push(Owner::new(client, suite, &format!("c{size}"), size).await);
    }
    let clustered: u32 = cluster_sizes.iter().sum();
    let mut rest = (MAX_BATCH_SIZE as u32).saturating_sub(clustered);
    let mut filler = 0;
    while rest > 0 {
        let size = rest.min(MAX_PROVIDERS_PER_OWNER);
        owners.push(Owner::new(client, suite, &format!("f{filler}"), size).await);
        rest -= size;
        filler += 1;
    }
    let batch: Vec<String> = owners.iter().flat_map(|owner| owner.ids.clone()).collect();
    eprintln!(
        "    registering {} providers of {} owners",
        batch.len(),
        owners.len()
    );
    for owner in &owners {
        for id in &owner.ids {
            register(client, suite, &owner.key, id, MODEL_ID).await;
        }
    }

    let full_batch = &batch[..batch.len().min(MAX_BATCH_SIZE)];
    measure(
        client,
        recorder,
        "provider_registry.whitelist[1 id]",
        &operator,
        &registry.whitelist(vec![pid(bob_id)]),
    )
    .await;
    // 10 ids: with the full batch, the marginal cost of an id.
    measure(
        client,
        recorder,
        "provider_registry.whitelist[10 ids]",
        &operator,
        &registry.whitelist(ids_of(&batch[..10])),
    )
    .await;
    measure(
        client,
        recorder,
        &format!("provider_registry.whitelist[{} ids]", full_batch.len()),
        &operator,
        &registry.whitelist(ids_of(full_batch)),
    )
    .await;
    for chunk in batch.chunks(MAX_BATCH_SIZE) {
        send(client, &operator, &registry.whitelist(ids_of(chunk))).await;
    }
    whitelist(client, suite, &[bob_id, claim_id]).await;
    measure(
        client,
        recorder,
        &format!(
            "provider_registry.remove_from_whitelist[{} ids]",
            full_batch.len()
        ),
        &operator,
        &registry.remove_from_whitelist(ids_of(full_batch)),
    )
    .await;

    // Stakes.
    let stake = suite.params.stake_amount;
    send(client, &bob, &suite.token().approve(suite.pool, stake)).await;
    measure(
        client,
        recorder,
        "provider_staking.stake_for_provider[first stake]",
        &bob,
        &pool.stake_for_provider(pid(bob_id)),
    )
    .await;
    send(client, &bob, &pool.stake_for_provider(pid(bob_id))).await;
    approve_and_stake(client, suite, &charlie, suite.pool, claim_id).await;
    for owner in &owners {
        let funds = stake * owner.ids.len() as u128;
        send(
            client,
            &owner.key,
            &suite.token().approve(suite.pool, funds),
        )
        .await;
        for id in &owner.ids {
            send(client, &owner.key, &pool.stake_for_provider(pid(id))).await;
        }
    }

    // Pages at their bound (the model holds more than a page of providers, all active).
    measure(
        client,
        recorder,
        &format!("provider_registry.get_active_providers[page of {MAX_PAGE_SIZE}]"),
        &bob,
        &registry.get_active_providers(MODEL_ID, 0, MAX_PAGE_SIZE),
    )
    .await;
    measure(
        client,
        recorder,
        &format!("provider_registry.get_provider_ids_by_model[page of {MAX_PAGE_SIZE}]"),
        &bob,
        &registry.get_provider_ids_by_model(MODEL_ID, 0, MAX_PAGE_SIZE),
    )
    .await;
    if let Some(owner) = owners
        .iter()
        .find(|owner| owner.ids.len() == MAX_PROVIDERS_PER_OWNER as usize)
    {
        measure(
            client,
            recorder,
            &format!("provider_registry.get_provider_ids_by_owner[{MAX_PROVIDERS_PER_OWNER} ids]"),
            &bob,
            &registry.get_provider_ids_by_owner(account(&owner.key)),
        )
        .await;
    }

    measure(
        client,
        recorder,
        "provider_registry.update_metadata[same length]",
        &bob,
        &registry.update_metadata(
            pid(bob_id),
            metadata(&format!("https://{bob_id}.example.net")),
        ),
    )
    .await;

    // `register_and_stake` needs automatic whitelisting (a provider must be whitelisted to
    // stake); switched on only now, after the whitelist measurements.
    send(client, &admin, &registry.toggle_automatic_whitelist()).await;
    send(client, &bob, &suite.token().approve(suite.pool, stake)).await;
    let second = "bench-bob-2";
    measure(
        client,
        recorder,
        "provider_registry.register_and_stake[auto whitelist]",
        &bob,
        &registry.register_and_stake(
            pid(second),
            MODEL_ID,
            metadata(&format!("https://{second}.example.org")),
        ),
    )
    .await;
    send(client, &admin, &registry.toggle_automatic_whitelist()).await;

    // ---- The scheduler's report of a full batch --------------------------------------------
    eprintln!("==> report of {} providers", full_batch.len());
    advance_blocks(client, suite.params.epoch_length).await;
    let batch_epoch = current_epoch(client, suite).await - 1;
    let shards: Vec<(ProviderId, u64)> = batch.iter().map(|id| (pid(id), 1)).collect();
    let scheduler = who::scheduler();
    // The epochs before it hold stakes but no work: the scheduler closes them, as claims
    // never pass an unreported epoch (an error here only means there was nothing to close).
    let _ = try_send(
        client,
        &scheduler,
        &pool.close_unreported_epochs(batch_epoch - 1),
    )
    .await;
    let set = try_send(
        client,
        &scheduler,
        &pool.set_epoch_reward(batch_epoch, FUNC * batch.len() as u128, batch.len() as u64),
    )
    .await
    .map_err(|error| format!("set_epoch_reward of the batch epoch: {error}"))?;
    let n = full_batch.len();
    let set_key = format!("provider_staking.set_epoch_reward[{}]", providers(n));
    recorder.record(&set_key, &set.dry_run);
    // 10 providers: with the full batch, the marginal cost of a provider in a report.
    if shards.len() >= 10 {
        match client
            .call(
                &scheduler,
                &pool.record_provider_shards(batch_epoch, shards[..10].to_vec()),
            )
            .dry_run()
            .await
        {
            Ok(dry_run) => {
                recorder.record(
                    "provider_staking.record_provider_shards[10 providers]",
                    &dry_run,
                );
            }
            Err(error) => recorder.issue(format!(
                "record_provider_shards[10 providers]: the dry-run failed: {error:?}"
            )),
        }
    }
    // The first chunk is the measured full batch; further chunks (only if the cluster owners
    // alone held more than a batch) are recorded in the same epoch.
    for (index, chunk) in shards.chunks(MAX_BATCH_SIZE).enumerate() {
        let recorded = try_send(
            client,
            &scheduler,
            &pool.record_provider_shards(batch_epoch, chunk.to_vec()),
        )
        .await
        .map_err(|error| format!("record_provider_shards of the batch epoch: {error}"))?;
        if index == 0 {
            let key = format!("provider_staking.record_provider_shards[{}]", providers(n));
            recorder.record(&key, &recorded.dry_run);
            recorder.sum(
                &format!("provider_staking.reward_report[{}]", providers(n)),
                &set_key,
                &key,
            );
        }
    }

    // ---- The claim ledger: one provider rewarded in every epoch ---------------------------
    eprintln!(
        "==> claim ledger: reporting {} epochs (2 blocks each)",
        CLAIM_CHECKPOINTS[CLAIM_CHECKPOINTS.len() - 1]
    );
    let loop_started = Instant::now();
    // The epochs since the batch epoch had no work reported: closed, so that the loop's
    // reports become final in turn.
    let now = current_epoch(client, suite).await;
    let _ = try_send(
        client,
        &who::scheduler(),
        &suite.pool().close_unreported_epochs(now - 1),
    )
    .await;
    let mut rewarded: Vec<EpochId> = Vec::new();
    let mut last_reported = batch_epoch;
    let mut checkpoint = 0;
    let mut clusters_done = false;
    let (mut set_measured, mut record_measured) = (false, false);
    let mut phase_shifts = 0;
    let mut missed = Vec::new();
    let mut blocks_idle = 0u32;
    let most_blocks = 4
        * (CLAIM_CHECKPOINTS[CLAIM_CHECKPOINTS.len() - 1] as u32 + 50)
        * suite.params.epoch_length;
    let mut iterations = 0u32;
    loop {
        iterations += 1;
        if iterations > most_blocks {
            recorder.issue(format!(
                "the claim loop did not finish within {most_blocks} iterations \
                 ({} epochs rewarded, {} missed)",
                rewarded.len(),
                missed.len()
            ));
            break;
        }
        let now = current_epoch(client, suite).await;
        // The pool's own frontier: claims never pass an unreported epoch, and a report that
        // slipped into a later epoch gets its own correction window.
        let last_claimable = read(client, &pool.finalized_through()).await;

        // Cluster operations once the batch epoch is claimable (and every stake unlocked).
        if !clusters_done && last_claimable >= batch_epoch {
            clusters_done = true;
            for owner in owners.iter().take(cluster_sizes.len()) {
                let n = owner.ids.len();
                for op in [
                    ClusterOp::Claim(batch_epoch, batch_epoch),
                    ClusterOp::Unstake,
                ] {
                    measure_cluster(
                        client,
                        recorder,
                        suite.registry,
                        &owner.key,
                        op,
                        &providers(n),
                        n,
                    )
                    .await;
                }
            }
            measure(
                client,
                recorder,
                "provider_staking.unstake_provider[whole stake]",
                &bob,
                &pool.unstake_provider(pid(bob_id)),
            )
            .await;
        }

        // Claims over k rewarded epochs, as soon as the k-th is claimable.
        while let Some(&k) = CLAIM_CHECKPOINTS.get(checkpoint) {
            if rewarded.len() < k || rewarded[k - 1] > last_claimable {
                break;
            }
            // From the first unclaimed epoch (`claimed_through + 1` = 1, the usual claim),
            // and from the first rewarded epoch, which adds the gap check (a binary search of
            // the ledger for the cumulative reward before `from`).
            for (from, case) in [(1, ""), (rewarded[0], ", from its first epoch")] {
                measure(
                    client,
                    recorder,
                    &claim_key(k, case),
                    &charlie,
                    &pool.claim_rewards(pid(claim_id), from, rewarded[k - 1]),
                )
                .await;
            }
            checkpoint += 1;
        }
        if checkpoint == CLAIM_CHECKPOINTS.len() && clusters_done {
            break;
        }

        let epoch = now.saturating_sub(1);
        if epoch <= last_reported {
            advance_blocks(client, 1).await;
            blocks_idle += 1;
            continue;
        }
        last_reported = epoch;
        let probe = rewarded.len() + 1 >= MEASURED_REPORT && !(set_measured && record_measured);
        match report(client, suite, epoch, FUNC, vec![(pid(claim_id), 1)], probe).await {
            Ok(report) => {
                rewarded.push(epoch);
                // A dry-run runs on the best block and its transaction in the next one: its
                // figure is what the transaction did only if both blocks are in one epoch
                // (else the transaction also folded the epoch that just became final). With
                // 2-block epochs the two transactions of a report never both qualify, so each
                // is measured at the first report where it does (shifting the phase once).
                if let Some((middle, after)) = report.epochs {
                    let set_key = "provider_staking.set_epoch_reward[1 provider]";
                    let record_key = "provider_staking.record_provider_shards[1 provider]";
                    if !set_measured && now == middle {
                        set_measured = recorder.record(set_key, &report.set).is_some();
                    }
                    if !record_measured && middle == after {
                        record_measured = recorder.record(record_key, &report.recorded).is_some();
                    } else if !record_measured && phase_shifts < 3 {
                        // Reports take 2 blocks, as many as an epoch: the phase never changes
                        // by itself. One idle block moves the next reports by one block.
                        advance_blocks(client, 1).await;
                        blocks_idle += 1;
                        phase_shifts += 1;
                    }
                    if set_measured && record_measured {
                        recorder.sum(
                            "provider_staking.reward_report[1 provider]",
                            set_key,
                            record_key,
                        );
                    }
                }
                if rewarded.len() % 100 == 0 {
                    eprintln!(
                        "    {} epochs rewarded (epoch {epoch}), {} s",
                        rewarded.len(),
                        loop_started.elapsed().as_secs()
                    );
                }
            }
            Err(error) => {
                // A scheduler without data for an epoch closes it, so that later epochs can
                // become final (claims never pass an unreported epoch).
                let _ = try_send(
                    client,
                    &who::scheduler(),
                    &suite.pool().close_unreported_epochs(epoch),
                )
                .await;
                missed.push(error)
            }
        }
    }
    eprintln!(
        "    claim loop: {} epochs rewarded, {} reports missed their window, {} idle blocks, \
         {} s",
        rewarded.len(),
        missed.len(),
        blocks_idle,
        loop_started.elapsed().as_secs()
    );
    if !(set_measured && record_measured) {
        recorder.issue("the single-provider report was not measured".into());
    }
    if !missed.is_empty() {
        recorder.issue(format!(
            "{} reports of the claim loop failed, e.g. {}",
            missed.len(),
            missed[0]
        ));
    }

    eprintln!("==> spread of one owner's providers over models (second suite)");
    if let Err(error) = bench_spread(client, recorder).await {
        recorder.issue(format!("the spread benchmark stopped early: {error}"));
    }
    eprintln!("==> catching up after a scheduler outage at MAX_REWARD_DELAY (third suite)");
    if let Err(error) = bench_outage(client, recorder).await {
        recorder.issue(format!("the outage benchmark stopped early: {error}"));
    }
    Ok(())
}

/// Key of the report batch measured by [`bench_outage`].
fn outage_report_key() -> String {
    format!(
        "provider_staking.record_provider_shards[{}, after an outage at MAX_REWARD_DELAY]",
        providers(MAX_BATCH_SIZE)
    )
}

/// The worst state a report batch can meet (issue 17, item 3), on a third suite: reward delay
/// `MAX_REWARD_DELAY`, `MAX_BATCH_SIZE` providers staked, the scheduler down for longer than
/// the delay, then catching up as far as the pool accepts (`MAX_REWARD_DELAY` epochs ahead of
/// the final frontier, every provider in every epoch: pending lists of `MAX_REWARD_DELAY`
/// epochs), then every caught-up epoch becoming final at once. The next report batch folds
/// one epoch per provider and the message settles `MAX_RELEASES_PER_MESSAGE` open epochs; a
/// claim then settles its provider's whole pending list in memory.
async fn bench_outage(client: &mut E2EClient, recorder: &mut Recorder) -> E2EResult<()> {
    let params = Params {
        epoch_length: MIN_EPOCH_LENGTH,
        epoch_reward_delay: MAX_REWARD_DELAY,
        ..Params::default()
    };
    let suite = deploy(client, params).await?;
    let scheduler = who::scheduler();
    let owner = Owner::new(client, &suite, "outage", MAX_BATCH_SIZE as u32).await;
    for id in &owner.ids {
        register(client, &suite, &owner.key, id, MODEL_ID).await;
    }
    let ids: Vec<&str> = owner.ids.iter().map(String::as_str).collect();
    whitelist(client, &suite, &ids).await;
    let mut first = 0;
    for id in &owner.ids {
        let staked = approve_and_stake(client, &suite, &owner.key, suite.pool, id).await;
        let event: provider_staking::events::ProviderStaked = event_of(&staked, suite.pool);
        first = first.max(event.epoch);
    }
    // The stakes took several epochs: the scheduler closes those before the last stake, and
    // then is down for longer than the delay (which also lets the close become final).
    let mut pool = suite.pool();
    if read(client, &pool.reported_through()).await + 1 < first {
        must(
            client,
            &scheduler,
            &pool.close_unreported_epochs(first - 1),
            "close_unreported_epochs before the outage",
        )
        .await?;
    }
    advance_to_epoch(client, &suite, first + MAX_REWARD_DELAY + 2).await;
    let shards: Vec<(ProviderId, u64)> = owner.ids.iter().map(|id| (pid(id), 1)).collect();
    let reportable = read(client, &pool.finalized_through()).await + MAX_REWARD_DELAY;
    eprintln!(
        "    catching up epochs {first}..={reportable} ({} providers each)",
        shards.len()
    );
    for epoch in first..=reportable {
        if let Err(error) = report(client, &suite, epoch, 1_000, shards.clone(), false).await {
            return Err(format!("catch-up report of epoch {epoch}: {error}").into());
        }
    }
    // Every caught-up epoch becomes final: a report sent in epoch c is final once the
    // controller's last claimable epoch reaches c − 1.
    let caught_up = current_epoch(client, &suite).await;
    advance_to_epoch(client, &suite, caught_up + MAX_REWARD_DELAY + 1).await;
    let next = reportable + 1;
    must(
        client,
        &scheduler,
        &pool.set_epoch_reward(next, 1_000, MAX_BATCH_SIZE as u64),
        "set_epoch_reward after the catch-up",
    )
    .await?;
    measure(
        client,
        recorder,
        &outage_report_key(),
        &scheduler,
        &pool.record_provider_shards(next, shards.clone()),
    )
    .await;
    measure(
        client,
        recorder,
        "provider_staking.claim_rewards[1 provider, after an outage at MAX_REWARD_DELAY]",
        &owner.key,
        &pool.claim_rewards(pid(&owner.ids[0]), first, reportable),
    )
    .await;
    Ok(())
}

/// Sends `message` or returns why not, naming `what`.
async fn must<Args, R>(
    client: &mut E2EClient,
    caller: &Keypair,
    message: &CallBuilderFinal<DefaultEnvironment, Args, R>,
    what: &str,
) -> E2EResult<()>
where
    Args: Encode + Clone + Sync + Send,
    R: Decode + Send + Debug,
{
    try_send(client, caller, message)
        .await
        .map(|_| ())
        .map_err(|error| format!("{what}: {error}").into())
}

/// The worst spread of one owner's providers over models, on a second suite on the same node
/// (epochs of [`SPREAD_EPOCH_LENGTH`] blocks, so that every pool's report lands in one
/// window): an owner with one provider in each of `SPREAD_MODELS + 1` models (more pools than
/// `MAX_CLUSTER_POOLS_PER_CALL`: the calls page, `next_start` and the `_from` forms), and an
/// owner with `MAX_PROVIDERS_PER_OWNER` providers round-robin over `SPREAD_MODELS` models.
/// Every provider is rewarded in one epoch and unlocked; every page is dry-run
/// ([`measure_cluster`]). Then the remaining messages, each once.
async fn bench_spread(client: &mut E2EClient, recorder: &mut Recorder) -> E2EResult<()> {
    let params = Params {
        epoch_length: SPREAD_EPOCH_LENGTH,
        epoch_reward_delay: REWARD_DELAY,
        min_epochs_locked: 1,
        ..Params::default()
    };
    let mut suite = deploy(client, params).await?;
    let admin = who::admin();
    let operator = who::operator();
    let mut registry = suite.registry();
    let mut models: Vec<(ModelId, AccountId)> = vec![(MODEL_ID, suite.pool)];
    for model_id in (MODEL_ID + 1)..=(MODEL_ID + SPREAD_MODELS) {
        let pool = create_model(client, &mut suite, model_id, params.stake_amount).await;
        must(
            client,
            &admin,
            &suite.token().approve(pool, 10_000 * FUNC),
            "approve",
        )
        .await?;
        must(
            client,
            &admin,
            &suite.pool_at(pool).fund_rewards(10_000 * FUNC),
            "fund_rewards",
        )
        .await?;
        models.push((model_id, pool));
    }
    eprintln!(
        "    {} models (MAX_CLUSTER_POOLS_PER_CALL = {MAX_CLUSTER_POOLS_PER_CALL})",
        models.len()
    );

    // (owner index, id, model, pool) of every spread provider.
    let one_each = Owner::new(client, &suite, "one", SPREAD_MODELS + 1).await;
    let spread = Owner::new(client, &suite, "spread", MAX_PROVIDERS_PER_OWNER).await;
    let mut placed: Vec<(usize, String, ModelId, AccountId)> = Vec::new();
    for (index, id) in one_each.ids.iter().enumerate() {
        let (model_id, pool) = models[index];
        placed.push((0, id.clone(), model_id, pool));
    }
    let spread_models = &models[1..];
    for (index, id) in spread.ids.iter().enumerate() {
        let (model_id, pool) = spread_models[index % spread_models.len()];
        placed.push((1, id.clone(), model_id, pool));
    }
    let keys = [&one_each.key, &spread.key];
    for (owner, id, model_id, _) in &placed {
        must(
            client,
            keys[*owner],
            &registry.register(
                pid(id),
                *model_id,
                metadata(&format!("https://{id}.example.org")),
            ),
            "register",
        )
        .await?;
    }
    let all: Vec<String> = placed.iter().map(|(_, id, _, _)| id.clone()).collect();
    for chunk in all.chunks(MAX_BATCH_SIZE) {
        must(
            client,
            &operator,
            &registry.whitelist(ids_of(chunk)),
            "whitelist",
        )
        .await?;
    }
    for (owner, key) in keys.iter().enumerate() {
        for (_, pool) in &models {
            let ids: Vec<&String> = placed
                .iter()
                .filter(|(o, _, _, p)| *o == owner && p == pool)
                .map(|(_, id, _, _)| id)
                .collect();
            if ids.is_empty() {
                continue;
            }
            let amount = params.stake_amount * ids.len() as u128;
            must(
                client,
                key,
                &suite.token().approve(*pool, amount),
                "approve",
            )
            .await?;
            for id in ids {
                must(
                    client,
                    key,
                    &suite.pool_at(*pool).stake_for_provider(pid(id)),
                    "stake",
                )
                .await?;
            }
        }
    }
    eprintln!("    {} providers staked", placed.len());

    // Every pool reports the epoch of the stakes; the admin owns the pools (every role).
    let epoch = current_epoch(client, &suite).await;
    advance_to_epoch(client, &suite, epoch + 1).await;
    for (_, pool) in &models {
        let shards: Vec<(ProviderId, u64)> = placed
            .iter()
            .filter(|(_, _, _, p)| p == pool)
            .map(|(_, id, _, _)| (pid(id), 1))
            .collect();
        let n = shards.len() as u128;
        let mut pool = suite.pool_at(*pool);
        // Stakes took earlier epochs too, without work: closed (claims never pass an
        // unreported epoch; an error only means there was nothing to close).
        let _ = try_send(client, &admin, &pool.close_unreported_epochs(epoch - 1)).await;
        must(
            client,
            &admin,
            &pool.set_epoch_reward(epoch, FUNC * n, n as u64),
            "set_epoch_reward",
        )
        .await?;
        must(
            client,
            &admin,
            &pool.record_provider_shards(epoch, shards),
            "record_provider_shards",
        )
        .await?;
    }
    advance_to_epoch(client, &suite, epoch + REWARD_DELAY).await;

    let spread_case = format!(
        "{} providers over {} models",
        spread.ids.len(),
        spread_models.len()
    );
    let one_case = format!(
        "{} providers over {} models, one each",
        one_each.ids.len(),
        models.len()
    );
    for (owner, case, count) in [
        (&one_each, &one_case, one_each.ids.len()),
        (&spread, &spread_case, spread.ids.len()),
    ] {
        for op in [ClusterOp::Claim(epoch, epoch), ClusterOp::Unstake] {
            measure_cluster(
                client,
                recorder,
                suite.registry,
                &owner.key,
                op,
                case,
                count,
            )
            .await;
        }
    }

    // The remaining messages, once each (dry-runs in this state).
    eprintln!("==> remaining messages");
    let router = suite.router();
    measure(
        client,
        recorder,
        &format!(
            "model_router.get_models[page of {MAX_PAGE_SIZE}: {} models]",
            models.len()
        ),
        &admin,
        &router.get_models(0, MAX_PAGE_SIZE),
    )
    .await;
    let first_id = pid(&one_each.ids[0]);
    let (_, first_pool) = models[0];
    let mut first_pool = suite.pool_at(first_pool);
    measure(
        client,
        recorder,
        "provider_staking.claim_rewards[1 epoch, second suite]",
        &one_each.key,
        &first_pool.claim_rewards(first_id.clone(), epoch, epoch),
    )
    .await;
    measure(
        client,
        recorder,
        "provider_registry.deactivate[own provider]",
        &one_each.key,
        &registry.deactivate(first_id.clone()),
    )
    .await;
    measure(
        client,
        recorder,
        "provider_registry.jail_for_epochs[10 epochs]",
        &operator,
        &registry.jail_for_epochs(first_id.clone(), 10),
    )
    .await;
    measure(
        client,
        recorder,
        "provider_registry.release_provider[staked]",
        &operator,
        &registry.release_provider(first_id.clone()),
    )
    .await;
    // An id registered and never staked can be deregistered.
    let unstaked = "bench-unstaked";
    must(
        client,
        &one_each.key,
        &registry.register(
            pid(unstaked),
            MODEL_ID,
            metadata("https://unstaked.example.org"),
        ),
        "register",
    )
    .await?;
    measure(
        client,
        recorder,
        "provider_registry.deregister[never staked]",
        &one_each.key,
        &registry.deregister(pid(unstaked)),
    )
    .await;
    must(
        client,
        &admin,
        &suite.token().approve(models[0].1, 1_000 * FUNC),
        "approve",
    )
    .await?;
    measure(
        client,
        recorder,
        "provider_staking.fund_rewards",
        &admin,
        &first_pool.fund_rewards(100 * FUNC),
    )
    .await;
    measure(
        client,
        recorder,
        &format!("provider_staking.boost_rewards_for_n_epochs[{MAX_BOOST_EPOCHS} epochs]"),
        &admin,
        &first_pool
            .boost_rewards_for_n_epochs(MAX_BOOST_EPOCHS, u128::from(MAX_BOOST_EPOCHS) * FUNC),
    )
    .await;
    measure(
        client,
        recorder,
        "provider_staking.withdraw_unreserved",
        &admin,
        &first_pool.withdraw_unreserved(account(&admin), FUNC),
    )
    .await;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Output

struct Target {
    name: String,
    value: String,
    limit: String,
    pass: Option<bool>,
}

fn targets(recorder: &Recorder, node: &NodeInfo, code_sizes: &[(String, u64)]) -> Vec<Target> {
    let mut targets = Vec::new();
    let ref_time = |key: &str| recorder.get(key).map(|figure| figure.ref_time);
    for case in ["new holder", "existing holder"] {
        let ours = ref_time(&format!("func_token.transfer[{case}]"));
        let reference = ref_time(&format!("{REFERENCE_LABEL}.transfer[{case}]"));
        targets.push(Target {
            name: format!("FUNC transfer[{case}] ref_time <= 1.0 x reference PSP22"),
            value: match (ours, reference) {
                (Some(ours), Some(reference)) => format!(
                    "{} vs {} ({:.3} x)",
                    giga(ours),
                    giga(reference),
                    ours as f64 / reference as f64
                ),
                _ => "not measured".into(),
            },
            limit: "1.0 x".into(),
            pass: ours
                .zip(reference)
                .map(|(ours, reference)| ours <= reference),
        });
    }
    let (first, last) = (
        CLAIM_CHECKPOINTS[0],
        CLAIM_CHECKPOINTS[CLAIM_CHECKPOINTS.len() - 1],
    );
    for case in ["", ", from its first epoch"] {
        let one = ref_time(&claim_key(first, case));
        let most = ref_time(&claim_key(last, case));
        targets.push(Target {
            name: format!("claim_rewards over {last} epochs{case} <= 1.5 x over {first}"),
            value: match (one, most) {
                (Some(one), Some(most)) => format!(
                    "{} vs {} ({:.3} x)",
                    giga(most),
                    giga(one),
                    most as f64 / one as f64
                ),
                _ => "not measured".into(),
            },
            limit: "1.5 x".into(),
            pass: one.zip(most).map(|(one, most)| most * 2 <= one * 3),
        });
    }
    let cluster_key = format!(
        "provider_registry.claim_rewards_cluster[{}]",
        providers(MAX_PROVIDERS_PER_OWNER as usize)
    );
    let cluster = ref_time(&cluster_key);
    let half_block = node.max_block_ref_time / 2;
    targets.push(Target {
        name: format!(
            "claim_rewards_cluster over {MAX_PROVIDERS_PER_OWNER} providers <= 50% of block \
             ref_time"
        ),
        value: cluster.map_or("not measured".into(), |cluster| {
            format!(
                "{} ({:.2}% of block)",
                giga(cluster),
                percent(cluster, node.max_block_ref_time)
            )
        }),
        limit: giga(half_block),
        pass: cluster.map(|cluster| cluster <= half_block),
    });

    // ---- issue 12: every message fits a real chain's extrinsic at its bound -------------
    let proof_target = |name: String, key: &str, targets: &mut Vec<Target>| {
        let figure = recorder.get(key);
        targets.push(Target {
            name,
            value: figure.map_or("not measured".into(), |figure| {
                format!(
                    "{} ({:.1}% of 6.5 MiB), {}",
                    mega(figure.proof_size),
                    extrinsic_share(figure.proof_size),
                    giga(figure.ref_time)
                )
            }),
            limit: mega(PROOF_TARGET),
            pass: figure.map(|figure| figure.proof_size <= PROOF_TARGET),
        });
    };
    let mut covered: Vec<String> = Vec::new();
    // The 32 providers of one model: every page is one transaction (the first is what
    // `claim_rewards_cluster` does; `_from` continues).
    let cluster_pages: Vec<(String, Figure)> = recorder
        .figures
        .iter()
        .filter(|(key, _)| {
            (key == &cluster_key
                || key.starts_with(&format!(
                    "provider_registry.claim_rewards_cluster_from[{}, heaviest",
                    providers(MAX_PROVIDERS_PER_OWNER as usize)
                )))
                && !key.contains("sum of")
        })
        .cloned()
        .collect();
    let cluster_sum = recorder
        .figures
        .iter()
        .find(|(key, _)| {
            key.starts_with(&format!(
                "provider_registry.claim_rewards_cluster[{}, sum of",
                providers(MAX_PROVIDERS_PER_OWNER as usize)
            ))
        })
        .map(|(key, figure)| {
            format!(
                "; {key}: {} / {}",
                giga(figure.ref_time),
                mega(figure.proof_size)
            )
        })
        .unwrap_or_default();
    if cluster_pages.is_empty() {
        targets.push(Target {
            name: format!(
                "claim_rewards_cluster, {MAX_PROVIDERS_PER_OWNER} providers of one model"
            ),
            value: "not measured".into(),
            limit: mega(PROOF_TARGET),
            pass: None,
        });
    }
    for (key, figure) in &cluster_pages {
        targets.push(Target {
            name: format!("{key} (one transaction), proof_size"),
            value: format!(
                "{} ({:.1}% of 6.5 MiB){cluster_sum}",
                mega(figure.proof_size),
                extrinsic_share(figure.proof_size)
            ),
            limit: mega(PROOF_TARGET),
            pass: Some(figure.proof_size <= PROOF_TARGET),
        });
        targets.push(Target {
            name: format!("{key} (one transaction), ref_time"),
            value: giga(figure.ref_time),
            limit: giga(CLUSTER_REF_TIME_TARGET),
            pass: Some(figure.ref_time <= CLUSTER_REF_TIME_TARGET),
        });
        covered.push(key.clone());
    }
    let spread: Vec<String> = recorder
        .figures
        .iter()
        .map(|(key, _)| key.clone())
        .filter(|key| {
            (key.starts_with("provider_registry.claim_rewards_cluster")
                || key.starts_with("provider_registry.unstake_cluster"))
                && key.contains(" models")
                && !key.contains("sum of")
        })
        .collect();
    if spread.is_empty() {
        targets.push(Target {
            name: "cluster operations, worst spread over models, proof_size".into(),
            value: "not measured".into(),
            limit: mega(PROOF_TARGET),
            pass: None,
        });
    }
    for key in spread {
        proof_target(format!("{key} proof_size"), &key, &mut targets);
        covered.push(key);
    }
    // A block limit applies to each transaction: the report's batch is `record_provider_shards`;
    // `set_epoch_reward` is a transaction of its own, checked with every other message. The
    // two summed are still printed in the table (`reward_report`).
    let report_key = format!(
        "provider_staking.record_provider_shards[{}]",
        providers(MAX_BATCH_SIZE)
    );
    proof_target(
        format!(
            "scheduler report at the batch bound (record_provider_shards of {MAX_BATCH_SIZE}; \
             set_epoch_reward is its own transaction), proof_size"
        ),
        &report_key,
        &mut targets,
    );
    covered.push(report_key);
    covered.push(format!(
        "provider_staking.reward_report[{}]",
        providers(MAX_BATCH_SIZE)
    ));
    targets.extend(scale_run_report());
    let outage_key = outage_report_key();
    proof_target(
        "scheduler report at the batch bound after an outage at MAX_REWARD_DELAY \
         (issue 17, item 3), proof_size"
            .to_string(),
        &outage_key,
        &mut targets,
    );
    covered.push(outage_key);
    let whitelist_key = format!("provider_registry.whitelist[{MAX_BATCH_SIZE} ids]");
    proof_target(
        format!("whitelist at the batch bound ({MAX_BATCH_SIZE} ids), proof_size"),
        &whitelist_key,
        &mut targets,
    );
    covered.push(whitelist_key);
    let others: Vec<&(String, Figure)> = recorder
        .figures
        .iter()
        .filter(|(key, _)| {
            !covered.contains(key) && !key.starts_with(REFERENCE_LABEL) && !key.contains("sum of")
        })
        .collect();
    let over: Vec<String> = others
        .iter()
        .filter(|(_, figure)| figure.proof_size > PROOF_TARGET)
        .map(|(key, figure)| format!("{key} {}", mega(figure.proof_size)))
        .collect();
    let heaviest = others
        .iter()
        .max_by_key(|(_, figure)| figure.proof_size)
        .map(|(key, figure)| format!("{key} {}", mega(figure.proof_size)));
    targets.push(Target {
        name: format!("every other message ({}), proof_size", others.len()),
        value: if over.is_empty() {
            format!("heaviest: {}", heaviest.unwrap_or_else(|| "-".into()))
        } else {
            format!("over: {}", over.join("; "))
        },
        limit: mega(PROOF_TARGET),
        pass: (!others.is_empty()).then_some(over.is_empty()),
    });
    for (key, before_ref, before_proof) in BEFORE_ISSUE_12 {
        let now = recorder.get(key);
        targets.push(Target {
            name: format!("{key} not heavier than on 2026-11-25"),
            value: now.map_or("not measured".into(), |now| {
                format!(
                    "{} / {} vs {} / {}",
                    giga(now.ref_time),
                    kilo(now.proof_size),
                    giga(before_ref),
                    kilo(before_proof)
                )
            }),
            limit: format!("{} / {}", giga(before_ref), kilo(before_proof)),
            pass: now.map(|now| {
                now.ref_time <= before_ref + BEFORE_ROUNDING.0
                    && now.proof_size <= before_proof + BEFORE_ROUNDING.1
            }),
        });
    }
    for (contract, size) in code_sizes {
        if contract == REFERENCE_LABEL {
            continue;
        }
        targets.push(Target {
            name: format!("{contract} optimized Wasm <= 64 KiB"),
            value: format!("{size} B"),
            limit: format!("{MAX_CODE_SIZE} B"),
            pass: Some(*size <= MAX_CODE_SIZE),
        });
    }
    targets
}

/// The cost of one more provider in a batch, from batches of `small` and `large`.
struct Marginal {
    name: String,
    small: usize,
    large: usize,
    /// Per provider.
    ref_time: f64,
    proof_size: f64,
    /// Largest batch whose proof_size stays within [`PROOF_TARGET`] (with `budget_note`).
    fits: Option<u64>,
    budget_note: String,
}

fn marginals(recorder: &Recorder) -> Vec<Marginal> {
    let set_key = format!(
        "provider_staking.set_epoch_reward[{}]",
        providers(MAX_BATCH_SIZE)
    );
    let set_proof = recorder.get(&set_key).map_or(0, |figure| figure.proof_size);
    let pairs = [
        (
            "whitelist, per id".to_string(),
            "provider_registry.whitelist[10 ids]".to_string(),
            format!("provider_registry.whitelist[{MAX_BATCH_SIZE} ids]"),
            0,
            String::new(),
        ),
        (
            "scheduler report (record_provider_shards), per provider".to_string(),
            "provider_staking.record_provider_shards[10 providers]".to_string(),
            format!(
                "provider_staking.record_provider_shards[{}]",
                providers(MAX_BATCH_SIZE)
            ),
            set_proof,
            format!(
                " with set_epoch_reward ({}) in the same report",
                kilo(set_proof)
            ),
        ),
    ];
    pairs
        .into_iter()
        .filter_map(|(name, small_key, large_key, reserved, budget_note)| {
            let (small, large) = (recorder.get(&small_key)?, recorder.get(&large_key)?);
            let (n_small, n_large) = (10usize, MAX_BATCH_SIZE);
            let span = (n_large - n_small) as f64;
            let ref_time = (large.ref_time as f64 - small.ref_time as f64) / span;
            let proof_size = (large.proof_size as f64 - small.proof_size as f64) / span;
            let budget = PROOF_TARGET.saturating_sub(reserved) as f64 - small.proof_size as f64;
            let fits = (proof_size > 0.0 && budget >= 0.0)
                .then(|| n_small as u64 + (budget / proof_size).floor() as u64);
            Some(Marginal {
                name,
                small: n_small,
                large: n_large,
                ref_time,
                proof_size,
                fits,
                budget_note,
            })
        })
        .collect()
}

/// The heaviest batch of `MAX_BATCH_SIZE` in the reports of the last scale run
/// (`scripts/load.sh`, `$CARGO_TARGET_DIR/load/results.json`), if there is one: a report that
/// folds its providers' final epochs into their ledgers, which a fresh batch (measured here)
/// does not.
fn scale_run_report() -> Option<Target> {
    let path = target_dir().join("load").join("results.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let number = |value: &serde_json::Value| {
        value
            .as_str()
            .and_then(|text| text.parse::<u64>().ok())
            .or_else(|| value.as_u64())
    };
    let (epoch, ref_time, proof_size) = json["report_series"]
        .as_array()?
        .iter()
        .filter_map(|entry| {
            Some((
                entry["epoch"].as_u64()?,
                number(&entry["heaviest_batch_ref_time"])?,
                number(&entry["heaviest_batch_proof_size"])?,
            ))
        })
        .max_by_key(|(_, _, proof_size)| *proof_size)?;
    Some(Target {
        name: format!(
            "scheduler report at the batch bound, heaviest batch of the last scale run \
             (record_provider_shards of {MAX_BATCH_SIZE} folding final epochs; scripts/load.sh, \
             {}), proof_size",
            json["date"].as_str().unwrap_or("undated")
        ),
        value: format!(
            "{} ({:.1}% of 6.5 MiB), {} (epoch {epoch})",
            mega(proof_size),
            extrinsic_share(proof_size),
            giga(ref_time)
        ),
        limit: mega(PROOF_TARGET),
        pass: Some(proof_size <= PROOF_TARGET),
    })
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    part as f64 * 100.0 / whole as f64
}

fn deposit_text(deposit: i128, node: &NodeInfo) -> String {
    if deposit == 0 {
        return "0".into();
    }
    let kind = if deposit > 0 { "charge" } else { "refund" };
    match node.token_decimals {
        Some(decimals) => format!(
            "{:+.4} {} ({kind})",
            deposit as f64 / 10f64.powi(decimals as i32),
            node.token_symbol.as_deref().unwrap_or("units")
        ),
        None => format!("{deposit:+} ({kind})"),
    }
}

/// Rows of the table, by group; within a group by the count in the case (then as measured).
const TABLE_ORDER: [&str; 21] = [
    "func_token.",
    "psp22_reference.",
    "provider_registry.register[",
    "provider_registry.register_and_stake[",
    "provider_registry.update_metadata[",
    "provider_registry.whitelist[",
    "provider_registry.remove_from_whitelist[",
    "provider_registry.get_",
    "model_router.",
    "provider_staking.stake_for_provider[",
    "provider_staking.unstake_provider[",
    "provider_staking.set_epoch_reward[",
    "provider_staking.record_provider_shards[",
    "provider_staking.reward_report[",
    "provider_staking.claim_rewards[",
    "provider_registry.claim_rewards_cluster[",
    "provider_registry.claim_rewards_cluster_from[",
    "provider_registry.unstake_cluster[",
    "provider_registry.unstake_cluster_from[",
    "provider_registry.",
    "provider_staking.",
];

fn row_order(key: &str) -> (usize, u64) {
    let group = TABLE_ORDER
        .iter()
        .position(|prefix| key.starts_with(prefix))
        .unwrap_or(TABLE_ORDER.len());
    let count = key
        .split_once('[')
        .map(|(_, case)| {
            case.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0);
    (group, count)
}

fn print_report(
    recorder: &Recorder,
    node: &NodeInfo,
    code_sizes: &[(String, u64)],
    targets: &[Target],
) {
    let block = node.max_block_ref_time;
    println!();
    println!(
        "Node: {} {} ({}), runtime {} v{}",
        node.name, node.version, node.chain, node.spec_name, node.spec_version
    );
    println!(
        "Block limits: ref_time {} (normal extrinsics: max_extrinsic {}, max_total {}), \
         proof_size {}",
        giga(block),
        node.normal_max_extrinsic_ref_time.map_or("-".into(), giga),
        node.normal_max_total_ref_time.map_or("-".into(), giga),
        if node.max_block_proof_size == u64::MAX {
            "unlimited".into()
        } else {
            kilo(node.max_block_proof_size)
        }
    );
    if let (Some(item), Some(byte)) = (node.deposit_per_item, node.deposit_per_byte) {
        println!("Storage deposit: {item} per item, {byte} per byte (smallest unit)");
    }
    println!();
    let width = recorder
        .figures
        .iter()
        .map(|(key, _)| key.len())
        .max()
        .unwrap_or(10)
        .max(7);
    println!(
        "{:<width$}  {:>11}  {:>9}  {:>11}  {:>11}  storage deposit (smallest unit)",
        "message", "ref_time", "% block", "proof_size", "% 6.5 MiB"
    );
    println!("{}", "-".repeat(width + 74));
    let mut rows: Vec<_> = recorder.figures.iter().collect();
    rows.sort_by_key(|(key, _)| row_order(key));
    let mut section = None;
    for (key, figure) in rows {
        let group = row_order(key).0;
        if section.is_some_and(|section| section != group) {
            println!();
        }
        section = Some(group);
        let flag = if figure.proof_size > PROOF_TARGET && !key.starts_with(REFERENCE_LABEL) {
            "  OVER 1.0 MB"
        } else {
            ""
        };
        println!(
            "{:<width$}  {:>11}  {:>8.3}%  {:>11}  {:>10.2}%  {}{flag}",
            key,
            giga(figure.ref_time),
            percent(figure.ref_time, block),
            kilo(figure.proof_size),
            extrinsic_share(figure.proof_size),
            deposit_text(figure.storage_deposit, node)
        );
    }
    println!();
    println!("Optimized Wasm code size");
    for (contract, size) in code_sizes {
        println!(
            "  {contract:<20} {size:>7} B  ({:.1} KiB)",
            *size as f64 / 1024.0
        );
    }
    println!();
    println!(
        "Marginal cost per provider (from batches of 10 and {MAX_BATCH_SIZE}, the bound; for \
         choosing the batch bounds)"
    );
    for marginal in marginals(recorder) {
        println!(
            "  {}: +{:.3} G ref_time, +{:.1} KB proof_size ({} -> {}); within {}{}: {} \
             providers",
            marginal.name,
            marginal.ref_time / 1e9,
            marginal.proof_size / 1e3,
            marginal.small,
            marginal.large,
            mega(PROOF_TARGET),
            marginal.budget_note,
            marginal
                .fits
                .map_or("-".to_string(), |fits| fits.to_string())
        );
    }
    println!();
    println!(
        "Targets (issue 12: proof_size against {} per message, {:.1}% of a 6.5 MiB extrinsic)",
        mega(PROOF_TARGET),
        extrinsic_share(PROOF_TARGET)
    );
    for target in targets {
        let verdict = match target.pass {
            Some(true) => "PASS",
            Some(false) => "MISS",
            None => "N/A ",
        };
        println!(
            "  {verdict}  {}: {} (limit {})",
            target.name, target.value, target.limit
        );
    }
    if !recorder.issues.is_empty() {
        println!();
        println!("Issues");
        for issue in &recorder.issues {
            println!("  - {issue}");
        }
    }
}

fn write_json(
    path: &Path,
    recorder: &Recorder,
    node: &NodeInfo,
    code_sizes: &[(String, u64)],
    targets: &[Target],
    seconds: u64,
) -> std::io::Result<()> {
    let mut messages = Map::new();
    for (key, figure) in &recorder.figures {
        messages.insert(
            key.clone(),
            json!({
                "ref_time": figure.ref_time,
                "proof_size": figure.proof_size,
                "proof_size_percent_of_extrinsic": (extrinsic_share(figure.proof_size) * 100.0).round() / 100.0,
                // Deposits are far below 2^63; JSON numbers are 64-bit.
                "storage_deposit": i64::try_from(figure.storage_deposit).unwrap_or(i64::MAX),
            }),
        );
    }
    let code_size: Map<String, serde_json::Value> = code_sizes
        .iter()
        .map(|(name, size)| (name.clone(), json!(size)))
        .collect();
    let results = json!({
        "node": {
            "name": node.name,
            "version": node.version,
            "chain": node.chain,
            "spec_name": node.spec_name,
            "spec_version": node.spec_version,
            "max_block_ref_time": node.max_block_ref_time,
            "max_block_proof_size": node.max_block_proof_size,
            "normal_max_extrinsic_ref_time": node.normal_max_extrinsic_ref_time,
            "normal_max_total_ref_time": node.normal_max_total_ref_time,
            "deposit_per_item": node.deposit_per_item.map(|v| v.to_string()),
            "deposit_per_byte": node.deposit_per_byte.map(|v| v.to_string()),
            "token_decimals": node.token_decimals,
            "token_symbol": node.token_symbol,
        },
        "code_size": code_size,
        "extrinsic_proof_size": EXTRINSIC_PROOF_SIZE,
        "proof_target": PROOF_TARGET,
        "marginal_per_provider": marginals(recorder).iter().map(|marginal| json!({
            "name": marginal.name,
            "from_batches": [marginal.small, marginal.large],
            "ref_time": marginal.ref_time.round() as u64,
            "proof_size": marginal.proof_size.round() as u64,
            "fits_proof_target": marginal.fits,
        })).collect::<Vec<_>>(),
        "messages": messages,
        "targets": targets.iter().map(|target| json!({
            "name": target.name,
            "value": target.value,
            "limit": target.limit,
            "pass": target.pass,
        })).collect::<Vec<_>>(),
        "issues": recorder.issues,
        "seconds": seconds,
    });
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string_pretty(&results).map_err(std::io::Error::other)?;
    std::fs::write(path, text + "\n")
}

// ---------------------------------------------------------------------------------------------

async fn run(started: Instant) -> E2EResult<()> {
    let mut artifacts: Vec<(String, PathBuf)> = CONTRACTS
        .iter()
        .map(|name| (name.to_string(), wasm_path(name)))
        .collect();
    artifacts.push((REFERENCE_LABEL.to_owned(), wasm_path(REFERENCE)));
    for (_, path) in &artifacts {
        if !path.exists() {
            return Err(format!(
                "{} is missing: run scripts/bench.sh (it builds the release contracts and the \
                 reference PSP22)",
                path.display()
            )
            .into());
        }
    }
    let code_sizes: Vec<(String, u64)> = artifacts
        .iter()
        .map(|(name, path)| Ok((name.clone(), std::fs::metadata(path)?.len())))
        .collect::<std::io::Result<_>>()?;

    let node = TestNodeProcess::<PolkadotConfig>::build_with_env_or_default()
        .spawn()
        .await
        .map_err(|error| {
            format!(
                "spawning substrate-contracts-node failed (is it on PATH or in \
                 CONTRACTS_NODE?): {error}"
            )
        })?;
    let node_info = node_info(&node).await?;
    eprintln!(
        "==> node {} {}: block ref_time {}",
        node_info.name,
        node_info.version,
        giga(node_info.max_block_ref_time)
    );
    let mut client =
        E2EClient::new(node.rpc(), artifacts.iter().map(|(_, path)| path.clone())).await?;
    let params = Params {
        epoch_length: MIN_EPOCH_LENGTH,
        epoch_reward_delay: REWARD_DELAY,
        ..Params::default()
    };
    eprintln!("==> deploying the suite");
    let suite = deploy(&mut client, params).await?;
    let mut recorder = Recorder::default();
    if let Err(error) = bench_node(&mut client, &suite, &mut recorder).await {
        recorder.issue(format!("the benchmark stopped early: {error}"));
    }

    let targets = targets(&recorder, &node_info, &code_sizes);
    print_report(&recorder, &node_info, &code_sizes, &targets);
    let seconds = started.elapsed().as_secs();
    let path = target_dir().join("bench").join("results.json");
    write_json(&path, &recorder, &node_info, &code_sizes, &targets, seconds)?;
    println!();
    println!("Results: {} ({seconds} s)", path.display());
    Ok(())
}

fn main() {
    let started = Instant::now();
    let runtime = ink_e2e::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(error) = runtime.block_on(run(started)) {
        eprintln!("bench failed: {error}");
        std::process::exit(1);
    }
}
