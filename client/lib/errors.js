// Every error a FUNC contract can return, in plain words.
//
// A contract error arrives as a plain enum value `{ variant, value }` (see codec.js `plain`);
// `describeError(typeName, error)` turns it into one sentence. Wrapped errors (a registry error
// carrying the staking pool's reason, a pool error carrying the token's) are described through
// the wrapper, e.g. "the staking pool refused: provider is still locked until epoch 42".
import { show, showBytes, formatFunc } from './codec.js';
import { BOUNDS } from './limits.js';

const ROLE_WORDS = {
  Whitelister: 'whitelister',
  Scheduler: 'scheduler',
  ModelCreator: 'model creator',
  Pauser: 'pauser',
};

/** `Role` enum value → words. */
export function roleWords(role) {
  const name = typeof role === 'string' ? role : role?.variant;
  return ROLE_WORDS[name] ?? words(name ?? 'unknown');
}

const epochOrNone = (e) => (BigInt(e ?? 0) === 0n ? 'no epoch is claimable yet' : `the last claimable epoch is ${e}`);

/**
 * The table: `TypeName → Variant → (value, describe) => sentence`. `value` is the variant's
 * payload (null, a nested enum, a scalar or a struct with snake_case fields); `describe`
 * describes a nested error by its type name.
 */
