// One deployed contract: messages resolved by short name, dry-run first, errors in words.
import { Abi } from '@polkadot/api-contract';
import { u8aToHex, u8aToString } from '@polkadot/util';
import { plain, UserError } from './codec.js';
import { gasWithMargin, maxWeight, submit } from './chain.js';
import { ContractError, canonicalTypeName, describeDispatchError, describeError, dispatchErrorKey } from './errors.js';

/** The revert bit of `ContractReturnFlags` (a `{ bits }` struct on pallet-contracts chains). */
export function isRevert(flags) {
  if (!flags) return false;
  if (typeof flags.isRevert === 'boolean') return flags.isRevert;
  const bits = flags.bits ?? flags.get?.('bits');
  if (bits !== undefined) return (BigInt(bits.toString()) & 1n) === 1n;
  return (BigInt(flags.toString()) & 1n) === 1n;
}

/**
 * Polkadot.js reads a raw `Uint8Array` given for `Bytes` (`Vec<u8>`, e.g. a provider id) as
 * SCALE with a length prefix, but a hex string as the bytes themselves: send bytes as hex,
 * also inside arrays and tuples.
 */
export function bytesAsHex(value) {
  if (value instanceof Uint8Array && typeof value.toRawType !== 'function') return u8aToHex(value);
  if (Array.isArray(value)) return value.map(bytesAsHex);
  return value;
}

/** Normalised message key: `PSP22::balance_of`, `psp22::balanceOf`, `balance_of`, `balanceOf` → `balanceof`. */
function norm(s) {
  return String(s).toLowerCase().replace(/_/g, '');
}

/**
 * Finds a message of `abi` by name: its full label (`PSP22::approve`), its camelCase method
 * (`psp22::approve`, `registerAndStake`) or its short name (`approve`, `balance_of`, `epoch_info`).
 * Trait messages are found by their short name too; an ambiguous short name is an error.
 */
export function resolveMessage(abi, name) {
  const n = norm(name);
  const exact = abi.messages.filter((m) => norm(m.identifier) === n || norm(m.method) === n);
  if (exact.length === 1) return exact[0];
  const short = abi.messages.filter((m) => norm(m.identifier.split('::').pop()) === n);
  if (short.length === 1) return short[0];
  if (short.length > 1) {
    throw new UserError(`message "${name}" is ambiguous: ${short.map((m) => m.identifier).join(', ')}`);
  }
  const known = abi.messages.map((m) => m.identifier).join(', ');
  throw new UserError(`the contract has no message "${name}" (it has: ${known})`);
}

/** Same for constructors (default `new`). */
export function resolveConstructor(abi, name = 'new') {
  const c = abi.constructors.find((m) => norm(m.identifier) === norm(name) || norm(m.method) === norm(name));
  if (!c) throw new UserError(`the contract has no constructor "${name}" (it has: ${abi.constructors.map((m) => m.identifier).join(', ')})`);
  return c;
}

/** The Err type of `Result<Result<T, E>, LangError>` (or of `Result<T, LangError>`), as a name. */
function typeNameOf(abi, typeDef) {
  if (!typeDef) return '';
  if (typeDef.lookupIndex !== undefined) {
    try {
      const path = abi.registry.lookup.getSiType(typeDef.lookupIndex).path.map((p) => p.toString());
      if (path.length) return path[path.length - 1];
    } catch {
      // fall through
    }
  }
  return canonicalTypeName(typeDef.lookupName || typeDef.type || '');
}

/** Describes a message's return type: does it carry an inner `Result<T, E>`, and what is E? */
export function returnShape(abi, message) {
  const rt = message.returnType;
  if (!rt) return { inner: false, errorType: null };
  // rt = Result<X, LangError>; X is the message's own return type
  const outer = rt.sub && Array.isArray(rt.sub) ? rt.sub : [];
  const x = outer[0];
  const isResult = x && (x.info === 13 /* TypeDefInfo.Result */ || /^Result</.test(x.type ?? ''));
  if (isResult && Array.isArray(x.sub) && x.sub.length === 2) {
    return { inner: true, errorType: typeNameOf(abi, x.sub[1]) };
  }
  return { inner: false, errorType: null };
}

/**
 * Reads a dry-run outcome. Returns `{ ok: true, value }` or `{ ok: false, error, errorType,
 * reason }` where `reason` is the sentence. `value` is plain JS (see codec.js).
 */
