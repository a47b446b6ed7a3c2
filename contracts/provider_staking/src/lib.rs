#![cfg_attr(not(feature = "std"), no_std, no_main)]
#![allow(clippy::cast_possible_truncation)]
#![deny(clippy::arithmetic_side_effects)]

#[ink::contract]
pub mod provider_staking {
    use func_interfaces::{AccessControl, ModelId};

    /// One staking and reward pool per model (skeleton: being written).
    #[ink(storage)]
    pub struct ProviderStakingPool {
        access: AccessControl,
        model_id: ModelId,
        token: AccountId,
        registry: AccountId,
        epoch_controller: AccountId,
        router: AccountId,
    }

    impl ProviderStakingPool {
        /// Creates the pool of `model_id`; `model_router` calls this from `create_model`.
        #[ink(constructor)]
        pub fn new(
            model_id: ModelId,
            token: AccountId,
            registry: AccountId,
            epoch_controller: AccountId,
            router: AccountId,
            admin: AccountId,
        ) -> Self {
            Self {
                access: AccessControl::new(admin),
                model_id,
                token,
                registry,
                epoch_controller,
                router,
            }
        }

        /// The model this pool serves.
        #[ink(message)]
        pub fn model_id(&self) -> ModelId {
            self.model_id
        }
    }
}
