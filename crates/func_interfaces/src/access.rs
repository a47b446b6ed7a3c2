//! Access control embedded by every administered contract: an owner (admin) with two-step
//! transfer, role grants, and a pause switch.
//!
//! The methods read the caller and emit their events through `ink::env`, so a contract's
//! message is a one-line delegation. Off-chain tests set the caller with
//! `ink::env::test::set_caller`.
use crate::types::AccountId;
use ink::{
    env::DefaultEnvironment,
    storage::{traits::ManualKey, Lazy, Mapping},
};

/// Privileges an owner can grant. The owner passes every role check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum Role {
    /// Whitelists, de-whitelists, jails and unjails providers.
    Whitelister,
    /// Reports epoch reward totals and provider shards.
    Scheduler,
    /// Creates models.
    ModelCreator,
    /// Pauses and unpauses the contract.
    Pauser,
}

/// Why an access check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum AccessError {
    /// The caller is not the owner.
    NotOwner,
    /// The caller is not the pending owner named by `transfer_ownership`.
    NotPendingOwner,
    /// The caller is neither the owner nor a holder of this role.
    MissingRole(Role),
    /// The contract is paused.
    Paused,
    /// `unpause` was called while not paused.
    NotPaused,
    /// `pause` was called while already paused.
    AlreadyPaused,
    /// `set_code` was given a code hash the chain does not know.
    CodeUpgradeFailed,
}

/// Emitted when the owner names a new owner, who must still accept.
#[ink::event]
pub struct OwnershipTransferStarted {
    #[ink(topic)]
    pub owner: AccountId,
    #[ink(topic)]
    pub pending_owner: AccountId,
}

/// Emitted when the pending owner accepts ownership.
#[ink::event]
pub struct OwnershipTransferred {
    #[ink(topic)]
    pub previous_owner: AccountId,
    #[ink(topic)]
    pub new_owner: AccountId,
}

/// Emitted when a role is granted.
#[ink::event]
pub struct RoleGranted {
    pub role: Role,
    #[ink(topic)]
    pub account: AccountId,
    pub by: AccountId,
}

/// Emitted when a role is revoked.
#[ink::event]
pub struct RoleRevoked {
    pub role: Role,
    #[ink(topic)]
    pub account: AccountId,
    pub by: AccountId,
}

/// Emitted when the contract is paused.
#[ink::event]
pub struct Paused {
    #[ink(topic)]
    pub by: AccountId,
}

/// Emitted when the contract is unpaused.
#[ink::event]
pub struct Unpaused {
    #[ink(topic)]
    pub by: AccountId,
}

/// Emitted when the contract's code is replaced by `set_code`.
#[ink::event]
pub struct CodeUpgraded {
    pub code_hash: crate::types::Hash,
    #[ink(topic)]
    pub by: AccountId,
}

/// Who administers a contract and whether it is paused: one cell under its own key (`OWNR`),
/// so that the embedding contract's root cell holds nothing of it and a later version can
/// migrate it without touching the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct AccessState {
    pub owner: AccountId,
    pub pending_owner: Option<AccountId>,
    pub paused: bool,
}

/// Storage of the access control: the [`AccessState`] cell (`OWNR`) and the role set (`ROLE`).
/// Neither takes a byte of the embedding contract's root cell.
#[ink::storage_item]
#[derive(Debug)]
pub struct AccessControl {
    state: Lazy<AccessState, ManualKey<0x4f57_4e52>>,
    roles: Mapping<(Role, AccountId), (), ManualKey<0x524f_4c45>>,
}

fn caller() -> AccountId {
    ink::env::caller::<DefaultEnvironment>()
}

fn emit<E: ink::env::Event>(event: E) {
    ink::env::emit_event::<DefaultEnvironment, E>(event)
}

impl AccessControl {
    /// Access control owned by `owner`, unpaused, with no roles granted (writes the `OWNR` cell).
    pub fn new(owner: AccountId) -> Self {
        let mut access = Self {
            state: Lazy::new(),
            roles: Mapping::default(),
        };
        access.state.set(&AccessState {
            owner,
            pending_owner: None,
            paused: false,
        });
        access
    }