export function decodeOutcome(abi, message, dry, { contractName, api } = {}) {
  const label = message.identifier;
  const debugMessage = dry.debugMessage?.toU8a ? u8aToString(dry.debugMessage.toU8a(true)) : '';
  if (dry.result.isErr) {
    const dispatch = dry.result.asErr;
    return {
      ok: false,
      dispatch: dispatchErrorKey(dispatch, api?.registry),
      reason: `${describeDispatchError(dispatch, api?.registry)}${debugMessage ? ` (${debugMessage.trim()})` : ''}`,
    };
  }
  const ret = dry.result.asOk;
  const data = ret.data.toU8a(true);
  if (!message.returnType) {
    return isRevert(ret.flags) ? { ok: false, reason: 'the contract refused the call' } : { ok: true, value: null };
  }
  let out;
  try {
    out = abi.registry.createTypeUnsafe(message.returnType.lookupName || message.returnType.type, [data], { isPedantic: true });
  } catch (e) {
    return {
      ok: false,
      reason: `${contractName ?? 'the contract'} answered ${label} with data this client cannot decode (${u8aToHex(data).slice(0, 66)}): is the bundle the one deployed?`,
    };
  }
  if (out.isErr) {
    const lang = plain(out.asErr);
    return { ok: false, error: lang, errorType: 'LangError', reason: describeError('LangError', lang) };
  }
  const inner = out.asOk;
  const shape = returnShape(abi, message);
  if (shape.inner) {
    if (inner.isErr) {
      const error = plain(inner.asErr);
      return { ok: false, error, errorType: shape.errorType, reason: describeError(shape.errorType, error) };
    }
    if (isRevert(ret.flags)) return { ok: false, reason: 'the contract refused the call' };
    return { ok: true, value: plain(inner.asOk) };
  }
  if (isRevert(ret.flags)) return { ok: false, reason: 'the contract refused the call' };
  return { ok: true, value: plain(inner) };
}

/** A deployed contract of the suite. */
export class ContractHandle {
  /**
   * @param {import('./suite.js').Suite | {api, signer, events}} ctx shared connection: api, default signer, event decoder
   * @param {string} name contract name (`provider_registry`, …)
   * @param {Abi} abi
   * @param {string} address SS58
   */
  constructor(ctx, name, abi, address) {
    this.ctx = ctx;
    this.name = name;
    this.abi = abi;
    this.address = address;
  }

  get api() {
    return this.ctx.api;
  }

  message(name) {
    return resolveMessage(this.abi, name);
  }

  /** Dry-runs `name(args)` as `origin` and returns the raw RPC answer plus the decoded outcome. */
  async dryRun(name, args = [], { origin, value = 0n } = {}) {
    const message = this.message(name);
    const who = origin ?? this.ctx.signer?.address;
    if (!who) throw new UserError('no origin for the dry-run: pass --suri');
    let data; // length-prefixed (selector + SCALE args): a Uint8Array for a Bytes parameter is read as such
    try {
      data = message.toU8a(args.map(bytesAsHex));
    } catch (e) {
      throw new UserError(`bad arguments for ${this.name}.${message.identifier}(${message.args.map((a) => a.name).join(', ')}): ${e.message}`);
    }
    const dry = await this.api.call.contractsApi.call(who, this.address, value, maxWeight(this.api), null, data);
    const outcome = decodeOutcome(this.abi, message, dry, { contractName: this.name, api: this.api });
    return { message, data, dry, outcome };
  }

  /** Read-only call; returns the value or throws a ContractError in words. */
  async query(name, args = [], opts = {}) {
    const { message, outcome, dry } = await this.dryRun(name, args, opts);
    if (!outcome.ok) throw this.#error(message, outcome, dry);
    return outcome.value;
  }

  /** Read-only call that returns the outcome (`{ok, value}` or `{ok:false, reason, error}`) without throwing. */
  async tryQuery(name, args = [], opts = {}) {
    return (await this.dryRun(name, args, opts)).outcome;
  }

  /**
   * State-changing call: dry-run first (a refused call throws the contract's reason before
   * anything is sent), then submit with the dry-run's gasRequired plus a margin and no storage
   * deposit limit. Resolves with `{ value, events, blockNumber, gasRequired, storageDeposit }`;
   * `events` are decoded with each emitting contract's own ABI.
   */
  async tx(name, args = [], { signer, value = 0n, onProgress } = {}) {
    const who = signer ?? this.ctx.signer;
    if (!who) throw new UserError('no signer: pass --suri');
    const { message, data, dry, outcome } = await this.dryRun(name, args, { origin: who.address, value });
    if (!outcome.ok) throw this.#error(message, outcome, dry);
    const gasLimit = gasWithMargin(this.api, dry.gasRequired);
    const call = this.api.tx.contracts.call(this.address, value, gasLimit, null, data);
    onProgress?.(`  … ${this.name}.${message.identifier} sent by ${who.address}`);
    let inclusion;
    try {
      inclusion = await submit(this.api, call, who, { label: `${this.name}.${message.identifier}` });
    } catch (e) {
      // A transaction that reverts carries no error data: run the call again on the new state
      // to say why (e.g. an epoch ended between the dry-run and the block).
      if (e instanceof ContractError && e.dispatch === 'contracts.ContractReverted') {
        const again = await this.dryRun(name, args, { origin: who.address, value });
        if (!again.outcome.ok) throw this.#error(message, again.outcome, again.dry);
      }
      throw e;
    }
    const events = await this.ctx.events.decodeAll(inclusion.events);
    return {
      value: outcome.value,
      events,
      blockNumber: inclusion.blockNumber,
      blockHash: inclusion.blockHash,
      gasRequired: dry.gasRequired,
      storageDeposit: dry.storageDeposit,
    };
  }

  #error(message, outcome, dry) {
    const where = `${this.name}.${message.identifier.split('::').pop()}`;
    return new ContractError(`${where} refused: ${outcome.reason}`, {
      contract: this.name,
      messageName: message.identifier,
      error: outcome.error,
      errorType: outcome.errorType,
      dispatch: outcome.dispatch,
      debugMessage: dry?.debugMessage?.toU8a ? u8aToString(dry.debugMessage.toU8a(true)) : undefined,
    });
  }
}

export { Abi };
