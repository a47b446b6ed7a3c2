//! The provider registry's cross-contract view and errors.
pub use crate::types::ProviderView;
use crate::{access::AccessError, router::RouterError, staking::StakingError, types::EpochId};

/// Errors of `provider_registry`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum RegistryError {
    /// Caller lacks the owner or the needed role, or the registry is paused.
    Access(AccessError),
    /// The provider id is empty.
    EmptyProviderId,
    /// The provider id is longer than 64 bytes.
    ProviderIdTooLong,
    /// A provider with this id is already registered.
    ProviderAlreadyRegistered,
    /// No provider has this id.
    ProviderNotFound,
    /// The caller does not own this provider.
    NotProviderOwner,
    /// The metadata is longer than 1024 bytes.
    MetadataTooLong,
    /// The metadata is not a JSON object.
    MetadataNotJson,
    /// The metadata has no `url` field.
    MetadataMissingUrl,
    /// `url` is not a string starting with `http://` or `https://` followed by a host.
    MetadataInvalidUrl,
    /// `name` is present but not a string.
    MetadataNameNotString,
    /// No model has this id.
    ModelNotFound,
    /// The model is disabled.
    ModelDisabled,
    /// The owner already holds `MAX_PROVIDERS_PER_OWNER` providers.
    TooManyProviders,
    /// A batch is empty or longer than `MAX_BATCH_SIZE`.
    InvalidBatchSize,
    /// Jail length must be between 1 and `MAX_JAIL_EPOCHS` epochs.
    JailEpochsOutOfBounds,
    /// The provider is not jailed.
    NotJailed,
    /// The provider is already deactivated.
    AlreadyDeactivated,
    /// The provider is not deactivated.
    NotDeactivated,
    /// The model router refused (e.g. the model vanished).
    Router(RouterError),
    /// The staking pool refused, with its reason.
    Staking(StakingError),
    /// A called contract trapped or did not understand the call.
    CrossContractCall,
    /// An epoch computation overflowed.
    Overflow,
    // Freeing ids (issue 11.6)
    /// The provider still has this much FUNC staked: unstake it first.
    StillStaked { amount: crate::types::Balance },
    /// The provider is jailed until this epoch: its id cannot be freed before.
    Jailed { until_epoch: EpochId },
    // Metadata and id form (issue 11.7)
    /// A metadata number is outside what every JSON reader accepts: not zero and at least
    /// 10^308 in magnitude (e.g. `1e400`).
    MetadataNumberOutOfRange,
    /// `url` or `name` holds a Unicode control or format character (general category Cc or Cf,
    /// e.g. U+0000, U+200B, U+202E), escaped or not.
    MetadataControlCharacter,
    /// `url` holds a character outside printable ASCII (percent-encode it; hosts are ASCII).
    MetadataUrlNotAscii,
    /// `url` carries user info (`user:password@`): credentials must not be published.
    MetadataUrlCredentials,
    /// The `url` host is not an ASCII DNS name, a dotted-decimal IPv4 address or a bracketed
    /// IPv6 address (e.g. an unclosed `[`).
    MetadataUrlInvalidHost,
    /// The `url` port is not a number from 1 to 65535 without leading zeros.
    MetadataUrlInvalidPort,
    /// The `url` path, query or fragment holds a character outside RFC 3986, a bad `%` escape
    /// or a `.`/`..` segment.
    MetadataUrlInvalidPath,
    /// The provider id holds a byte that is not printable ASCII (0x21–0x7E): no space, control
    /// or non-ASCII byte.
    ProviderIdInvalidCharacter,
    /// The provider id is a CIDv1 text of a libp2p key (`bafz…`, `k51…`): register the peer ID
    /// in its base58btc form (`12D3KooW…`, `Qm…`) instead.
    ProviderIdNotCanonical,
}

impl From<AccessError> for RegistryError {
    fn from(error: AccessError) -> Self {
        Self::Access(error)
    }
}

/// Implemented by `provider_registry`; called by the staking pools.
#[ink::trait_definition]
pub trait ProviderRegistry {
    /// Owner, model, whitelist, jail and deactivation state of `id`.
    ///
    /// # Errors
    /// `ProviderNotFound` for an unknown id.
    #[ink(message)]
    fn staking_view(&self, id: crate::types::ProviderId) -> Result<ProviderView, RegistryError>;
}
