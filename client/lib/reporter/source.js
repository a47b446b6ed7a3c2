// The reporter's input: one JSON file per model and epoch, `<dir>/<model_id>/<epoch>.json`,
//   {"total": "<FUNC base units, decimal string>", "total_shards": N, "shards": {"<provider id>": n, …}}
// Every check here is pure (no chain): a file is either a report or one sentence saying why not.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stringToU8a } from '@polkadot/util';
import { BOUNDS } from '../limits.js';

const U128_MAX = (1n << 128n) - 1n;
const U64_MAX = (1n << 64n) - 1n;
const U32_MAX = 2 ** 32 - 1;

/** A whole number given as a JSON number or a decimal string, as a BigInt; null if it is not one. */
function wholeNumber(v) {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : null;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return BigInt(v.trim());
  return null;
}

/**
 * Checks one file's text. Returns `{ ok: true, report }` with
 * `report = { total: BigInt, totalShards: BigInt, shards: Map<id string, BigInt>, empty: boolean }`,
 * or `{ ok: false, reason }` (a sentence without the file name).
 */
export function parseReport(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `malformed JSON (${e.message})` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, reason: 'malformed report: the file must hold a JSON object' };
  const known = new Set(['total', 'total_shards', 'shards']);
  const unknown = Object.keys(doc).filter((k) => !known.has(k));
  if (unknown.length) return { ok: false, reason: `malformed report: unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')} (expected total, total_shards, shards)` };
  if (typeof doc.total !== 'string') return { ok: false, reason: 'malformed report: "total" must be a decimal string of FUNC base units, e.g. "1000000000000000000" for 1 FUNC' };
  const total = wholeNumber(doc.total);
  if (total === null) return { ok: false, reason: `malformed report: "total" ${JSON.stringify(doc.total)} is not a whole number of base units` };
  if (total > U128_MAX) return { ok: false, reason: `malformed report: "total" ${doc.total} is above the largest Balance (2^128 − 1)` };
  const totalShards = wholeNumber(doc.total_shards);
  if (totalShards === null) return { ok: false, reason: `malformed report: "total_shards" ${JSON.stringify(doc.total_shards ?? null)} is not a whole number` };
  if (totalShards > U64_MAX) return { ok: false, reason: `malformed report: "total_shards" ${doc.total_shards} is above 2^64 − 1` };
  if (!doc.shards || typeof doc.shards !== 'object' || Array.isArray(doc.shards)) {
    return { ok: false, reason: 'malformed report: "shards" must be an object {"<provider id>": shards, …}' };
  }
  const shards = new Map();
  let sum = 0n;
  for (const [id, v] of Object.entries(doc.shards)) {
    const len = stringToU8a(id).length;
    if (len < 1 || len > BOUNDS.MAX_PROVIDER_ID_LEN) {
      return { ok: false, reason: `malformed report: provider id ${JSON.stringify(id)} must be 1 to ${BOUNDS.MAX_PROVIDER_ID_LEN} bytes long` };
    }
    const n = wholeNumber(v);
    if (n === null || n > U64_MAX) return { ok: false, reason: `malformed report: shards of provider ${JSON.stringify(id)} (${JSON.stringify(v)}) are not a whole number below 2^64` };
    shards.set(id, n);
    sum += n;
  }
  if (sum > totalShards) return { ok: false, reason: `the shards add up to ${sum}, above total_shards ${totalShards}` };
  if (total > 0n && totalShards === 0n) return { ok: false, reason: `total_shards is 0 while total is ${total}: a reward needs shards to split it (an empty report is total "0", total_shards 0)` };
  const empty = total === 0n && totalShards === 0n && [...shards.values()].every((n) => n === 0n);
  return { ok: true, report: { total, totalShards, shards, sum, empty } };
}

/** sha256 of a file's bytes, short: names a version of a file in logs and de-duplicates messages. */
export function contentHash(text) {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Lists the source directory: `{ models: [{ modelId, dir, epochs: [{ epoch, path }] }], problems, ignored }`
 * (`[{ path, reason }]` each). `.json` files in a model directory whose name is not an epoch are
 * problems (bad input); directories that are not a model id are ignored (named once: the
 * gateway keeps its usage/ there); other files (a writer's `.tmp`) are skipped silently.
 */
export function listSource(dir) {
  const models = [];
  const problems = [];
  const ignored = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return { models, problems: [{ path: dir, reason: `cannot read the source directory (${e.code ?? e.message})` }], ignored, missing: true };
  }
  for (const ent of entries) {
    if (ent.name.startsWith('.')) continue;
    const path = join(dir, ent.name);
    if (!ent.isDirectory()) continue;
    if (!/^\d+$/.test(ent.name) || Number(ent.name) > U32_MAX) {
      // e.g. the gateway's usage/ beside its reporter files: named once, not an error
      ignored.push({ path, reason: 'not a model id (model directories are named by the model id, e.g. 1)' });
      continue;
    }
    const epochs = [];
    let files;
    try {
      files = readdirSync(path, { withFileTypes: true });
    } catch (e) {
      problems.push({ path, reason: `cannot read the directory (${e.code ?? e.message})` });
      continue;
    }
    for (const f of files) {
      if (!f.isFile() || !f.name.endsWith('.json') || f.name.startsWith('.')) continue;
      const m = /^(\d+)\.json$/.exec(f.name);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > U32_MAX) {
        problems.push({ path: join(path, f.name), reason: 'not an epoch file (files are named <epoch>.json, epoch ≥ 1)' });
        continue;
      }
      epochs.push({ epoch: Number(m[1]), path: join(path, f.name) });
    }
    epochs.sort((a, b) => a.epoch - b.epoch);
    models.push({ modelId: Number(ent.name), dir: path, epochs });
  }
  models.sort((a, b) => a.modelId - b.modelId);
  return { models, problems, ignored };
}

/** Reads and checks one epoch file: `{ ok, report | reason, hash }`. */
export function readReport(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, reason: `cannot read the file (${e.code ?? e.message})`, hash: 'unreadable' };
  }
  return { ...parseReport(text), hash: contentHash(text) };
}

/** A cheap fingerprint of the whole source tree (names, sizes, mtimes): a change triggers a pass. */
export function fingerprint(dir) {
  const h = createHash('sha256');
  const walk = (d, depth) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      h.update(`!${d}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory() && depth === 0) {
        h.update(`d:${e.name}\n`);
        walk(p, 1);
      } else if (e.isFile()) {
        try {
          const st = statSync(p);
          h.update(`f:${p}:${st.size}:${st.mtimeMs}\n`);
        } catch {
          // gone meanwhile
        }
      }
    }
  };
  walk(dir, 0);
  return h.digest('hex');
}
