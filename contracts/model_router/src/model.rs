//! The stored model record and the pure input checks, kept out of the contract shell so that
//! they are tested without a chain.
use core::ops::Range;
use func_interfaces::{
    ensure,
    limits::{MAX_MODEL_NAME_LEN, MAX_PAGE_SIZE},
    AccountId, Balance, ModelContext, RouterError,
};
use ink::prelude::string::String;

/// A model as the router stores and returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Model {
    /// Human-readable name, 1 to `MAX_MODEL_NAME_LEN` bytes of UTF-8.
    pub name: String,
    /// Number of shards of the model (informational; the scheduler's reports are separate).
    pub shards: u32,
    /// Compute units the model needs (informational).
    pub compute_units: u64,
    /// FUNC a provider of this model must stake to be active; never zero.
    pub stake_amount: Balance,
    /// Whether the model accepts registrations and stakes.
    pub enabled: bool,
    /// The model's `provider_staking` pool, instantiated by `create_model`; never changes.
    pub pool: AccountId,
    /// Block in which the model was created.
    pub created_at_block: u32,
    /// Block of the latest change (enable, disable, update, stake requirement).
    pub updated_at_block: u32,
}

impl Model {
    /// What the registry and the pool need to know about the model.
    pub fn context(&self) -> ModelContext {
        ModelContext {
            stake_amount: self.stake_amount,
            enabled: self.enabled,
            pool: self.pool,
        }
    }
}

/// Checks a model name: 1 to `MAX_MODEL_NAME_LEN` bytes.
///
/// # Errors
/// `InvalidModelName` for an empty or too long name.
pub fn check_name(name: &str) -> Result<(), RouterError> {
    ensure!(
        !name.is_empty() && name.len() <= MAX_MODEL_NAME_LEN,
        RouterError::InvalidModelName
    );
    Ok(())
}

/// Checks a stake requirement.
///
/// # Errors
/// `ZeroStakeAmount` for zero.
pub fn check_stake_amount(stake_amount: Balance) -> Result<(), RouterError> {
    ensure!(stake_amount > 0, RouterError::ZeroStakeAmount);
    Ok(())
}

/// Index positions of the page of at most `min(limit, MAX_PAGE_SIZE)` models starting at
/// position `start`, out of `count` models. Empty when `start >= count` or `limit == 0`.
pub fn page(start: u32, limit: u32, count: u32) -> Range<u32> {
    let limit = limit.min(MAX_PAGE_SIZE);
    // Saturating only shortens a page that would run past u32::MAX; `min(count)` cuts it to
    // the existing models anyway.
    let end = start.saturating_add(limit).min(count);
    start.min(end)..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use func_interfaces::ModelId;
    use ink::{
        prelude::{string::ToString, vec::Vec},
        scale::Encode,
    };

    fn model(name: &str) -> Model {
        Model {
            name: name.to_string(),
            shards: u32::MAX,
            compute_units: u64::MAX,
            stake_amount: Balance::MAX,
            enabled: true,
            pool: AccountId::from([0xff; 32]),
            created_at_block: u32::MAX,
            updated_at_block: u32::MAX,
        }
    }

    #[test]
    fn check_name_accepts_one_to_max_bytes() {
        assert_eq!(check_name("a"), Ok(()));
        assert_eq!(check_name(&"a".repeat(MAX_MODEL_NAME_LEN)), Ok(()));
    }

    #[test]
    fn check_name_empty_or_too_long_fails() {
        assert_eq!(check_name(""), Err(RouterError::InvalidModelName));
        assert_eq!(
            check_name(&"a".repeat(MAX_MODEL_NAME_LEN + 1)),
            Err(RouterError::InvalidModelName)
        );
    }

    #[test]
    fn check_name_counts_bytes_not_chars() {
        // "é" is two bytes in UTF-8.
        let half = MAX_MODEL_NAME_LEN / 2;
        assert_eq!(check_name(&"é".repeat(half)), Ok(()));
        assert_eq!(
            check_name(&"é".repeat(half + 1)),
            Err(RouterError::InvalidModelName)
        );
    }

    #[test]
    fn check_stake_amount_zero_fails() {
        assert_eq!(check_stake_amount(0), Err(RouterError::ZeroStakeAmount));
        assert_eq!(check_stake_amount(1), Ok(()));
    }

    #[test]
    fn page_clamps_limit_and_stops_at_count() {
        assert_eq!(page(0, 10, 3), 0..3);
        assert_eq!(page(1, 1, 3), 1..2);
        assert_eq!(page(0, u32::MAX, 1_000), 0..MAX_PAGE_SIZE);
        assert_eq!(page(950, u32::MAX, 1_000), 950..1_000);
    }

    #[test]
    fn page_past_end_or_zero_limit_is_empty() {
        assert!(page(3, 10, 3).is_empty());
        assert!(page(u32::MAX, u32::MAX, 3).is_empty());
        assert!(page(0, 0, 3).is_empty());
        assert!(page(0, 10, 0).is_empty());
    }

    #[test]
    fn context_copies_stake_enabled_and_pool() {
        let model = model("m");
        assert_eq!(
            model.context(),
            ModelContext {
                stake_amount: model.stake_amount,
                enabled: true,
                pool: model.pool,
            }
        );
    }

    #[test]
    fn model_encoding_is_bounded_by_the_name_limit() {
        // The stored value is written with `Mapping::insert`, which traps only if the encoding
        // exceeds ink!'s 16 KiB static buffer; the largest valid model is far below it.
        let largest = model(&"a".repeat(MAX_MODEL_NAME_LEN));
        assert!(largest.encoded_size() < 256);
    }

    #[test]
    fn largest_page_fits_the_static_buffer() {
        // `get_models` returns up to MAX_PAGE_SIZE models through the same 16 KiB buffer.
        let entry = (ModelId::MAX, model(&"a".repeat(MAX_MODEL_NAME_LEN)));
        let page: Vec<_> = (0..MAX_PAGE_SIZE).map(|_| entry.clone()).collect();
        // Messages reply with `Result<T, LangError>`; `()` stands in for the error.
        let reply: Result<Vec<(ModelId, Model)>, ()> = Ok(page);
        assert!(reply.encoded_size() < 16 * 1024);
    }
}
