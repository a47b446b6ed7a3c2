//! The rules on a provider's standing, as pure functions of its record and the epoch:
//! ownership, deactivation, the whitelist, jail, when an id may be freed, and the five
//! conditions of an active provider. The contract checks roles and pause, reads and writes the
//! record ([`crate::providers::Providers`]) and emits the events.
use crate::types::ProviderRecord;
use func_interfaces::{
    ensure,
    limits::{MAX_BATCH_SIZE, MAX_JAIL_EPOCHS},
    AccountId, Balance, EpochId, ModelContext, RegistryError,
};

impl ProviderRecord {
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

    /// The conditions for being active that need no other contract: not deactivated and on
    /// the whitelist (jail needs the epoch).
    pub fn may_be_active(&self) -> bool {
        !self.deactivated && self.whitelisted
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

/// Only a provider's owner manages it.
///
/// # Errors
/// `NotProviderOwner`.
pub fn ensure_owner(record: &ProviderRecord, caller: AccountId) -> Result<(), RegistryError> {
    ensure!(record.owner == caller, RegistryError::NotProviderOwner);
    Ok(())
}

/// Deactivates (`true`) or reactivates (`false`) the provider.
///
/// # Errors
/// `AlreadyDeactivated` or `NotDeactivated` when the flag already has the asked value.
pub fn set_deactivated(
    record: &mut ProviderRecord,
    deactivated: bool,
) -> Result<(), RegistryError> {
    if record.deactivated == deactivated {
        return Err(if deactivated {
            RegistryError::AlreadyDeactivated
        } else {
            RegistryError::NotDeactivated
        });
    }
    record.deactivated = deactivated;
    Ok(())
}

/// A whitelist batch holds 1 to `MAX_BATCH_SIZE` ids.
///
/// # Errors
/// `InvalidBatchSize`.
pub fn check_batch_size(len: usize) -> Result<(), RegistryError> {
    ensure!(
        (1..=MAX_BATCH_SIZE).contains(&len),
        RegistryError::InvalidBatchSize
    );
    Ok(())
}

/// Puts the provider on the whitelist (`true`) or takes it off (`false`); jail is unaffected.
/// Setting the value it already has is allowed. Returns whether the record changed (and needs
/// writing).
pub fn set_whitelisted(record: &mut ProviderRecord, whitelisted: bool) -> bool {
    let changed = record.whitelisted != whitelisted;
    record.whitelisted = whitelisted;
    changed
}

/// A jail sentence lasts 1 to `MAX_JAIL_EPOCHS` epochs.
///
/// # Errors
/// `JailEpochsOutOfBounds`.
pub fn check_jail_epochs(epochs: u32) -> Result<(), RegistryError> {
    ensure!(
        (1..=MAX_JAIL_EPOCHS).contains(&epochs),
        RegistryError::JailEpochsOutOfBounds
    );
    Ok(())
}

/// Jails the provider for `epochs` epochs from `epoch` on (it is jailed while
/// `current_epoch < epoch + epochs`), replacing any earlier sentence. Returns `jailed_until`.
///
/// # Errors
/// `Overflow` (the record is unchanged then).
pub fn jail(
    record: &mut ProviderRecord,
    epoch: EpochId,
    epochs: u32,
) -> Result<EpochId, RegistryError> {
    let jailed_until = epoch.checked_add(epochs).ok_or(RegistryError::Overflow)?;
    record.jailed_until = jailed_until;
    Ok(jailed_until)
}

/// Ends the provider's running jail sentence in `epoch`.
///
/// # Errors
/// `NotJailed`.
pub fn unjail(record: &mut ProviderRecord, epoch: EpochId) -> Result<(), RegistryError> {
    ensure!(record.jailed_at(epoch), RegistryError::NotJailed);
    record.jailed_until = 0;
    Ok(())
}

/// An id may be freed unless it serves a jail sentence in `epoch`; epoch 0 stands for
/// governance (`release_provider`), which frees jailed ids too.
///
/// # Errors
/// `Jailed { until_epoch }`.
pub fn ensure_may_leave(record: &ProviderRecord, epoch: EpochId) -> Result<(), RegistryError> {
    ensure!(
        epoch == 0 || !record.jailed_at(epoch),
        RegistryError::Jailed {
            until_epoch: record.jailed_until
        }
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ProviderRecord {
        crate::types::sample_record()
    }

    fn model(stake_amount: Balance, enabled: bool) -> ModelContext {
        ModelContext {
            stake_amount,
            enabled,
            pool: AccountId::from([2; 32]),
        }
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
    fn may_be_active_ignores_jail_only() {
        assert!(record().may_be_active());
        assert!(ProviderRecord {
            jailed_until: 9,
            ..record()
        }
        .may_be_active());
        assert!(!ProviderRecord {
            deactivated: true,
            ..record()
        }
        .may_be_active());
        assert!(!ProviderRecord {
            whitelisted: false,
            ..record()
        }
        .may_be_active());
    }

    #[test]
    fn only_the_owner_manages() {
        assert_eq!(ensure_owner(&record(), AccountId::from([1; 32])), Ok(()));
        assert_eq!(
            ensure_owner(&record(), AccountId::from([2; 32])),
            Err(RegistryError::NotProviderOwner)
        );
    }

    #[test]
    fn set_deactivated_refuses_the_current_value() {
        let mut record = record();
        assert_eq!(
            set_deactivated(&mut record, false),
            Err(RegistryError::NotDeactivated)
        );
        assert_eq!(set_deactivated(&mut record, true), Ok(()));
        assert!(record.deactivated);
        assert_eq!(
            set_deactivated(&mut record, true),
            Err(RegistryError::AlreadyDeactivated)
        );
        assert_eq!(set_deactivated(&mut record, false), Ok(()));
        assert!(!record.deactivated);
    }

    #[test]
    fn batch_size_is_one_to_max_batch_size() {
        assert_eq!(check_batch_size(0), Err(RegistryError::InvalidBatchSize));
        assert_eq!(check_batch_size(1), Ok(()));
        assert_eq!(check_batch_size(MAX_BATCH_SIZE), Ok(()));
        assert_eq!(
            check_batch_size(MAX_BATCH_SIZE + 1),
            Err(RegistryError::InvalidBatchSize)
        );
    }

    #[test]
    fn set_whitelisted_reports_a_change_and_leaves_jail_alone() {
        let mut record = ProviderRecord {
            jailed_until: 8,
            ..record()
        };
        assert!(!set_whitelisted(&mut record, true), "already listed");
        assert!(set_whitelisted(&mut record, false));
        assert!(!record.whitelisted);
        assert!(!set_whitelisted(&mut record, false));
        assert!(set_whitelisted(&mut record, true));
        assert_eq!(record.jailed_until, 8);
    }

    #[test]
    fn jail_epochs_are_bounded() {
        assert_eq!(
            check_jail_epochs(0),
            Err(RegistryError::JailEpochsOutOfBounds)
        );
        assert_eq!(check_jail_epochs(1), Ok(()));
        assert_eq!(check_jail_epochs(MAX_JAIL_EPOCHS), Ok(()));
        assert_eq!(
            check_jail_epochs(MAX_JAIL_EPOCHS + 1),
            Err(RegistryError::JailEpochsOutOfBounds)
        );
    }

    #[test]
    fn jail_replaces_the_sentence_and_unjail_ends_it() {
        let mut record = record();
        assert_eq!(jail(&mut record, 10, 5), Ok(15));
        assert!(record.jailed_at(14) && !record.jailed_at(15));
        assert_eq!(jail(&mut record, 11, 1), Ok(12), "a shorter sentence");
        assert_eq!(
            jail(&mut record, EpochId::MAX - 1, 2),
            Err(RegistryError::Overflow)
        );
        assert_eq!(record.jailed_until, 12, "unchanged after the overflow");
        assert_eq!(unjail(&mut record, 12), Err(RegistryError::NotJailed));
        assert_eq!(unjail(&mut record, 11), Ok(()));
        assert_eq!(record.jailed_until, 0);
        assert_eq!(unjail(&mut record, 11), Err(RegistryError::NotJailed));
    }

    #[test]
    fn a_jailed_id_may_leave_only_through_governance() {
        let jailed = ProviderRecord {
            jailed_until: 5,
            ..record()
        };
        assert_eq!(
            ensure_may_leave(&jailed, 4),
            Err(RegistryError::Jailed { until_epoch: 5 })
        );
        assert_eq!(ensure_may_leave(&jailed, 5), Ok(()));
        assert_eq!(ensure_may_leave(&jailed, 0), Ok(()), "governance");
        assert_eq!(ensure_may_leave(&record(), 4), Ok(()));
    }
}
