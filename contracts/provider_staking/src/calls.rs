//! Every call the pool makes to another contract. Each maps an environment failure (trap, no
//! contract, out of gas) and a `LangError` (unknown selector, undecodable input) to
//! `CrossContractCall`, and the callee's own error into a `StakingError`.
use func_interfaces::{
    AccountId, Balance, EpochController, EpochInfo, ModelContext, ModelId, ModelRouter, ProviderId,
    ProviderRegistry, ProviderView, RegistryError, RouterError, StakingError, PSP22,
};
use ink::{codegen::TraitCallBuilder, env::DefaultEnvironment, prelude::vec::Vec};

type TokenRef = ink::contract_ref!(PSP22, DefaultEnvironment);
type RegistryRef = ink::contract_ref!(ProviderRegistry, DefaultEnvironment);
type RouterRef = ink::contract_ref!(ModelRouter, DefaultEnvironment);
type EpochControllerRef = ink::contract_ref!(EpochController, DefaultEnvironment);

/// What `try_invoke` returns for a message of return type `T`.
type Invoked<T> = Result<ink::MessageResult<T>, ink::env::Error>;

/// Unwraps the two layers of call failure.
fn returned<T>(invoked: Invoked<T>) -> Result<T, StakingError> {
    invoked
        .map_err(|_| StakingError::CrossContractCall)?
        .map_err(|_| StakingError::CrossContractCall)
}

/// `PSP22::transfer_from`: pulls `amount` from `from` to `to`; the pool must be approved.
pub fn transfer_from(
    token: AccountId,
    from: AccountId,
    to: AccountId,
    amount: Balance,
) -> Result<(), StakingError> {
    let mut token: TokenRef = token.into();
    returned(
        token
            .call_mut()
            .transfer_from(from, to, amount, Vec::new())
            .try_invoke(),
    )?
    .map_err(StakingError::Token)
}

/// `PSP22::transfer`: pays `amount` from the pool to `to`.
pub fn transfer(token: AccountId, to: AccountId, amount: Balance) -> Result<(), StakingError> {
    let mut token: TokenRef = token.into();
    returned(
        token
            .call_mut()
            .transfer(to, amount, Vec::new())
            .try_invoke(),
    )?
    .map_err(StakingError::Token)
}

/// `PSP22::balance_of`: FUNC held by `owner`.
pub fn balance_of(token: AccountId, owner: AccountId) -> Result<Balance, StakingError> {
    let token: TokenRef = token.into();
    returned(token.call().balance_of(owner).try_invoke())
}

/// `ProviderRegistry::staking_view`: owner, model, whitelist, jail and deactivation of `id`.
pub fn staking_view(registry: AccountId, id: ProviderId) -> Result<ProviderView, StakingError> {
    let registry: RegistryRef = registry.into();
    returned(registry.call().staking_view(id).try_invoke())?.map_err(|error| match error {
        RegistryError::ProviderNotFound => StakingError::ProviderNotFound,
        _ => StakingError::CrossContractCall,
    })
}

/// `ModelRouter::model_context`: stake amount and enabled flag of `model_id`.
pub fn model_context(router: AccountId, model_id: ModelId) -> Result<ModelContext, StakingError> {
    let router: RouterRef = router.into();
    returned(router.call().model_context(model_id).try_invoke())?.map_err(|error| match error {
        RouterError::ModelNotFound => StakingError::ModelNotFound,
        other => StakingError::Router(other),
    })
}

/// `EpochController::epoch_info`: current epoch, lock and reward delay.
pub fn epoch_info(epoch_controller: AccountId) -> Result<EpochInfo, StakingError> {
    let controller: EpochControllerRef = epoch_controller.into();
    returned(controller.call().epoch_info().try_invoke())
}