    /// The `OWNR` cell. A constructor always writes it; should it ever be missing, the zero
    /// account owns nothing it could act for and the contract reads as paused.
    pub fn state(&self) -> AccessState {
        self.state.get().unwrap_or(AccessState {
            owner: AccountId::from([0; 32]),
            pending_owner: None,
            paused: true,
        })
    }

    fn save(&mut self, state: AccessState) {
        self.state.set(&state);
    }

    pub fn owner(&self) -> AccountId {
        self.state().owner
    }

    pub fn pending_owner(&self) -> Option<AccountId> {
        self.state().pending_owner
    }

    pub fn paused(&self) -> bool {
        self.state().paused
    }

    /// True for the owner and for holders of `role`.
    pub fn has_role(&self, role: Role, account: AccountId) -> bool {
        account == self.owner() || self.roles.contains((role, account))
    }

    /// Fails unless the caller is the owner.
    pub fn ensure_owner(&self) -> Result<(), AccessError> {
        if caller() == self.owner() {
            Ok(())
        } else {
            Err(AccessError::NotOwner)
        }
    }

    /// Fails unless the caller is the owner or holds `role`.
    pub fn ensure_role(&self, role: Role) -> Result<(), AccessError> {
        if self.has_role(role, caller()) {
            Ok(())
        } else {
            Err(AccessError::MissingRole(role))
        }
    }

    /// [`Self::ensure_role`] that also tells whether the caller is the owner (`Ok(true)`),
    /// reading the owner once.
    pub fn ensure_role_by_owner(&self, role: Role) -> Result<bool, AccessError> {
        let caller = caller();
        if caller == self.owner() {
            Ok(true)
        } else if self.roles.contains((role, caller)) {
            Ok(false)
        } else {
            Err(AccessError::MissingRole(role))
        }
    }

    /// Fails while paused.
    pub fn ensure_not_paused(&self) -> Result<(), AccessError> {
        if self.paused() {
            Err(AccessError::Paused)
        } else {
            Ok(())
        }
    }

