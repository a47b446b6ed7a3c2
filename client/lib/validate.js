// The contracts' input rules, checked before anything is sent.
//
// A call that the contract would refuse is refused here with the same named error (and the same
// words, errors.js), without a transaction fee and before an input too large for ink!'s 16 KiB
// buffer could trap the contract before it answers. The rules mirror
// `contracts/provider_registry/src/metadata.rs` (ids and metadata) and the bounds of
// `crates/func_interfaces/src/limits.rs`; client/test/validate.test.js runs the shared table
// `client/test/fixtures/registry-inputs.json` (which the Rust tests run too) and compares
// the metadata rule with Node's own WHATWG URL parser and JSON.parse on random inputs.
import { describeError, ContractError } from './errors.js';
import { BOUNDS } from './limits.js';

export { BOUNDS };

const EXPONENT_CAP = 1_000_000;

/** Unicode general category Cf (Unicode 15.0–17.0), as in metadata.rs. */
export const FORMAT_CHARACTERS = Object.freeze([
  [0xad, 0xad], [0x600, 0x605], [0x61c, 0x61c], [0x6dd, 0x6dd], [0x70f, 0x70f], [0x890, 0x891],
  [0x8e2, 0x8e2], [0x180e, 0x180e], [0x200b, 0x200f], [0x202a, 0x202e], [0x2060, 0x2064],
  [0x2066, 0x206f], [0xfeff, 0xfeff], [0xfff9, 0xfffb], [0x110bd, 0x110bd], [0x110cd, 0x110cd],
  [0x13430, 0x1343f], [0x1bca0, 0x1bca3], [0x1d173, 0x1d17a], [0xe0001, 0xe0001], [0xe0020, 0xe007f],
]);

/** General category Cc (U+0000–U+001F, U+007F–U+009F) or Cf. */
export function isControlOrFormat(codePoint) {
  if (codePoint <= 0x1f || (codePoint >= 0x7f && codePoint <= 0x9f)) return true;
  return FORMAT_CHARACTERS.some(([first, last]) => first <= codePoint && codePoint <= last);
}

const hasControlOrFormat = (text) => [...text].some((c) => isControlOrFormat(c.codePointAt(0)));
const utf8 = (text) => new TextEncoder().encode(text);
/** What the contract receives: the text as UTF-8 (a lone surrogate becomes U+FFFD). */
const sentText = (text) => new TextDecoder().decode(utf8(String(text)));

// --- metadata -------------------------------------------------------------------------------

const NOT_JSON = Symbol('not json');
const fail = () => {
  throw NOT_JSON;
};

/** The strict JSON reader of metadata.rs, over a well-formed string. */
class Reader {
  constructor(text) {
    this.s = text;
    this.i = 0;
    this.numberOutOfRange = false;
  }

  peek() {
    return this.i < this.s.length ? this.s[this.i] : null;
  }

  next() {
    const c = this.peek();
    if (c === null) fail();
    this.i += 1;
    return c;
  }

  expect(c) {
    if (this.next() !== c) fail();
  }

  ws() {
    for (let c = this.peek(); c === ' ' || c === '\t' || c === '\n' || c === '\r'; c = this.peek()) this.i += 1;
  }

  /** One object, then only whitespace. */
  metadata() {
    this.ws();
    const fields = { url: { kind: 'missing' }, name: { kind: 'missing' } };
    this.expect('{');
    this.ws();
    if (this.peek() === '}') {
      this.i += 1;
    } else {
      for (;;) {
        this.ws();
        const key = this.string();
        this.ws();
        this.expect(':');
        this.ws();
        if (key === 'url' || key === 'name') {
          if (fields[key].kind !== 'missing') fail();
          if (this.peek() === '"') fields[key] = { kind: 'string', value: this.string() };
          else {
            this.value(1);
            fields[key] = { kind: 'other' };
          }
        } else {
          this.value(1);
        }
        this.ws();
        const c = this.next();
        if (c === ',') continue;
        if (c === '}') break;
        fail();
      }
    }
    this.ws();
    if (this.i !== this.s.length) fail();
    return fields;
  }

  value(depth) {
    const c = this.peek();
    if (c === null) fail();
    if ((c === '{' || c === '[') && depth > BOUNDS.MAX_DEPTH) fail();
    const inner = depth + 1;
    if (c === '"') this.string();
    else if (c === '{') {
      this.sequence('}', () => {
        this.string();
        this.ws();
        this.expect(':');
        this.ws();
        this.value(inner);
      });
    } else if (c === '[') this.sequence(']', () => this.value(inner));
    else if (c === 't') this.literal('true');
    else if (c === 'f') this.literal('false');
    else if (c === 'n') this.literal('null');
    else this.number();
  }

