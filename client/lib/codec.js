// Plain JavaScript values from Polkadot.js codecs, and the small conversions the CLI needs:
// provider ids (bytes), FUNC amounts (18 decimals), printable output.
import { u8aToHex, stringToU8a, isU8a, isHex, hexToU8a } from '@polkadot/util';

export const FUNC_DECIMALS = 18;
const ONE_FUNC = 10n ** BigInt(FUNC_DECIMALS);

/** camelCase → snake_case (Polkadot.js camelCases struct fields; the contracts use snake_case). */
export function snake(name) {
  return String(name).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * A decoded codec as a plain value:
 * - enums (and Result) → `{ variant, value }` (value `null` for unit variants)
 * - structs → objects with snake_case keys
 * - Option → `null` or the inner value
 * - integers → BigInt, bool → boolean, text → string, AccountId → SS58 string
 * - Vec<u8> → Uint8Array, fixed byte arrays (hashes) → hex, Vec/tuples → arrays
 */
export function plain(codec) {
  if (codec === null || codec === undefined) return null;
  if (typeof codec !== 'object') return codec;
  const raw = typeof codec.toRawType === 'function' ? codec.toRawType() : '';
  if (raw === 'Null') return null;
  if (typeof codec.isNone === 'boolean' && typeof codec.unwrap === 'function' && raw.startsWith('Option<')) {
    return codec.isNone ? null : plain(codec.unwrap());
  }
  if (typeof codec.index === 'number' && typeof codec.type === 'string' && 'isBasic' in codec) {
    const inner = codec.value;
    const innerRaw = inner && typeof inner.toRawType === 'function' ? inner.toRawType() : '';
    return { variant: codec.type, value: innerRaw === 'Null' ? null : plain(inner) };
  }
  if (raw === 'AccountId' || raw === 'AccountId32' || raw === 'Address') return codec.toString();
  if (codec instanceof Map) {
    if ('defKeys' in codec) {
      const out = {};
      for (const [k, v] of codec.entries()) out[snake(k)] = plain(v);
      return out;
    }
    return [...codec.entries()].map(([k, v]) => [plain(k), plain(v)]);
  }
  if (codec instanceof Uint8Array) {
    if (raw === 'Bytes' || raw === 'Vec<u8>') return Uint8Array.from(codec);
    if (raw.startsWith('[u8;') || /^(H256|Hash|U8aFixed)/.test(raw)) return u8aToHex(codec);
    // Anything else byte-like (hashes, fixed arrays) goes out as hex.
    return u8aToHex(Uint8Array.from(codec));
  }
  if (Array.isArray(codec)) return codec.map((c) => plain(c));
  if (typeof codec.toBigInt === 'function') return codec.toBigInt();
  if (raw === 'bool' || typeof codec.isTrue === 'boolean') return codec.isTrue;
  if (typeof codec.toPrimitive === 'function') {
    const p = codec.toPrimitive();
    return p;
  }
  return codec;
}

/** Provider ids are bytes: the CLI takes a string and sends its UTF-8 bytes (or `0x…` hex with --hex-id). */
export function providerIdBytes(id, { hex = false } = {}) {
  if (isU8a(id)) return id;
  if (hex) {
    if (!isHex(id)) throw new UserError(`provider id "${id}" is not hex (0x…)`);
    return hexToU8a(id);
  }
  return stringToU8a(String(id));
}

/** Prints a byte id as text when it is printable UTF-8, else as hex. */
export function showBytes(bytes) {
  if (bytes === null || bytes === undefined) return '';
  if (typeof bytes === 'string') return bytes;
  const u8a = Uint8Array.from(bytes);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(u8a);
    if (/^[\x20-\x7e\u00a0-\uffff]*$/.test(text) && text.length > 0) return text;
  } catch {
    // not UTF-8
  }
  return u8aToHex(u8a);
}

/** Parses a FUNC amount: "12.5" → 12.5 × 10^18 base units; with `raw` the number is base units. */
export function parseAmount(text, { raw = false } = {}) {
  const s = String(text).trim().replace(/_/g, '');
  if (raw) {
    if (!/^\d+$/.test(s)) throw new UserError(`amount "${text}" is not a whole number of base units`);
    return BigInt(s);
  }
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s.replace(/\s*FUNC$/i, ''));
  if (!m) throw new UserError(`amount "${text}" is not a number of FUNC (e.g. 1000 or 0.5)`);
  const frac = (m[2] || '');
  if (frac.length > FUNC_DECIMALS) throw new UserError(`amount "${text}" has more than ${FUNC_DECIMALS} decimals`);
  return BigInt(m[1]) * ONE_FUNC + BigInt(frac.padEnd(FUNC_DECIMALS, '0') || '0');
}

/** 1500000000000000000000n → "1,500 FUNC"; keeps significant decimals. */
export function formatFunc(value) {
  const v = BigInt(value);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = (a / ONE_FUNC).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (a % ONE_FUNC).toString().padStart(FUNC_DECIMALS, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''} FUNC`;
}

export function parseIntArg(text, what) {
  const s = String(text ?? '').trim();
  if (!/^\d+$/.test(s)) throw new UserError(`${what} must be a whole number, got "${text ?? ''}"`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new UserError(`${what} is too large: ${text}`);
  return n;
}

/** JSON.stringify that prints BigInt as strings and bytes as text/hex. */
export function toJson(value, space = 2) {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Uint8Array) return showBytes(v);
    return v;
  }, space);
}

/** One-line human rendering of a plain value (enums as `Variant(...)`, bytes as text). */
export function show(value) {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return JSON.stringify(showBytes(value));
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object') {
    if ('variant' in value && 'value' in value && Object.keys(value).length === 2) {
      return value.value === null ? value.variant : `${value.variant}(${show(value.value)})`;
    }
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${show(v)}`).join(', ')} }`;
  }
  return String(value);
}

/** An error the user can fix; the CLI prints its message alone, without a stack. */
export class UserError extends Error {
  constructor(message, details) {
    super(message);
    this.name = 'UserError';
    if (details) Object.assign(this, details);
  }
}

