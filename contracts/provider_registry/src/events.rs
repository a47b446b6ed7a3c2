//! Events of the provider registry. Access-control events (`OwnershipTransferStarted`,
//! `OwnershipTransferred`, `RoleGranted`, `RoleRevoked`, `Paused`, `Unpaused`, `CodeUpgraded`)
//! come from `func_interfaces::access`.
use func_interfaces::{AccountId, Balance, EpochId, ModelId, ProviderId, StakingError};
use ink::prelude::{string::String, vec::Vec};

/// A provider was registered (by `register` or `register_and_stake`).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderRegistered {
    #[ink(topic)]
    pub id: ProviderId,
    #[ink(topic)]
    pub model_id: ModelId,
    /// The caller, now the provider's owner.
    #[ink(topic)]
    pub owner: AccountId,
    /// The epoch of the registration.
    pub epoch: EpochId,
    pub metadata: String,
}

/// The owner replaced a provider's metadata.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderMetadataUpdated {
    #[ink(topic)]
    pub id: ProviderId,
    pub metadata: String,
}

/// The owner deactivated a provider.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderDeactivated {
    #[ink(topic)]
    pub id: ProviderId,
}

/// The owner reactivated a provider.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderReactivated {
    #[ink(topic)]
    pub id: ProviderId,
}

/// A provider was put on the whitelist (by a whitelister, or at registration with automatic
/// whitelisting on).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderWhitelisted {
    #[ink(topic)]
    pub id: ProviderId,
}

/// A whitelister took a provider off the whitelist.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderRemovedFromWhitelist {
    #[ink(topic)]
    pub id: ProviderId,
}

/// A whitelister jailed a provider: it is jailed while `current_epoch < jailed_until`.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderJailed {
    #[ink(topic)]
    pub id: ProviderId,
    /// The length of the sentence, in epochs.
    pub epochs: u32,
    pub jailed_until: EpochId,
}

/// A whitelister released a jailed provider.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderUnjailed {
    #[ink(topic)]
    pub id: ProviderId,
}

/// The owner switched automatic whitelisting at registration on or off.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct AutomaticWhitelistToggled {
    pub enabled: bool,
}

/// `claim_rewards_cluster` ran over all of `owner`'s providers.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct RewardClaimedForCluster {
    #[ink(topic)]
    pub owner: AccountId,
    /// The current epoch.
    pub epoch: EpochId,
    pub from_epoch: EpochId,
    pub to_epoch: EpochId,
    pub succeeded: Vec<ProviderId>,
    /// Each failed provider with the pool's error.
    pub failed: Vec<(ProviderId, StakingError)>,
    pub total_claimed: Balance,
}

/// `unstake_cluster` ran over all of `owner`'s providers.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct UnstakeCluster {
    #[ink(topic)]
    pub owner: AccountId,
    /// The current epoch.
    pub epoch: EpochId,
    pub succeeded: Vec<ProviderId>,
    /// Each failed provider with the pool's error.
    pub failed: Vec<(ProviderId, StakingError)>,
    pub total_unstaked: Balance,
}

/// A provider id was freed: by its owner (`deregister`) or by governance (`release_provider`,
/// `by` is then the whitelister). Any stake went back to `owner` first; rewards `owner` earned
/// with the id stay claimable by `owner` in the model's pool.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderDeregistered {
    #[ink(topic)]
    pub id: ProviderId,
    #[ink(topic)]
    pub model_id: ModelId,
    #[ink(topic)]
    pub owner: AccountId,
    /// Who freed the id (the owner, or a whitelister).
    pub by: AccountId,
    /// FUNC returned to `owner` from the pool by a governance release (0 otherwise).
    pub returned_stake: Balance,
}
