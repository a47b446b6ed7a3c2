//! The registry's stored record and the values its messages return.
use func_interfaces::{
    AccountId, Balance, EpochId, ModelId, ProviderId, ProviderView, StakingError,
};
use ink::prelude::{string::String, vec::Vec};

/// The standing rules (jail, whitelist, the five conditions of an active provider) are in
/// `permissions.rs`, which also adds `jailed_at`, `whitelisted_at` and `eligible_at` to
/// [`ProviderRecord`].
pub use crate::permissions::is_active;

/// What the registry stores per provider (its metadata is kept apart, so that reading the
/// record stays cheap).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ProviderRecord {
    /// The account that registered the provider.
    pub owner: AccountId,
    /// The model the provider serves, fixed at registration.
    pub model_id: ModelId,
    /// The model's staking pool, read from the router at registration (fixed per model).
    pub pool: AccountId,
    /// Block of the registration.
    pub registered_at_block: u32,
    /// Epoch of the registration.
    pub registered_epoch: EpochId,
    /// On the whitelist (jail is separate, see `jailed_until`).
    pub whitelisted: bool,
    /// Jailed while `current_epoch < jailed_until`; 0 when never jailed or unjailed.
    pub jailed_until: EpochId,
    /// The owner deactivated the provider.
    pub deactivated: bool,
    /// Position of the id in its owner's index (moves when another id is deregistered).
    pub owner_position: u32,
    /// Position of the id in its model's index (moves when another id is deregistered).
    pub model_position: u32,
}

impl ProviderRecord {
    /// The state a staking pool needs.
    pub fn view(&self) -> ProviderView {
        ProviderView {
            owner: self.owner,
            model_id: self.model_id,
            whitelisted: self.whitelisted,
            jailed_until: self.jailed_until,
            deactivated: self.deactivated,
        }
    }
}

/// Everything known about a provider (`get_provider`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct ProviderInfo {
    pub id: ProviderId,
    pub owner: AccountId,
    pub model_id: ModelId,
    pub pool: AccountId,
    pub registered_at_block: u32,
    pub registered_epoch: EpochId,
    /// The whitelist flag as stored; `whitelisted(id)` also accounts for jail.
    pub whitelisted: bool,
    pub jailed_until: EpochId,
    pub deactivated: bool,
    /// The metadata JSON as registered or last updated.
    pub metadata: String,
}

impl ProviderInfo {
    pub fn new(id: ProviderId, record: ProviderRecord, metadata: String) -> Self {
        let ProviderRecord {
            owner,
            model_id,
            pool,
            registered_at_block,
            registered_epoch,
            whitelisted,
            jailed_until,
            deactivated,
            ..
        } = record;
        Self {
            id,
            owner,
            model_id,
            pool,
            registered_at_block,
            registered_epoch,
            whitelisted,
            jailed_until,
            deactivated,
            metadata,
        }
    }
}

/// An active provider and where to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct ActiveProvider {
    pub id: ProviderId,
    /// The metadata JSON; its `url` is the node's address.
    pub metadata: String,
}

/// One page of a model's active providers (`get_active_providers`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct ActiveProvidersPage {
    /// The active providers among the scanned positions, newest position first.
    pub providers: Vec<ActiveProvider>,
    /// The cursor of the next page (`start` of the next call); `None` when the run is done.
    pub next_start: Option<u32>,
}

/// One page of the ids registered for a model (`get_provider_ids_by_model`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct ProviderIdsPage {
    /// The ids of the page, newest position first.
    pub ids: Vec<ProviderId>,
    /// The cursor of the next page (`start` of the next call); `None` when the run is done.
    pub next_start: Option<u32>,
}

/// The result of a cluster operation over the caller's providers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct ClusterOutcome {
    /// Providers whose pool call succeeded, in registration order.
    pub succeeded: Vec<ProviderId>,
    /// Providers whose pool call failed, with the pool's error (`CrossContractCall` when the
    /// call itself failed).
    pub failed: Vec<(ProviderId, StakingError)>,
    /// FUNC claimed or unstaked in total.
    pub total: Balance,
    /// Where the `*_from` form continues when the caller's providers spread over more than
    /// `MAX_CLUSTER_POOLS_PER_CALL` pools; `None` when every provider was covered.
    pub next_start: Option<u32>,
}

/// A whitelisted, unjailed, active record (owner `[1; 32]`, model 7, pool `[2; 32]`) for the
/// unit tests of this crate.
#[cfg(test)]
pub(crate) fn sample_record() -> ProviderRecord {
    ProviderRecord {
        owner: AccountId::from([1; 32]),
        model_id: 7,
        pool: AccountId::from([2; 32]),
        registered_at_block: 10,
        registered_epoch: 3,
        whitelisted: true,
        jailed_until: 0,
        deactivated: false,
        owner_position: 0,
        model_position: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ProviderRecord {
        sample_record()
    }

    #[test]
    fn view_copies_the_pool_relevant_fields() {
        let record = ProviderRecord {
            jailed_until: 9,
            deactivated: true,
            ..record()
        };
        assert_eq!(
            record.view(),
            ProviderView {
                owner: record.owner,
                model_id: 7,
                whitelisted: true,
                jailed_until: 9,
                deactivated: true,
            }
        );
    }

    #[test]
    fn provider_info_carries_every_record_field() {
        let info = ProviderInfo::new(b"p".to_vec(), record(), "{}".into());
        assert_eq!(info.id, b"p".to_vec());
        assert_eq!(info.owner, record().owner);
        assert_eq!(info.model_id, 7);
        assert_eq!(info.pool, record().pool);
        assert_eq!(info.registered_at_block, 10);
        assert_eq!(info.registered_epoch, 3);
        assert!(info.whitelisted);
        assert_eq!(info.jailed_until, 0);
        assert!(!info.deactivated);
        assert_eq!(info.metadata, "{}");
    }
}
