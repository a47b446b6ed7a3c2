//! Bounds on inputs and on every loop in the suite. Each loop in a contract names the bound it
//! relies on; the figures behind the choices are in the benchmark output (`scripts/bench.sh`).

/// Longest provider id, in bytes (seed: "max 64 bytes").
pub const MAX_PROVIDER_ID_LEN: usize = 64;
/// Longest provider metadata JSON, in bytes.
pub const MAX_METADATA_LEN: usize = 1024;
/// Longest model name, in bytes.
pub const MAX_MODEL_NAME_LEN: usize = 64;
/// Most provider ids one owner may register; bounds `claim_rewards_cluster` and `unstake_cluster`.
pub const MAX_PROVIDERS_PER_OWNER: u32 = 32;
/// Proof budget of one cluster call (`claim_rewards_cluster`, `unstake_cluster` and their
/// `*_from(start)` pages), in units of one more provider of the same pool. Measured on the dev
/// node (`scripts/bench.sh`, 2026-11-29, commit 008be64): a page of 1 provider costs 655 KB of
/// proof for a claim and 594 KB for an unstake (the codes of the registry, the pool, the token
/// and the epoch controller, and the owner's index); a page of 3 providers of one pool,
/// 1.016 MB for both; so each more provider costs about 180 KB (its record, stake or reward
/// account and pending list, the reports behind its final pending epochs, the pool's scalars).
/// 2 units keep a page under 1.0 MB: in the 1,000-provider scale run (commit 52a5ab1, one
/// session per claim page) the heaviest page of 2 measured 950 KB for a claim over up to 100
/// epochs and 898 KB for an unstake. An owner's further providers continue on the next page
/// (`ClusterOutcome::next_start`). (Pages of 7 measured 1.264 MB at 6ecfb75.)
pub const CLUSTER_CALL_BUDGET: u32 = 2;
/// What a cluster page's second and later pools cost on top of their first provider, in the
/// units of [`CLUSTER_CALL_BUDGET`] (a pool's code and first provider ≈ 345 KB ≈ 1 + 2 × 138 KB,
/// rounded up). Unused while [`MAX_CLUSTER_POOLS_PER_CALL`] is 1.
pub const CLUSTER_EXTRA_POOL_COST: u32 = 3;
/// Most staking pools one cluster page calls: 1. A page over two pools measured 1.126 MB
/// (claims of 2 providers in 2 pools with folds, 2026-11-29), over the 1.0 MB target.
pub const MAX_CLUSTER_POOLS_PER_CALL: u32 = 1;
/// Most ids in one whitelist / remove-from-whitelist call or one scheduler shard report.
/// A report costs about 150 KB of proof plus, per provider, its stake and its earner cell
/// (about 31 KB, `scripts/bench.sh`: 983 KB for 25) and, when the provider folds its oldest
/// final epoch (every provider that has not claimed for `FOLD_AT` epochs, at every report),
/// one ledger entry more. Before the earner cell merged the account and the pending list a
/// folding batch of 25 measured 1.76 MB (`scripts/load.sh`, commit cc12294: 64 KB per
/// provider). With one cell per earner (commit 52a5ab1) the heaviest batch of 16 in the
/// 1,000-provider scale run, every provider folding, measured 869 KB and 9.7 G (about 45 KB
/// per provider): 16 keep it under 1.0 MB. `whitelist` costs about 27 KB per id.
pub const MAX_BATCH_SIZE: usize = 16;
/// Largest page of a paginated view (models, providers of a model, active providers). Views
/// are read by RPC dry-runs, where no proof limit applies, so gateways read large pages in few
/// round trips. `get_active_providers` is the heavy one (`scripts/bench.sh`, 2026-11-29): 32
/// positions measured 1.59 MB of proof, 100 positions 2.13 MB (the 12 KiB byte budget ends that
/// page early), and a model of 10 active providers 734 KB (`scripts/load.sh`): about 650 KB of
/// calls plus about 30 KB per position (record, metadata, stake). A contract calling it
/// on-chain must ask for at most about 10 positions; bounding every page at that would only
/// multiply the gateways' RPC reads.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Longest jail sentence, in epochs.
pub const MAX_JAIL_EPOCHS: u32 = 100_000;
/// Most epochs one boost may be spread over. Measured (`scripts/bench.sh`, 2026-11-29): a
/// boost costs about 21 KB of proof per epoch (its boost cell and the open epoch list) on top
/// of its base; 32 epochs measured 1.021 MB at commit 52a5ab1 (the empty-root layout reads
/// the access, config and ledger cells), 28 keep it under 1.0 MB (≈ 937 KB; 100 epochs
/// measured 2.3 MB).
pub const MAX_BOOST_EPOCHS: u32 = 28;

/// Epoch length bounds, in blocks.
pub const MIN_EPOCH_LENGTH: u32 = 2;
pub const MAX_EPOCH_LENGTH: u32 = 1_000_000;
/// `min_epochs_locked` bounds.
pub const MIN_EPOCHS_LOCKED: u32 = 1;
pub const MAX_EPOCHS_LOCKED: u32 = 1_000;
/// `epoch_reward_delay` bounds. The delay is at least 2 so that the scheduler has at least one
/// epoch, after an epoch ends and before it becomes claimable, to report and correct it.
pub const MIN_REWARD_DELAY: u32 = 2;
pub const MAX_REWARD_DELAY: u32 = 100;
