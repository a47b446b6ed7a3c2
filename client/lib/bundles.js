// Finding and loading the `.contract` bundles (metadata + Wasm) that cargo-contract writes.
//
// `cargo contract build --manifest-path contracts/<name>/Cargo.toml` writes
// `<target>/ink/<name>/<name>.contract` (target = $CARGO_TARGET_DIR or <workspace>/target).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from './codec.js';
import { CONTRACT_NAMES } from './contracts.js';

// The list of the five contracts lives in contracts.js; re-exported here for the callers of bundles.js.
export { CONTRACT_NAMES };

/** The repository root (the folder above client/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Default bundle folder: $FUNC_ARTIFACTS, else $CARGO_TARGET_DIR/ink, else <repo>/target/ink. */
export function defaultArtifactsDir(env = process.env) {
  if (env.FUNC_ARTIFACTS) return resolve(env.FUNC_ARTIFACTS);
  if (env.CARGO_TARGET_DIR) return resolve(REPO_ROOT, env.CARGO_TARGET_DIR, 'ink');
  return join(REPO_ROOT, 'target', 'ink');
}

/** Path of one contract's bundle in `dir` (`<dir>/<name>/<name>.contract` or `<dir>/<name>.contract`). */
export function bundlePath(dir, name) {
  const candidates = [join(dir, name, `${name}.contract`), join(dir, `${name}.contract`)];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** Reads one bundle and checks it is an ink! `.contract` with Wasm inside. */
export function loadBundle(path) {
  let json;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`cannot read contract bundle ${path}: ${e.message}`);
  }
  if (!json?.source?.wasm) throw new UserError(`${path} holds no Wasm: pass the .contract bundle, not the .json metadata`);
  return json;
}

/**
 * Loads the bundles of `names` from `dir`. Missing bundles are an error naming the build command.
 * @returns {Record<string, object>} name → bundle JSON
 */
export function loadBundles(dir = defaultArtifactsDir(), names = CONTRACT_NAMES) {
  const out = {};
  const missing = [];
  for (const name of names) {
    const p = bundlePath(dir, name);
    if (!p) missing.push(name);
    else out[name] = loadBundle(p);
  }
  if (missing.length) {
    const exists = existsSync(dir) && statSync(dir).isDirectory();
    throw new UserError(
      `no .contract bundle for ${missing.join(', ')} in ${dir}${exists ? '' : ' (the folder does not exist)'}. ` +
        `Build them with: cargo contract build --release --manifest-path contracts/<name>/Cargo.toml ` +
        `(or pass --artifacts <dir>)`,
    );
  }
  return out;
}