export const ERROR_TABLE = {
  AccessError: {
    NotOwner: () => 'only the contract owner (admin) may do this',
    NotPendingOwner: () => 'only the pending owner named by transfer_ownership may accept ownership',
    MissingRole: (role) => `the caller is neither the owner nor a holder of the ${roleWords(role)} role`,
    Paused: () => 'the contract is paused',
    NotPaused: () => 'the contract is not paused',
    AlreadyPaused: () => 'the contract is already paused',
    CodeUpgradeFailed: () => 'the chain does not know that code hash, so the code was not replaced',
  },

  RegistryError: {
    Access: (e, d) => d('AccessError', e),
    EmptyProviderId: () => 'the provider id is empty',
    ProviderIdTooLong: () => 'the provider id is longer than 64 bytes',
    ProviderAlreadyRegistered: () => 'a provider with this id is already registered',
    ProviderNotFound: () => 'no provider is registered with this id',
    NotProviderOwner: () => 'the caller does not own this provider',
    MetadataTooLong: () => 'the metadata is longer than 1024 bytes',
    MetadataNotJson: () => 'the metadata is not a JSON object',
    MetadataMissingUrl: () => 'the metadata has no "url" field',
    MetadataInvalidUrl: () => 'the metadata "url" must be a string starting with http:// or https:// followed by a host',
    MetadataNameNotString: () => 'the metadata "name" field must be a string',
    ModelNotFound: () => 'no model has this id',
    ModelDisabled: () => 'the model is disabled',
    TooManyProviders: () => 'the owner already holds the maximum of 32 providers',
    InvalidBatchSize: () => `a batch must hold between 1 and ${BOUNDS.MAX_BATCH_SIZE} ids`,
    JailEpochsOutOfBounds: () => 'a jail sentence must be between 1 and 100000 epochs',
    NotJailed: () => 'the provider is not jailed',
    AlreadyDeactivated: () => 'the provider is already deactivated',
    NotDeactivated: () => 'the provider is not deactivated',
    Router: (e, d) => `the model router refused: ${d('RouterError', e)}`,
    Staking: (e, d) => `the staking pool refused: ${d('StakingError', e)}`,
    CrossContractCall: () => 'a called contract failed or did not understand the call',
    Overflow: () => 'an epoch computation overflowed',
    StillStaked: (v) => `the provider still has ${formatFunc(v?.amount ?? 0n)} staked: unstake it before deregistering`,
    Jailed: (v) => `the provider is jailed until epoch ${v?.until_epoch}: its id cannot be freed before then`,
    // Metadata and id form (issue 11.7)
    MetadataNumberOutOfRange: () => 'a number in the metadata is too large for JSON readers (at most 10^308 in magnitude, e.g. 1e400 is refused)',
    MetadataControlCharacter: () => 'the metadata "url" or "name" holds an invisible control or format character (such as U+200B or U+202E)',
    MetadataUrlNotAscii: () => 'the metadata "url" must be plain ASCII: percent-encode other characters, and give the host in ASCII',
    MetadataUrlCredentials: () => 'the metadata "url" must not hold a user name or password (user:password@…): they would be public on-chain',
    MetadataUrlInvalidHost: () => 'the metadata "url" host must be an ASCII host name, an IPv4 address or a bracketed IPv6 address',
    MetadataUrlInvalidPort: () => 'the metadata "url" port must be a number from 1 to 65535 without leading zeros',
    MetadataUrlInvalidPath: () => 'the metadata "url" path, query or fragment holds a character that must be percent-encoded, a bad % escape, or a "." or ".." segment',
    ProviderIdInvalidCharacter: () => 'the provider id must be printable ASCII without spaces or control characters',
    ProviderIdNotCanonical: () => "the provider id is a peer ID written as a CID (bafz…, k51…): use the peer ID's base58 form (12D3KooW…, Qm…) instead",
  },

  StakingError: {
    Access: (e, d) => d('AccessError', e),
    ProviderNotFound: () => 'the registry knows no provider with this id',
    WrongModel: () => "the provider serves another model than this pool's",
    NotProviderOwner: () => 'the caller does not own this provider',
    NotRegistry: () => 'only the provider registry may call this',
    NotWhitelisted: () => 'the provider is not whitelisted',
    ProviderJailed: (v) => `the provider is jailed until epoch ${v?.until_epoch}`,
    ModelDisabled: () => 'the model is disabled',
    ModelNotFound: () => "the router knows no model with this pool's id",
    AlreadyFullyStaked: () => "the provider's stake already meets the model's requirement",
    NotStaked: () => 'the provider has nothing staked',
    StillLocked: (v) => `provider is still locked until epoch ${v?.unlock_epoch}`,
    InvalidEpochRange: () => 'the epoch range is invalid: from_epoch must be at least 1 and at most to_epoch',
    EpochNotClaimable: (v) => `those epochs are not claimable yet: ${epochOrNone(v?.last_claimable_epoch)}`,
    AlreadyClaimed: () => 'every epoch up to to_epoch was already claimed',
    ClaimGap: (v) => `earlier epochs still hold unclaimed rewards: claim from epoch ${v?.first_unclaimed_epoch} first`,
    NothingToClaim: () => 'the epoch range holds no unclaimed rewards',
    EpochNotEnded: () => 'the epoch has not ended yet: the scheduler may only report ended epochs',
    EpochFinalized: () => "the epoch is already claimable, so its report is final",
    AboveHardCap: (v) => `the reward total exceeds the per-epoch hard cap of ${formatFunc(v?.hard_cap ?? 0n)}`,
    InsufficientRewardFunding: (v) => `the pool's unreserved reward funding cannot cover the reward total: only ${formatFunc(v?.available ?? 0n)} is available (fund the pool first)`,
    EpochRewardNotSet: () => "the epoch's reward total must be set before provider shards are recorded",
    ShardsExceedTotal: () => "the providers' shards exceed the epoch's total shards (or total shards is zero while a reward is set)",
    NotStakedInEpoch: (v) => `provider ${showBytes(v?.id ?? [])} held no stake in this pool in epoch ${v?.epoch}, so it cannot earn shards there`,
    InsufficientExcess: (v) => `the pool holds only ${formatFunc(v?.available ?? 0n)} beyond its stakes and reward funds`,
    InvalidBatchSize: () => `a batch must hold between 1 and ${BOUNDS.MAX_BATCH_SIZE} entries`,
    TooManyPendingEpochs: () => 'the provider has too many unsettled reward epochs; wait until earlier epochs become claimable',
    InvalidBoost: () => `a boost needs 1 to ${BOUNDS.MAX_BOOST_EPOCHS} epochs and an amount divisible by the number of epochs`,
    ZeroAmount: () => 'the amount must be greater than zero',
    Token: (e, d) => `the FUNC token refused the transfer: ${d('PSP22Error', e)}`,
    Router: (e, d) => `the model router refused: ${d('RouterError', e)}`,
    CrossContractCall: () => 'a called contract failed or did not understand the call',
    Overflow: () => 'an amount or epoch computation overflowed',
    ReportsSuspended: () => "the pool's owner has suspended scheduler reports (resume_reports ends it); only the owner may report meanwhile",
    TooManyOpenEpochs: (v) => `the epoch is too far ahead of the pool's final epochs: report up to epoch ${v?.reportable_through} first, the rest once earlier reports are final`,
    TooManyStakePeriods: () => "the id has too many recent stake periods whose rewards are not final yet; stake again once the scheduler's reports of them are final",
  },

  RouterError: {
    Access: (e, d) => d('AccessError', e),
    ModelNotFound: () => 'no model has this id',
    ModelAlreadyExists: () => 'a model with this id already exists',
    InvalidModelName: () => 'the model name must be 1 to 64 bytes long',
    ZeroStakeAmount: () => "a model's stake amount must be greater than zero",
    ModelAlreadyEnabled: () => 'the model is already enabled',
    ModelAlreadyDisabled: () => 'the model is already disabled',
    RegistryNotSet: () => 'the provider registry address is not set yet (set_provider_registry must run first)',
    RegistryAlreadySet: () => 'the provider registry address is already set; it is set once, at deployment',
    PoolInstantiationFailed: () => "the chain refused to instantiate the model's staking pool",
  },

  PSP22Error: {
    Custom: (msg) => `token error: ${typeof msg === 'string' ? msg : showBytes(msg)}`,
    InsufficientBalance: () => 'the account does not hold enough FUNC',
    InsufficientAllowance: () => 'the allowance is too small: approve the spender (the staking pool) for enough FUNC first',
    ZeroRecipientAddress: () => 'the recipient is the zero address',
    ZeroSenderAddress: () => 'the sender is the zero address',
    SafeTransferCheckFailed: (msg) => `the recipient refused the transfer: ${typeof msg === 'string' ? msg : showBytes(msg)}`,
  },

  EpochError: {
    Access: (e, d) => d('AccessError', e),
    EpochLengthOutOfBounds: (v) => `the epoch length must be between ${v?.min ?? 2} and ${v?.max ?? 1000000} blocks`,
    MinEpochsLockedOutOfBounds: (v) => `min_epochs_locked must be between ${v?.min ?? 1} and ${v?.max ?? 1000} epochs`,
    RewardDelayOutOfBounds: (v) => `epoch_reward_delay must be between ${v?.min ?? 2} and ${v?.max ?? 100} epochs`,
    RewardDelayChangeInProgress: (v) => `the previous reward delay change is still taking effect; a new one is accepted from epoch ${v?.until_epoch}`,
    Overflow: () => 'the next epoch boundary lies beyond the last block number',
  },

  LangError: {
    CouldNotReadInput: () => 'the contract did not understand the call (wrong message or arguments: does the deployment file point at the right contracts?)',
  },
};

