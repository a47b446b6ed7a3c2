//! Every call the registry makes to another contract. Each maps an environment failure (trap,
//! no contract, out of gas) and a `LangError` (unknown selector, undecodable input) to
//! `CrossContractCall`, and the callee's own error into a `RegistryError`.
use func_interfaces::{
    AccountId, Balance, EpochController, EpochId, ModelContext, ModelId, ModelRouter, ProviderId,
    ProviderStaking, ProviderView, RegistryError, RouterError, StakingError,
};
use ink::{codegen::TraitCallBuilder, env::DefaultEnvironment, prelude::vec::Vec};

type RouterRef = ink::contract_ref!(ModelRouter, DefaultEnvironment);
type EpochControllerRef = ink::contract_ref!(EpochController, DefaultEnvironment);
type PoolRef = ink::contract_ref!(ProviderStaking, DefaultEnvironment);

/// What `try_invoke` returns for a message of return type `T`.
type Invoked<T> = Result<ink::MessageResult<T>, ink::env::Error>;

/// Unwraps the two layers of call failure.
fn returned<T>(invoked: Invoked<T>) -> Result<T, RegistryError> {
    invoked
        .map_err(|_| RegistryError::CrossContractCall)?
        .map_err(|_| RegistryError::CrossContractCall)
}

/// `ModelRouter::model_context`: stake amount, enabled flag and pool of `model_id`.
pub fn model_context(router: AccountId, model_id: ModelId) -> Result<ModelContext, RegistryError> {
    let router: RouterRef = router.into();
    returned(router.call().model_context(model_id).try_invoke())?.map_err(|error| match error {
        RouterError::ModelNotFound => RegistryError::ModelNotFound,
        other => RegistryError::Router(other),
    })
}

/// `EpochController::epoch_info`, reduced to the current epoch.
pub fn current_epoch(epoch_controller: AccountId) -> Result<EpochId, RegistryError> {
    let controller: EpochControllerRef = epoch_controller.into();
    Ok(returned(controller.call().epoch_info().try_invoke())?.current_epoch)
}

/// `ProviderStaking::stake_for_registered`: stakes what `view.owner` is missing for `id`.
pub fn stake_for_registered(
    pool: AccountId,
    id: ProviderId,
    view: ProviderView,
) -> Result<Balance, RegistryError> {
    let mut pool: PoolRef = pool.into();
    returned(pool.call_mut().stake_for_registered(id, view).try_invoke())?
        .map_err(RegistryError::Staking)
}

/// One result per id, in order, from a pool's cluster message.
type PoolResults = Result<Vec<Result<Balance, StakingError>>, RegistryError>;

/// `ProviderStaking::claim_cluster_for_registered`: claims every listed id of `owner` in one
/// pool call, paid with one transfer.
pub fn claim_cluster_for_registered(
    pool: AccountId,
    owner: AccountId,
    entries: Vec<(ProviderId, ProviderView)>,
    from_epoch: EpochId,
    to_epoch: EpochId,
) -> PoolResults {
    let mut pool: PoolRef = pool.into();
    returned(
        pool.call_mut()
            .claim_cluster_for_registered(owner, entries, from_epoch, to_epoch)
            .try_invoke(),
    )?
    .map_err(RegistryError::Staking)
}

/// `ProviderStaking::unstake_cluster_for_registered`: unstakes every listed id of `owner` in
/// one pool call, returned with one transfer.
pub fn unstake_cluster_for_registered(
    pool: AccountId,
    owner: AccountId,
    entries: Vec<(ProviderId, ProviderView)>,
) -> PoolResults {
    let mut pool: PoolRef = pool.into();
    returned(
        pool.call_mut()
            .unstake_cluster_for_registered(owner, entries)
            .try_invoke(),
    )?
    .map_err(RegistryError::Staking)
}

/// `ProviderStaking::release_for_registered`: returns `id`'s whole stake to its owner now.
pub fn release_for_registered(
    pool: AccountId,
    id: ProviderId,
    view: ProviderView,
) -> Result<Balance, RegistryError> {
    let mut pool: PoolRef = pool.into();
    returned(
        pool.call_mut()
            .release_for_registered(id, view)
            .try_invoke(),
    )?
    .map_err(RegistryError::Staking)
}

/// `ProviderStaking::staked_amounts`: the stake of each id, in order.
pub fn staked_amounts(
    pool: AccountId,
    ids: Vec<ProviderId>,
) -> Result<Vec<Balance>, RegistryError> {
    let pool: PoolRef = pool.into();
    returned(pool.call().staked_amounts(ids).try_invoke())
}

/// The pool's error behind a failed pool call, for a cluster outcome: `CrossContractCall` when
/// the call itself failed.
pub fn staking_error(error: RegistryError) -> StakingError {
    match error {
        RegistryError::Staking(error) => error,
        _ => StakingError::CrossContractCall,
    }
}
