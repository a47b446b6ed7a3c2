//! Ids and value types shared by all contracts.
use ink::prelude::vec::Vec;

pub use ink::primitives::{AccountId, Hash};

/// Token amounts (FUNC has 18 decimals).
pub type Balance = u128;
/// Epoch numbers. Epoch 1 is the first epoch; 0 means "no epoch" (e.g. nothing claimable yet).
pub type EpochId = u32;
/// Model ids, chosen by the model creator.
pub type ModelId = u32;
/// Provider ids: 1 to [`crate::limits::MAX_PROVIDER_ID_LEN`] bytes, typically the node's peer id.
pub type ProviderId = Vec<u8>;