/** Known names of nested error types, by `Outer.Variant` (used when no type info is at hand). */
const NESTED = {
  Access: 'AccessError',
  Router: 'RouterError',
  Staking: 'StakingError',
  Token: 'PSP22Error',
  MissingRole: 'Role',
};

/** "ProviderIdTooLong" → "provider id too long". */
export function words(name) {
  return String(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

/** Canonical name of an error type: `FuncInterfacesStakingStakingError` → `StakingError`. */
export function canonicalTypeName(name) {
  const n = String(name ?? '');
  const known = Object.keys(ERROR_TABLE).sort((a, b) => b.length - a.length);
  for (const k of known) if (n.toLowerCase().endsWith(k.toLowerCase())) return k;
  return n;
}

/**
 * One sentence for a contract error.
 * @param {string} typeName error enum name (`StakingError`, `RegistryError`, …) or a type path ending in it
 * @param {{variant: string, value: any}|string} error plain enum value (a bare string is a unit variant)
 */
export function describeError(typeName, error) {
  const type = canonicalTypeName(typeName);
  const e = typeof error === 'string' ? { variant: error, value: null } : error;
  if (!e || typeof e !== 'object' || !('variant' in e)) return `${words(type || 'error')}: ${show(e)}`;
  const describe = (t, inner) => describeError(t, inner);
  const fn = ERROR_TABLE[type]?.[e.variant];
  if (fn) return fn(e.value, describe);
  // An error this client does not know yet (a newer contract): still words, never a bare name.
  let text = words(e.variant);
  if (e.value !== null && e.value !== undefined) {
    const nested = NESTED[e.variant];
    if (nested && typeof e.value === 'object' && 'variant' in e.value) text += `: ${describeError(nested, e.value)}`;
    else text += ` (${show(e.value)})`;
  }
  return text;
}

/** All `Type.Variant` pairs the table covers (used by tests against the built metadata). */
export function coveredVariants() {
  const out = [];
  for (const [t, vs] of Object.entries(ERROR_TABLE)) for (const v of Object.keys(vs)) out.push(`${t}.${v}`);
  return out;
}

// --- chain (dispatch) errors ---------------------------------------------------------------

const DISPATCH_WORDS = {
  'contracts.ContractReverted': 'the contract refused the call',
  'contracts.ContractTrapped': 'the contract trapped (it panicked or ran into a bug); nothing changed',
  'contracts.OutOfGas': 'the call ran out of gas (weight); nothing changed',
  'contracts.StorageDepositLimitExhausted':
    'the signer cannot cover the storage deposit this call needs (is the account funded with native tokens?)',
  'contracts.StorageDepositNotEnoughFunds': 'the signer cannot pay the storage deposit this call needs',
  'contracts.ContractNotFound': 'no contract lives at this address (check the deployment file and the --url)',
  'contracts.CodeNotFound': 'no contract code with this hash is stored on the chain',
  'contracts.CodeTooLarge': 'the contract code is larger than the chain allows',
  'contracts.CodeRejected':
    'the chain rejected the contract code: it is not valid Wasm for pallet-contracts (e.g. it uses floating-point instructions or a debug build\'s bulk-memory); start the node with -lruntime::contracts=debug to see why',
  'contracts.DuplicateContract': 'a contract with the same code, constructor input and salt already exists',
  'contracts.TransferFailed': 'a native balance transfer by the contract failed',
  'contracts.ReentranceDenied': 'the call re-entered a contract, which these contracts forbid',
  'contracts.MaxCallDepthReached': 'the chain of cross-contract calls is too deep',
  'contracts.DecodingFailed': 'the chain could not decode the call input',
  'contracts.CodeInUse': 'the code is still used by a contract',
  'contracts.Indeterministic': 'the code uses indeterministic instructions',
  'balances.InsufficientBalance': "the signer's account has too little balance",
  'balances.ExistentialDeposit': 'the transfer would leave an account below the existential deposit',
  'token.FundsUnavailable': "the signer's account has too little free balance",
  'token.BelowMinimum': 'the account would fall below the existential deposit',
};

/** Words for a `DispatchError` (module errors by `section.name`, then the pallet's docs). */
export function describeDispatchError(dispatchError, registry) {
  if (!dispatchError) return 'unknown chain error';
  if (dispatchError.isModule) {
    try {
      const meta = (registry ?? dispatchError.registry).findMetaError(dispatchError.asModule);
      const key = `${meta.section}.${meta.name}`;
      const docs = (meta.docs || []).join(' ').trim();
      return DISPATCH_WORDS[key] ?? (docs ? `${key}: ${docs}` : key);
    } catch {
      // fall through
    }
  }
  if (dispatchError.isToken) return DISPATCH_WORDS[`token.${dispatchError.asToken.type}`] ?? `token error ${dispatchError.asToken.type}`;
  if (dispatchError.isBadOrigin) return 'the signer is not allowed to dispatch this call';
  return dispatchError.toString();
}

export function dispatchErrorKey(dispatchError, registry) {
  if (dispatchError?.isModule) {
    try {
      const meta = (registry ?? dispatchError.registry).findMetaError(dispatchError.asModule);
      return `${meta.section}.${meta.name}`;
    } catch {
      return null;
    }
  }
  return null;
}

/** Words for an RPC rejection of a transaction (`1010: Invalid Transaction: …`). */
export function describeRpcError(err) {
  const msg = String(err?.message ?? err);
  if (/Inability to pay some fees|account balance too low/i.test(msg)) return "the signer's account cannot pay the transaction fee (fund it with native tokens)";
  if (/Transaction is outdated|Priority is too low|already imported/i.test(msg)) return `the transaction pool refused the transaction (${msg}); try again`;
  if (/ECONNREFUSED|connect|WebSocket|disconnected/i.test(msg)) return `cannot reach the node: ${msg}`;
  return msg;
}

/** An error from a contract or the chain, with the sentence as its message. */
export class ContractError extends Error {
  constructor(message, { contract, messageName, error, errorType, dispatch, debugMessage } = {}) {
    super(message);
    this.name = 'ContractError';
    this.contract = contract;
    this.messageName = messageName;
    this.error = error;
    this.errorType = errorType;
    this.dispatch = dispatch;
    this.debugMessage = debugMessage;
  }
}
