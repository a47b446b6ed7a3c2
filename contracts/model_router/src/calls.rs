//! The router's only outgoing call: instantiating a model's staking pool.
use func_interfaces::{AccountId, Hash, ModelId, RouterError};
use ink::env::DefaultEnvironment;
use provider_staking::provider_staking::ProviderStakingPoolRef;

/// Constructor arguments of a model's `provider_staking` pool.
pub struct PoolArgs {
    pub model_id: ModelId,
    pub token: AccountId,
    pub registry: AccountId,
    pub epoch_controller: AccountId,
    /// This router.
    pub router: AccountId,
    /// The pool's owner: the router's owner at creation time.
    pub admin: AccountId,
}

/// Instantiates the pool of `args.model_id` from `code_hash`, with no endowment, and returns
/// its address.
///
/// The salt is the model id. pallet-contracts derives the address from the deployer (this
/// router), the code hash, the constructor input and the salt, and model ids are unique in
/// the router, so two pools never collide.
///
/// # Errors
/// `PoolInstantiationFailed` when the chain refuses (unknown code hash, constructor trap, out
/// of gas or storage deposit) or the code does not understand the constructor (`LangError`).
pub fn instantiate_pool(code_hash: Hash, args: PoolArgs) -> Result<AccountId, RouterError> {
    let pool = ProviderStakingPoolRef::new(
        args.model_id,
        args.token,
        args.registry,
        args.epoch_controller,
        args.router,
        args.admin,
    )
    .code_hash(code_hash)
    .endowment(0)
    .salt_bytes(args.model_id.to_le_bytes())
    .try_instantiate()
    .map_err(|_| RouterError::PoolInstantiationFailed)?
    .map_err(|_| RouterError::PoolInstantiationFailed)?;
    Ok(ink::ToAccountId::<DefaultEnvironment>::to_account_id(&pool))
}
