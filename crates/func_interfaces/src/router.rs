//! The model router's cross-contract view and errors.
use crate::{
    access::AccessError,
    types::{AccountId, Balance, ModelId},
};

/// What the registry and a pool need to know about a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct ModelContext {
    /// FUNC a provider of this model must stake to be active.
    pub stake_amount: Balance,
    /// Whether the model accepts registrations and stakes.
    pub enabled: bool,
    /// The model's `provider_staking` pool.
    pub pool: AccountId,
}

/// Errors of `model_router`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum RouterError {
    /// Caller lacks the owner or the needed role, or the router is paused.
    Access(AccessError),
    /// No model has this id.
    ModelNotFound,
    /// A model with this id already exists.
    ModelAlreadyExists,
    /// The model name is empty or longer than `MAX_MODEL_NAME_LEN` bytes.
    InvalidModelName,
    /// A model's stake amount must be greater than zero.
    ZeroStakeAmount,
    /// The model is already enabled.
    ModelAlreadyEnabled,
    /// The model is already disabled.
    ModelAlreadyDisabled,
    /// `create_model` needs the registry address (`set_provider_registry`) first.
    RegistryNotSet,
    /// The registry address is set once, at deployment.
    RegistryAlreadySet,
    /// The chain refused to instantiate the model's staking pool.
    PoolInstantiationFailed,
}

impl From<AccessError> for RouterError {
    fn from(error: AccessError) -> Self {
        Self::Access(error)
    }
}

/// Implemented by `model_router`; called by the registry and the staking pools.
#[ink::trait_definition]
pub trait ModelRouter {
    /// Stake requirement, enabled flag and pool of `model_id`.
    ///
    /// # Errors
    /// `ModelNotFound` for an unknown model.
    #[ink(message)]
    fn model_context(&self, model_id: ModelId) -> Result<ModelContext, RouterError>;
}
