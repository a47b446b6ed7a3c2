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

/// A provider's state as a staking pool needs it. The registry passes it along when it calls a
/// pool (cluster operations, `register_and_stake`); a pool called directly asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct ProviderView {
    /// The account that registered the provider; stakes come from and go back to it.
    pub owner: AccountId,
    /// The model the provider serves.
    pub model_id: ModelId,
    /// On the whitelist (jail is separate, see `jailed_until`).
    pub whitelisted: bool,
    /// The provider is jailed while `current_epoch < jailed_until`.
    pub jailed_until: EpochId,
    /// The owner deactivated the provider.
    pub deactivated: bool,
}

impl ProviderView {
    /// Jailed in `epoch`.
    pub fn jailed_at(&self, epoch: EpochId) -> bool {
        epoch < self.jailed_until
    }
}
