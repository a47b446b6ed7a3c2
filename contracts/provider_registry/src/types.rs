//! The registry's stored record and the values its messages return.
use func_interfaces::{
    AccountId, Balance, EpochId, ModelContext, ModelId, ProviderId, ProviderView, StakingError,
};
use ink::prelude::{string::String, vec::Vec};

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

    /// Jailed in `epoch`.
    pub fn jailed_at(&self, epoch: EpochId) -> bool {
        epoch < self.jailed_until
    }

    /// On the whitelist and not jailed in `epoch`.
    pub fn whitelisted_at(&self, epoch: EpochId) -> bool {
        self.whitelisted && !self.jailed_at(epoch)
    }

    /// The provider's own conditions for being active in `epoch`: not deactivated, whitelisted,
    /// not jailed. The model's and the stake's are checked by [`is_active`].
    pub fn eligible_at(&self, epoch: EpochId) -> bool {
        !self.deactivated && self.whitelisted_at(epoch)
    }
}

/// The five conditions of an active provider: registered (`record` exists), not deactivated,
/// whitelisted and not jailed in `epoch`, model enabled, `stake` at least the model's stake
/// amount.
pub fn is_active(
    record: &ProviderRecord,
    epoch: EpochId,
    model: &ModelContext,
    stake: Balance,
) -> bool {
    record.eligible_at(epoch) && model.enabled && stake >= model.stake_amount
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
    /// The active providers among the scanned positions, in registration order.
    pub providers: Vec<ActiveProvider>,
    /// Where the next page starts; `None` when the model's list is exhausted.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ProviderRecord {
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

    fn model(stake_amount: Balance, enabled: bool) -> ModelContext {
        ModelContext {
            stake_amount,
            enabled,
            pool: AccountId::from([2; 32]),
        }
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
    fn jailed_while_epoch_is_before_jailed_until() {
        let record = ProviderRecord {
            jailed_until: 5,
            ..record()
        };
        assert!(record.jailed_at(4));
        assert!(!record.jailed_at(5));
        assert!(!record.whitelisted_at(4));
        assert!(record.whitelisted_at(5));
        assert!(!ProviderRecord {
            jailed_until: 0,
            ..record
        }
        .jailed_at(0));
    }

    #[test]
    fn whitelisted_at_needs_the_whitelist_flag() {
        let record = ProviderRecord {
            whitelisted: false,
            ..record()
        };
        assert!(!record.whitelisted_at(1));
        assert!(!record.eligible_at(1));
    }

    #[test]
    fn is_active_needs_all_five_conditions() {
        let ok = record();
        assert!(is_active(&ok, 3, &model(100, true), 100));
        assert!(is_active(&ok, 3, &model(100, true), 101));
        assert!(!is_active(&ok, 3, &model(100, true), 99), "under-staked");
        assert!(
            !is_active(&ok, 3, &model(100, false), 100),
            "model disabled"
        );
        let deactivated = ProviderRecord {
            deactivated: true,
            ..record()
        };
        assert!(!is_active(&deactivated, 3, &model(100, true), 100));
        let unlisted = ProviderRecord {
            whitelisted: false,
            ..record()
        };
        assert!(!is_active(&unlisted, 3, &model(100, true), 100));
        let jailed = ProviderRecord {
            jailed_until: 4,
            ..record()
        };
        assert!(!is_active(&jailed, 3, &model(100, true), 100));
        assert!(is_active(&jailed, 4, &model(100, true), 100), "jail over");
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
