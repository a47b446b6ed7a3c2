// Form-side view of the registry's input rules: validate.js answers which `RegistryError` the
// contract would return; this turns it into problems a form shows under the right field, in
// errors.js's words, as the user types. The chain stays the authority: the dapp also dry-runs
// `register` (actions.js) and shows whatever the contract answers.
import { describeError } from './errors.js';
import { BOUNDS, checkMetadata as metadataVariant, checkProviderId as idVariant } from './validate.js';

/**
 * Bounds a provider's page shows: validate.js's, plus the paging and boost bounds of
 * `crates/func_interfaces/src/limits.rs` (client/test/rules.test.js compares them with the file).
 */
export const LIMITS = Object.freeze({
  ...BOUNDS,
  MAX_PROVIDERS_PER_OWNER: 32,
  MAX_PAGE_SIZE: 100,
});

const REGISTRY_ERROR = 'RegistryError';

/** Which form field a metadata variant belongs to. */
function fieldOf(variant) {
  if (/^MetadataName/.test(variant)) return 'name';
  if (/Url/.test(variant)) return 'url';
  return 'metadata';
}

/** Problems of a provider id as typed (its UTF-8 bytes are the id): `[{ variant, text }]`. */
export function checkProviderId(id) {
  const variant = idVariant(String(id ?? ''));
  return variant ? [{ variant, text: describeError(REGISTRY_ERROR, variant) }] : [];
}

/** Problems of metadata JSON text: `[{ variant, field: 'metadata'|'url'|'name', text }]`. */
export function checkMetadata(metadata) {
  const variant = metadataVariant(metadata);
  return variant ? [{ variant, field: fieldOf(variant), text: describeError(REGISTRY_ERROR, variant) }] : [];
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
