// Forms from the ABI: the arguments of any message as typed fields, and the text a user typed
// back into call arguments. The dapp's "any message" form uses it, so messages and arguments a
// newer contract adds show up without a change to the page.
import { decodeAddress } from '@polkadot/util-crypto';
import { isHex } from '@polkadot/util';
import { parseAmount, providerIdBytes, UserError } from './codec.js';

// TypeDefInfo of @polkadot/types-create
const INFO = { Enum: 4, Int: 6, Option: 9, Plain: 10, Result: 13, Struct: 16, Tuple: 17, UInt: 18, Vec: 19, VecFixed: 20 };

/** The kind of field for an argument type (`{ type, displayName, info, sub }` of the ABI). */
export function argKind(t) {
  const type = String(t?.type ?? '');
  const display = String(t?.displayName ?? t?.lookupName ?? '');
  if (display === 'Balance') return { kind: 'amount' };
  if (/^(Bytes|Vec<u8>)$/.test(type) || display === 'ProviderId') return { kind: 'bytes' };
  if (/AccountId/.test(type) || display === 'AccountId') return { kind: 'account' };
  if (type === 'bool') return { kind: 'bool' };
  if (type === 'Text' || type === 'String' || type === 'str') return { kind: 'text' };
  if (/^u(8|16|32|64|128)$/.test(type) || /^i(8|16|32|64|128)$/.test(type)) return { kind: 'int' };
  if (/^(Hash|H256|\[u8;\s*32\])$/.test(type) || display === 'Hash') return { kind: 'hex' };
  if (t?.info === INFO.Vec && Array.isArray(t.sub) === false && t.sub) {
    const inner = argKind(t.sub);
    if (inner.kind === 'bytes') return { kind: 'bytes-list' };
    if (inner.kind === 'account') return { kind: 'account-list' };
  }
  if (t?.info === INFO.Enum && Array.isArray(t.sub) && t.sub.every((s) => s.type === 'Null')) {
    return { kind: 'enum', options: t.sub.map((s) => s.name) };
  }
  return { kind: 'json' };
}

/** The fields of a message: `[{ name, type, kind, options }]`. */
export function messageFields(message) {
  return message.args.map((a) => ({ name: a.name, type: a.type?.displayName || a.type?.type, ...argKind(a.type) }));
}

/** Mutating messages of a contract handle (what the "any message" form lists), by identifier. */
export function mutatingMessages(handle) {
  return handle.abi.messages.filter((m) => m.isMutating).map((m) => m.identifier);
}

/** Parses the text of one field into a call argument. `devAddress(uri)` turns //Bob into an address. */
export function parseField(field, text, { devAddress } = {}) {
  const s = typeof text === 'string' ? text.trim() : text;
  const account = (v) => {
    if (String(v).startsWith('//') && devAddress) return devAddress(String(v));
    try {
      decodeAddress(v);
      return String(v);
    } catch {
      throw new UserError(`${field.name}: "${v}" is not an SS58 address`);
    }
  };
  switch (field.kind) {
    case 'amount':
      return parseAmount(s);
    case 'bytes':
      return providerIdBytes(s);
    case 'bytes-list':
      return s ? s.split(/[\s,]+/).filter(Boolean).map((x) => providerIdBytes(x)) : [];
    case 'account':
      return account(s);
    case 'account-list':
      return s ? s.split(/[\s,]+/).filter(Boolean).map(account) : [];
    case 'bool':
      return s === true || s === 'true' || s === 'on';
    case 'text':
      return String(s);
    case 'int':
      if (!/^\d+$/.test(String(s))) throw new UserError(`${field.name} must be a whole number`);
      return BigInt(s);
    case 'hex':
      if (!isHex(s)) throw new UserError(`${field.name} must be 0x… hex`);
      return s;
    case 'enum':
      if (!field.options.includes(s)) throw new UserError(`${field.name} must be one of ${field.options.join(', ')}`);
      return s;
    default:
      try {
        return JSON.parse(s);
      } catch {
        throw new UserError(`${field.name} must be JSON`);
      }
  }
}
