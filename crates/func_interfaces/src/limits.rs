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
/// Most staking pools one cluster operation calls (`claim_rewards_cluster`,
/// `unstake_cluster`): an owner whose providers spread over more models continues with the
/// `*_from(start)` forms. Each pool call costs its code (and the token's) in proof size.
pub const MAX_CLUSTER_POOLS_PER_CALL: u32 = 8;
/// Most ids in one whitelist / remove-from-whitelist call or one scheduler shard report.
pub const MAX_BATCH_SIZE: usize = 100;
/// Largest page of a paginated view (models, providers of a model, active providers).
pub const MAX_PAGE_SIZE: u32 = 100;
/// Longest jail sentence, in epochs.
pub const MAX_JAIL_EPOCHS: u32 = 100_000;
/// Most epochs one boost may be spread over.
pub const MAX_BOOST_EPOCHS: u32 = 100;

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
