// The registry's input rules, checked locally so that a form can answer as the user types.
//
// The chain stays the authority: the dapp also dry-runs `register` (see actions.js) and shows
// whatever the contract answers. These checks only give the same answer earlier, in the same
// words: each problem is a `RegistryError` variant described by errors.js. The bounds mirror
// `crates/func_interfaces/src/limits.rs` (client/test/rules.test.js compares them) and the URL
// rule mirrors `contracts/provider_registry/src/metadata.rs`.
import { describeError } from './errors.js';

/** Bounds of `crates/func_interfaces/src/limits.rs` that a provider's form needs. */
export const LIMITS = Object.freeze({
  MAX_PROVIDER_ID_LEN: 64,
  MAX_METADATA_LEN: 1024,
  MAX_PROVIDERS_PER_OWNER: 32,
  MAX_BATCH_SIZE: 100,
  MAX_PAGE_SIZE: 100,
  MAX_JAIL_EPOCHS: 100_000,
  MAX_BOOST_EPOCHS: 100,
});

const REGISTRY_ERROR = 'RegistryError';
const utf8Length = (s) => new TextEncoder().encode(String(s ?? '')).length;

/** The contract's URL rule: http:// or https://, a non-empty host, no whitespace or control character. */
export function isValidProviderUrl(url) {
  if (typeof url !== 'string') return false;
  let rest;
  if (url.startsWith('https://')) rest = url.slice(8);
  else if (url.startsWith('http://')) rest = url.slice(7);
  else return false;
  const host = rest.split(/[/?#]/)[0];
  // Rust's char::is_whitespace / is_control (Unicode White_Space, Cc)
  return host.length > 0 && !/[\s\u0000-\u001f\u007f-\u009f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(url);
}

/**
 * Problems of a provider id (as typed: its UTF-8 bytes are the id).
 * @returns {{variant: string, text: string}[]}
 */
export function checkProviderId(id) {
  const n = utf8Length(id);
  const out = [];
  if (n === 0) out.push('EmptyProviderId');
  else if (n > LIMITS.MAX_PROVIDER_ID_LEN) out.push('ProviderIdTooLong');
  return out.map((variant) => ({ variant, text: describeError(REGISTRY_ERROR, variant) }));
}

/**
 * Problems of metadata JSON text, in the contract's order (length before parsing).
 * @returns {{variant: string, text: string, field: 'metadata'|'url'|'name'}[]}
 */
export function checkMetadata(metadata) {
  const p = (variant, field = 'metadata') => [{ variant, field, text: describeError(REGISTRY_ERROR, variant) }];
  if (utf8Length(metadata) > LIMITS.MAX_METADATA_LEN) return p('MetadataTooLong');
  let m;
  try {
    m = JSON.parse(metadata);
  } catch {
    return p('MetadataNotJson');
  }
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return p('MetadataNotJson');
  if (!('url' in m)) return p('MetadataMissingUrl', 'url');
  if (typeof m.url !== 'string' || !isValidProviderUrl(m.url)) return p('MetadataInvalidUrl', 'url');
  if ('name' in m && typeof m.name !== 'string') return p('MetadataNameNotString', 'name');
  return [];
}

/**
 * A registration form: id, URL and optional name → `{ metadata, problems }` where `metadata`
 * is the JSON the contract will store and `problems` lists `{ field, variant, text }`.
 */
export function checkRegistration({ id, url, name }) {
  const meta = { url: url ?? '' };
  if (name) meta.name = name;
  const metadata = JSON.stringify(meta);
  const problems = [...checkProviderId(id).map((x) => ({ ...x, field: 'id' })), ...checkMetadata(metadata)];
  return { metadata, problems };
}

/** Every `RegistryError` variant these checks can produce (tests compare them with the ABI). */
export const CHECKED_VARIANTS = [
  'EmptyProviderId',
  'ProviderIdTooLong',
  'MetadataTooLong',
  'MetadataNotJson',
  'MetadataMissingUrl',
  'MetadataInvalidUrl',
  'MetadataNameNotString',
];