  sequence(close, item) {
    this.next();
    this.ws();
    if (this.peek() === close) {
      this.i += 1;
      return;
    }
    for (;;) {
      this.ws();
      item();
      this.ws();
      const c = this.next();
      if (c === ',') continue;
      if (c === close) return;
      fail();
    }
  }

  literal(word) {
    if (this.s.slice(this.i, this.i + word.length) !== word) fail();
    this.i += word.length;
  }

  digits() {
    while (/[0-9]/.test(this.peek() ?? '')) this.i += 1;
  }

  /** JSON number grammar; flags a non-zero number of magnitude ≥ 10^308. */
  number() {
    if (this.peek() === '-') this.i += 1;
    const integerStart = this.i;
    const first = this.next();
    if (first === '0') {
      // a single zero
    } else if (first >= '1' && first <= '9') this.digits();
    else fail();
    const integer = this.s.slice(integerStart, this.i);
    let fraction = '';
    if (this.peek() === '.') {
      this.i += 1;
      const start = this.i;
      if (!/[0-9]/.test(this.next())) fail();
      this.digits();
      fraction = this.s.slice(start, this.i);
    }
    let exponent = 0;
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.i += 1;
      const negative = this.peek() === '-';
      if (this.peek() === '+' || this.peek() === '-') this.i += 1;
      const start = this.i;
      if (!/[0-9]/.test(this.next())) fail();
      this.digits();
      let magnitude = 0;
      for (const d of this.s.slice(start, this.i)) magnitude = Math.min(magnitude * 10 + Number(d), EXPONENT_CAP);
      exponent = negative ? -magnitude : magnitude;
    }
    const leading = leadingExponent(integer, fraction);
    if (leading !== null && leading + exponent > BOUNDS.MAX_NUMBER_EXPONENT) this.numberOutOfRange = true;
  }

  string() {
    this.expect('"');
    let out = '';
    for (;;) {
      const c = this.next();
      if (c === '"') return out;
      if (c === '\\') {
        const e = this.next();
        const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }[e];
        if (simple !== undefined) out += simple;
        else if (e === 'u') out += this.unicodeEscape();
        else fail();
      } else if (c.charCodeAt(0) < 0x20) fail();
      else out += c;
    }
  }

  unicodeEscape() {
    const first = this.hex4();
    if (first >= 0xd800 && first <= 0xdbff) {
      this.expect('\\');
      this.expect('u');
      const second = this.hex4();
      if (second < 0xdc00 || second > 0xdfff) fail();
      return String.fromCharCode(first, second);
    }
    if (first >= 0xdc00 && first <= 0xdfff) fail();
    return String.fromCharCode(first);
  }

  hex4() {
    let value = 0;
    for (let k = 0; k < 4; k += 1) {
      const c = this.next();
      if (!/[0-9a-fA-F]/.test(c)) fail();
      value = value * 16 + parseInt(c, 16);
    }
    return value;
  }
}

function leadingExponent(integer, fraction) {
  const first = [...integer].findIndex((d) => d !== '0');
  if (first >= 0) return integer.length - first - 1;
  const f = [...fraction].findIndex((d) => d !== '0');
  return f >= 0 ? -(f + 1) : null;
}

/**
 * Reads metadata as the contract does.
 * @returns {{ error: string|null, url?: string, name?: string|null }} `error` is the
 *   `RegistryError` variant the contract answers, or null.
 */
export function readMetadata(metadata) {
  if (typeof metadata !== 'string') return { error: 'MetadataNotJson' };
  if (utf8(metadata).length > BOUNDS.MAX_METADATA_LEN) return { error: 'MetadataTooLong' };
  const reader = new Reader(sentText(metadata));
  let fields;
  try {
    fields = reader.metadata();
  } catch (e) {
    if (e === NOT_JSON) return { error: 'MetadataNotJson' };
    throw e;
  }
  if (reader.numberOutOfRange) return { error: 'MetadataNumberOutOfRange' };
  if (fields.url.kind === 'missing') return { error: 'MetadataMissingUrl' };
  if (fields.url.kind !== 'string') return { error: 'MetadataInvalidUrl' };
  const urlError = checkUrl(fields.url.value);
  if (urlError) return { error: urlError };
  if (fields.name.kind === 'other') return { error: 'MetadataNameNotString' };
  const name = fields.name.kind === 'string' ? fields.name.value : null;
  if (name !== null && hasControlOrFormat(name)) return { error: 'MetadataControlCharacter' };
  return { error: null, url: fields.url.value, name };
}

