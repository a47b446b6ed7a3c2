//! Events of `model_router`. Ownership, role and code-upgrade events come from
//! `func_interfaces::access`.
use func_interfaces::{AccountId, Balance, Hash, ModelId};
use ink::prelude::string::String;

/// A model was created together with its staking pool.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ModelCreated {
    /// Id of the new model.
    #[ink(topic)]
    pub model_id: ModelId,
    /// Address of the model's new `provider_staking` pool.
    #[ink(topic)]
    pub pool: AccountId,
    /// Name of the model.
    pub name: String,
    /// Number of shards of the model.
    pub shards: u32,
    /// Compute units the model needs.
    pub compute_units: u64,
    /// FUNC a provider must stake.
    pub stake_amount: Balance,
}

/// A disabled model was enabled.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ModelEnabled {
    /// Id of the model.
    #[ink(topic)]
    pub model_id: ModelId,
}

/// An enabled model was disabled.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ModelDisabled {
    /// Id of the model.
    #[ink(topic)]
    pub model_id: ModelId,
}

/// A model's name, shards or compute units were changed.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ModelUpdated {
    /// Id of the model.
    #[ink(topic)]
    pub model_id: ModelId,
    /// New name.
    pub name: String,
    /// New number of shards.
    pub shards: u32,
    /// New compute units.
    pub compute_units: u64,
}

/// A model's stake requirement was changed.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ModelStakeRequirementUpdated {
    /// Id of the model.
    #[ink(topic)]
    pub model_id: ModelId,
    /// The requirement before the change.
    pub previous: Balance,
    /// The new requirement.
    pub stake_amount: Balance,
}

/// The provider registry's address was set (once).
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderRegistrySet {
    /// Address of the `provider_registry` contract.
    #[ink(topic)]
    pub registry: AccountId,
}

/// The code hash that new staking pools are instantiated from was changed.
#[ink::event]
#[derive(Debug, PartialEq, Eq)]
pub struct StakingCodeHashUpdated {
    /// The code hash before the change.
    pub previous: Hash,
    /// The new code hash.
    #[ink(topic)]
    pub code_hash: Hash,
}
