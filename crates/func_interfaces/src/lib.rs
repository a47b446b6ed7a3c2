//! Everything the five FUNC contracts exchange with each other: the cross-contract traits,
//! their error enums, the shared id and value types, bounds, and the access-control
//! storage item (two-step ownership, roles, pause) that every administered contract embeds.
//!
//! This crate is not a contract: it declares no `ink-as-dependency` feature, so `ink_e2e`
//! never tries to build it.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(clippy::arithmetic_side_effects)]
#![allow(clippy::cast_possible_truncation)]

pub mod access;
pub mod epoch;
pub mod limits;
pub mod registry;
pub mod router;
pub mod staking;
pub mod types;

pub use access::{AccessControl, AccessError, Role};
pub use epoch::{EpochController, EpochInfo};
pub use psp22::{PSP22Error, PSP22};
pub use registry::{ProviderRegistry, ProviderView, RegistryError};
pub use router::{ModelContext, ModelRouter, RouterError};
pub use staking::{ProviderStaking, StakingError};
pub use types::{AccountId, Balance, EpochId, Hash, ModelId, ProviderId};

/// Returns `Err($err)` from the enclosing function unless `$cond` holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $err:expr $(,)?) => {
        if !$cond {
            return Err($err.into());
        }
    };
}