    /// Owner only: names `new_owner`, who must call `accept_ownership`.
    pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), AccessError> {
        self.ensure_owner()?;
        let mut state = self.state();
        state.pending_owner = Some(new_owner);
        self.save(state);
        emit(OwnershipTransferStarted {
            owner: state.owner,
            pending_owner: new_owner,
        });
        Ok(())
    }

    /// Pending owner only: completes the transfer.
    pub fn accept_ownership(&mut self) -> Result<(), AccessError> {
        let caller = caller();
        let mut state = self.state();
        if state.pending_owner != Some(caller) {
            return Err(AccessError::NotPendingOwner);
        }
        let previous_owner = state.owner;
        state.owner = caller;
        state.pending_owner = None;
        self.save(state);
        emit(OwnershipTransferred {
            previous_owner,
            new_owner: caller,
        });
        Ok(())
    }

    /// Owner only: grants `role` to `account`.
    pub fn grant_role(&mut self, role: Role, account: AccountId) -> Result<(), AccessError> {
        self.ensure_owner()?;
        self.roles.insert((role, account), &());
        emit(RoleGranted {
            role,
            account,
            by: caller(),
        });
        Ok(())
    }

    /// Owner only: revokes `role` from `account`.
    pub fn revoke_role(&mut self, role: Role, account: AccountId) -> Result<(), AccessError> {
        self.ensure_owner()?;
        self.roles.remove((role, account));
        emit(RoleRevoked {
            role,
            account,
            by: caller(),
        });
        Ok(())
    }

    /// Pauser only: stops the contract's pausable messages.
    pub fn pause(&mut self) -> Result<(), AccessError> {
        self.ensure_role(Role::Pauser)?;
        let mut state = self.state();
        if state.paused {
            return Err(AccessError::AlreadyPaused);
        }
        state.paused = true;
        self.save(state);
        emit(Paused { by: caller() });
        Ok(())
    }

    /// Pauser only: resumes the contract.
    pub fn unpause(&mut self) -> Result<(), AccessError> {
        self.ensure_role(Role::Pauser)?;
        let mut state = self.state();
        if !state.paused {
            return Err(AccessError::NotPaused);
        }
        state.paused = false;
        self.save(state);
        emit(Unpaused { by: caller() });
        Ok(())
    }

    /// Owner only: replaces the contract's code, keeping its storage.
    pub fn set_code(&self, code_hash: crate::types::Hash) -> Result<(), AccessError> {
        self.ensure_owner()?;
        ink::env::set_code_hash::<DefaultEnvironment>(&code_hash)
            .map_err(|_| AccessError::CodeUpgradeFailed)?;
        emit(CodeUpgraded {
            code_hash,
            by: caller(),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ink::env::test;

    fn accounts() -> test::DefaultAccounts<DefaultEnvironment> {
        test::default_accounts::<DefaultEnvironment>()
    }

    #[ink::test]
    fn ownership_transfer_needs_acceptance_by_the_pending_owner() {
        let a = accounts();
        test::set_caller::<DefaultEnvironment>(a.alice);
        let mut access = AccessControl::new(a.alice);
        access.transfer_ownership(a.bob).unwrap();
        assert_eq!(access.owner(), a.alice);
        assert_eq!(access.pending_owner(), Some(a.bob));

        test::set_caller::<DefaultEnvironment>(a.charlie);
        assert_eq!(access.accept_ownership(), Err(AccessError::NotPendingOwner));

        test::set_caller::<DefaultEnvironment>(a.bob);
        access.accept_ownership().unwrap();
        assert_eq!(access.owner(), a.bob);
        assert_eq!(access.pending_owner(), None);
        assert_eq!(test::recorded_events().count(), 2);
    }

    #[ink::test]
    fn transfer_ownership_by_non_owner_fails() {
        let a = accounts();
        let mut access = AccessControl::new(a.alice);
        test::set_caller::<DefaultEnvironment>(a.bob);
        assert_eq!(access.transfer_ownership(a.bob), Err(AccessError::NotOwner));
        assert_eq!(access.pending_owner(), None);
    }

    #[ink::test]
    fn roles_are_granted_and_revoked_by_the_owner_only() {
        let a = accounts();
        let mut access = AccessControl::new(a.alice);
        test::set_caller::<DefaultEnvironment>(a.bob);
        assert_eq!(
            access.grant_role(Role::Scheduler, a.bob),
            Err(AccessError::NotOwner)
        );
        assert_eq!(
            access.ensure_role(Role::Scheduler),
            Err(AccessError::MissingRole(Role::Scheduler))
        );

        test::set_caller::<DefaultEnvironment>(a.alice);
        access.grant_role(Role::Scheduler, a.bob).unwrap();
        assert!(access.has_role(Role::Scheduler, a.bob));
        assert!(!access.has_role(Role::Pauser, a.bob));
        assert!(
            access.has_role(Role::Pauser, a.alice),
            "owner passes every role check"
        );

        test::set_caller::<DefaultEnvironment>(a.bob);
        assert_eq!(
            access.revoke_role(Role::Scheduler, a.bob),
            Err(AccessError::NotOwner)
        );
        test::set_caller::<DefaultEnvironment>(a.alice);
        access.revoke_role(Role::Scheduler, a.bob).unwrap();
        assert!(!access.has_role(Role::Scheduler, a.bob));
    }

    #[ink::test]
    fn pause_needs_the_pauser_role_and_toggles_once() {
        let a = accounts();
        let mut access = AccessControl::new(a.alice);
        test::set_caller::<DefaultEnvironment>(a.bob);
        assert_eq!(access.pause(), Err(AccessError::MissingRole(Role::Pauser)));

        test::set_caller::<DefaultEnvironment>(a.alice);
        access.grant_role(Role::Pauser, a.bob).unwrap();
        test::set_caller::<DefaultEnvironment>(a.bob);
        access.pause().unwrap();
        assert!(access.paused());
        assert_eq!(access.ensure_not_paused(), Err(AccessError::Paused));
        assert_eq!(access.pause(), Err(AccessError::AlreadyPaused));
        access.unpause().unwrap();
        assert_eq!(access.unpause(), Err(AccessError::NotPaused));
        assert!(access.ensure_not_paused().is_ok());
    }
}