/** The `RegistryError` variant the contract answers for this metadata, or null. */
export function checkMetadata(metadata) {
  return readMetadata(metadata).error;
}

// --- url ------------------------------------------------------------------------------------

/** The `RegistryError` variant for a metadata `url` string, or null (metadata.rs `read_url`). */
export function checkUrl(url) {
  if (hasControlOrFormat(url)) return 'MetadataControlCharacter';
  if (!/^[\x00-\x7f]*$/.test(url)) return 'MetadataUrlNotAscii';
  let rest;
  if (url.startsWith('https://')) rest = url.slice(8);
  else if (url.startsWith('http://')) rest = url.slice(7);
  else return 'MetadataInvalidUrl';
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? '' : rest.slice(end);
  if (authority.includes('@')) return 'MetadataUrlCredentials';
  let port = null;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return 'MetadataUrlInvalidHost';
    if (ipv6(authority.slice(1, close)) === null) return 'MetadataUrlInvalidHost';
    const after = authority.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return 'MetadataUrlInvalidHost';
      port = after.slice(1);
    }
  } else {
    const colon = authority.indexOf(':');
    const host = colon < 0 ? authority : authority.slice(0, colon);
    if (colon >= 0) port = authority.slice(colon + 1);
    if (host === '') return 'MetadataInvalidUrl';
    if (/^[0-9.]*$/.test(host)) {
      if (ipv4(host) === null) return 'MetadataUrlInvalidHost';
    } else if (!isDomain(host)) return 'MetadataUrlInvalidHost';
  }
  if (port !== null && !/^[1-9][0-9]{0,4}$/.test(port)) return 'MetadataUrlInvalidPort';
  if (port !== null && Number(port) > 65535) return 'MetadataUrlInvalidPort';
  const hash = tail.indexOf('#');
  const beforeFragment = hash < 0 ? tail : tail.slice(0, hash);
  const fragment = hash < 0 ? null : tail.slice(hash + 1);
  const question = beforeFragment.indexOf('?');
  const path = question < 0 ? beforeFragment : beforeFragment.slice(0, question);
  const query = question < 0 ? null : beforeFragment.slice(question + 1);
  if (!isUriText(path, '/') || path.split('/').some(isDotSegment)) return 'MetadataUrlInvalidPath';
  if (query !== null && !isUriText(query, '/?')) return 'MetadataUrlInvalidPath';
  if (fragment !== null && !isUriText(fragment, '/?')) return 'MetadataUrlInvalidPath';
  return null;
}

function isDomain(host) {
  if (host.length > BOUNDS.MAX_HOST_LEN) return false;
  const labels = host.split('.');
  const label = (l) =>
    l.length >= 1 && l.length <= BOUNDS.MAX_LABEL_LEN && /^[A-Za-z0-9-]+$/.test(l) && !l.startsWith('-') && !l.endsWith('-') && !/^xn--/i.test(l);
  return labels.every(label) && /^[A-Za-z]/.test(labels[labels.length - 1]);
}

/** Dotted-decimal, four numbers 0–255 without leading zeros → [a, b, c, d] or null. */
function ipv4(text) {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255 ? Number(p) : null));
  return octets.includes(null) ? null : octets;
}

