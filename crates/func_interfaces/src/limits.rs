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
/// node (`scripts/bench.sh`, 2026-11-29, claims with a fold): a call for 1 provider costs
/// 438 KB of proof (codes of the registry, the pool, the token, the epoch controller), each
/// more provider of the same pool about 92 KB (its record, reward account, pending list and
/// ledger cells), each more pool about 345 KB (its code and its provider). 7 units keep a page
/// under 1.0 MB (438 KB + 6 × 92 KB ≈ 990 KB); an owner's further providers continue on the
/// next page (`ClusterOutcome::next_start`).
pub const CLUSTER_CALL_BUDGET: u32 = 7;
/// What a cluster page's second and later pools cost on top of their first provider, in the
/// units of [`CLUSTER_CALL_BUDGET`] (345 KB − 92 KB ≈ 3 × 92 KB).
pub const CLUSTER_EXTRA_POOL_COST: u32 = 3;
/// Most staking pools one cluster page calls, as the budget allows (1 + 3 + 1 + 3 > 7).
pub const MAX_CLUSTER_POOLS_PER_CALL: u32 = 2;
/// Most ids in one whitelist / remove-from-whitelist call or one scheduler shard report.
/// Measured (`scripts/bench.sh`, 2026-11-29): `record_provider_shards` costs 191 KB of proof
/// plus about 31 KB per provider (its stake and its pending list), `whitelist` 126 KB plus
/// about 27 KB per id (its record, read and written): 25 keep both under 1.0 MB (≈ 965 KB and
/// ≈ 770 KB; ref_time ≈ 9 G and ≈ 14 G).
pub const MAX_BATCH_SIZE: usize = 25;
/// Largest page of a paginated view (models, providers of a model, active providers). Views
/// are read by RPC dry-runs, where no proof limit applies (a page of 100 active providers
/// measures 4.4 MB of proof and 29 G ref_time); a contract calling them on-chain must ask for
/// smaller pages.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Longest jail sentence, in epochs.
pub const MAX_JAIL_EPOCHS: u32 = 100_000;
/// Most epochs one boost may be spread over. Measured (`scripts/bench.sh`, 2026-11-29): a
/// boost costs about 250 KB of proof plus about 21 KB per epoch (its boost cell and the open
/// epoch list); 32 keep it under 1.0 MB (100 epochs measured 2.3 MB).
pub const MAX_BOOST_EPOCHS: u32 = 32;

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