function ipv6Groups(text, ipv4Tail) {
  if (text === '') return [];
  const groups = text.split(':');
  const out = [];
  for (let k = 0; k < groups.length; k += 1) {
    const g = groups[k];
    if (ipv4Tail && k === groups.length - 1 && g.includes('.')) {
      const v4 = ipv4(g);
      if (v4 === null) return null;
      out.push(v4[0] * 256 + v4[1], v4[2] * 256 + v4[3]);
    } else {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    if (out.length > 8) return null;
  }
  return out;
}

/** RFC 4291 text form → eight 16-bit pieces, or null. */
function ipv6(text) {
  const at = text.indexOf('::');
  if (at < 0) {
    const pieces = ipv6Groups(text, true);
    return pieces !== null && pieces.length === 8 ? pieces : null;
  }
  const head = ipv6Groups(text.slice(0, at), false);
  const tail = ipv6Groups(text.slice(at + 2), true);
  if (head === null || tail === null || head.length + tail.length > 7) return null;
  return [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
}

const PCHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;

function isUriText(text, extra) {
  for (let k = 0; k < text.length; k += 1) {
    const c = text[k];
    if (c === '%') {
      if (!/^[0-9A-Fa-f]{2}$/.test(text.slice(k + 1, k + 3))) return false;
      k += 2;
    } else if (!PCHAR.test(c) && !extra.includes(c)) return false;
  }
  return true;
}

const isDotSegment = (segment) => ['.', '..', '%2e', '.%2e', '%2e.', '%2e%2e'].includes(segment.toLowerCase());

// --- provider ids ---------------------------------------------------------------------------

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const BASE32_HEX = '0123456789abcdefghijklmnopqrstuv';
const BASE32_Z = 'ybndrfg8ejkmcpqxot1uwisza345h769';
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const BASE58_BTC = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_FLICKR = '123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const digitOf = (alphabet, c, fold) => alphabet.indexOf(fold ? c.toLowerCase() : c);

function decodeBits(text, alphabet, width, fold) {
  const body = text.replace(/=+$/, '');
  const out = [];
  let acc = 0;
  let held = 0;
  for (const c of body) {
    const d = digitOf(alphabet, c, fold);
    if (d < 0) return null;
    acc = ((acc << width) | d) & 0xffff;
    held += width;
    if (held >= 8) {
      held -= 8;
      out.push((acc >> held) & 0xff);
    }
  }
  return out;
}

function decodeBig(text, alphabet, fold) {
  if (text === '' || digitOf(alphabet, text[0], fold) === 0) return null;
  let n = 0n;
  const radix = BigInt(alphabet.length);
  for (const c of text) {
    const d = digitOf(alphabet, c, fold);
    if (d < 0) return null;
    n = n * radix + BigInt(d);
  }
  const out = [];
  while (n > 0n) {
    out.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return out.length > BOUNDS.MAX_PROVIDER_ID_LEN ? null : out;
}

function decodeBase45(text) {
  const out = [];
  for (let k = 0; k < text.length; k += 3) {
    const chunk = text.slice(k, k + 3);
    let value = 0;
    let weight = 1;
    for (const c of chunk) {
      const d = BASE45.indexOf(c);
      if (d < 0) return null;
      value += d * weight;
      weight *= 45;
    }
    if (chunk.length === 3 && value <= 0xffff) out.push(value >> 8, value & 0xff);
    else if (chunk.length === 2 && value <= 0xff) out.push(value);
    else return null;
  }
  return out;
}

function varint(bytes, at) {
  let value = 0n;
  for (let k = 0; k < 9 && at + k < bytes.length; k += 1) {
    const b = bytes[at + k];
    value |= BigInt(b & 0x7f) << BigInt(7 * k);
    if ((b & 0x80) === 0) return { value, next: at + k + 1 };
  }
  return null;
}

/** 0x01 (CIDv1), 0x72 (libp2p-key), then a well-formed multihash. */
function isLibp2pKeyCidBytes(bytes) {
  if (bytes === null || bytes[0] !== 0x01 || bytes[1] !== 0x72) return false;
  const code = varint(bytes, 2);
  if (code === null) return false;
  const length = varint(bytes, code.next);
  return length !== null && BigInt(bytes.length - length.next) === length.value;
}

/** True when the id is a multibase text of a CIDv1 libp2p key (metadata.rs `peer_id`). */
export function isLibp2pKeyCid(id) {
  const prefix = id[0];
  const text = id.slice(1);
  const decoders = {
    0: () => decodeBits(text, '01', 1, false),
    7: () => decodeBits(text, '01234567', 3, false),
    f: () => decodeBits(text, '0123456789abcdef', 4, true),
    b: () => decodeBits(text, BASE32, 5, true),
    c: () => decodeBits(text, BASE32, 5, true),
    v: () => decodeBits(text, BASE32_HEX, 5, true),
    t: () => decodeBits(text, BASE32_HEX, 5, true),
    h: () => decodeBits(text, BASE32_Z, 5, true),
    m: () => decodeBits(text, BASE64, 6, false),
    M: () => decodeBits(text, BASE64, 6, false),
    u: () => decodeBits(text, BASE64_URL, 6, false),
    U: () => decodeBits(text, BASE64_URL, 6, false),
    9: () => decodeBig(text, '0123456789', false),
    k: () => decodeBig(text, BASE36, true),
    z: () => decodeBig(text, BASE58_BTC, false),
    Z: () => decodeBig(text, BASE58_FLICKR, false),
    R: () => decodeBase45(text),
  };
  for (const p of 'FBCVTK') decoders[p] = decoders[p.toLowerCase()];
  const decode = Object.hasOwn(decoders, prefix) ? decoders[prefix] : null;
  return decode !== null && isLibp2pKeyCidBytes(decode());
}

/**
 * The `RegistryError` variant `register` answers for this id, or null.
 * @param {Uint8Array|string} id the id's bytes (a string is taken as its UTF-8 bytes)
 */
export function checkProviderId(id) {
  const bytes = typeof id === 'string' ? utf8(id) : Uint8Array.from(id);
  if (bytes.length === 0) return 'EmptyProviderId';
  if (bytes.length > BOUNDS.MAX_PROVIDER_ID_LEN) return 'ProviderIdTooLong';
  if (!bytes.every((b) => b >= 0x21 && b <= 0x7e)) return 'ProviderIdInvalidCharacter';
  if (isLibp2pKeyCid(String.fromCharCode(...bytes))) return 'ProviderIdNotCanonical';
  return null;
}

// --- refusing before sending ----------------------------------------------------------------

/**
 * The error a refused input throws: a ContractError worded like the chain's
 * (`provider_registry.register refused: …`), marked `local`.
 */
export function refusal(errorType, variant, { contract, messageName, value = null } = {}) {
  const error = { variant, value };
  const sentence = describeError(errorType, error);
  const message = contract && messageName ? `${contract}.${messageName} refused: ${sentence}` : sentence;
  const err = new ContractError(message, { contract, messageName, error, errorType });
  err.local = true;
  return err;
}

const registryRefusal = (variant, messageName) => refusal('RegistryError', variant, { contract: 'provider_registry', messageName });

/** Throws the contract's error for a provider id `register`/`register_and_stake` would refuse. */
export function assertProviderId(id, messageName = 'register') {
  const variant = checkProviderId(id);
  if (variant) throw registryRefusal(variant, messageName);
}

/** Throws the contract's error for metadata the registry would refuse (too long: before the 16 KiB buffer). */
export function assertMetadata(metadata, messageName = 'register') {
  const variant = checkMetadata(metadata);
  if (variant) throw registryRefusal(variant, messageName);
}

/** Whitelist batches: 1 to MAX_BATCH_SIZE ids. */
export function assertBatch(ids, messageName = 'whitelist') {
  if (ids.length === 0 || ids.length > BOUNDS.MAX_BATCH_SIZE) throw registryRefusal('InvalidBatchSize', messageName);
}

/** Jail sentences: 1 to MAX_JAIL_EPOCHS epochs. */
export function assertJailEpochs(epochs) {
  const n = Number(epochs);
  if (!Number.isInteger(n) || n < 1 || n > BOUNDS.MAX_JAIL_EPOCHS) throw registryRefusal('JailEpochsOutOfBounds', 'jail_for_epochs');
}

/** `create_model`: a name of 1 to MAX_MODEL_NAME_LEN bytes and a non-zero stake amount. */
export function assertModel({ name, stakeAmount }) {
  const length = utf8(String(name ?? '')).length;
  const opts = { contract: 'model_router', messageName: 'create_model' };
  if (length === 0 || length > BOUNDS.MAX_MODEL_NAME_LEN) throw refusal('RouterError', 'InvalidModelName', opts);
  if (BigInt(stakeAmount ?? 0) === 0n) throw refusal('RouterError', 'ZeroStakeAmount', opts);
}

const poolRefusal = (variant, messageName) => refusal('StakingError', variant, { contract: 'provider_staking', messageName });

/** `fund_rewards`, `withdraw_unreserved`, `withdraw_excess`: a non-zero amount. */
export function assertNonZeroAmount(amount, messageName) {
  if (BigInt(amount ?? 0) === 0n) throw poolRefusal('ZeroAmount', messageName);
}

/** `boost_rewards_for_n_epochs`: 1 to MAX_BOOST_EPOCHS epochs and a non-zero amount they divide. */
export function assertBoost(epochs, amount) {
  const n = Number(epochs);
  const value = BigInt(amount ?? 0);
  const valid = Number.isInteger(n) && n >= 1 && n <= BOUNDS.MAX_BOOST_EPOCHS && value > 0n && value % BigInt(n) === 0n;
  if (!valid) throw poolRefusal('InvalidBoost', 'boost_rewards_for_n_epochs');
}
