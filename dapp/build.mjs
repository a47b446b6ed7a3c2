#!/usr/bin/env node
// Static build of the dapp into dist/ (or --out DIR): one JavaScript bundle (client/lib, the
// Polkadot.js packages and the page), its CSS, index.html, and the contracts' ABIs taken from the
// `.contract` bundles cargo-contract wrote (without their Wasm). No CDN, nothing fetched at run
// time but these files and the node's websocket.
//
//   node build.mjs [--out DIR] [--artifacts DIR] [--no-abi]
// Bundles: --artifacts, else $FUNC_ARTIFACTS, $CARGO_TARGET_DIR/ink or target/ink (client/lib/bundles.js).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTRACT_NAMES, defaultArtifactsDir, loadBundles } from '../client/lib/bundles.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLIENT = resolve(HERE, '..', 'client');
const { values } = parseArgs({ options: { out: { type: 'string' }, artifacts: { type: 'string' }, 'no-abi': { type: 'boolean' } } });
const out = resolve(values.out ?? join(HERE, 'dist'));

// client/lib imports node:fs/path/url for its Node-only helpers: the browser gets small shims.
// Bare imports from client/lib (@polkadot/…) resolve to the dapp's own node_modules, so the
// bundle holds one copy of each package.
const browserSide = {
  name: 'func-browser',
  setup(b) {
    b.onResolve({ filter: /^node:(fs|path|url)$/ }, (args) => ({ path: join(HERE, 'src', 'shims', `node-${args.path.slice(5)}.js`) }));
    b.onResolve({ filter: /^[@a-z]/ }, async (args) => {
      if (!args.importer.startsWith(CLIENT + sep) || args.pluginData?.again) return undefined;
      return b.resolve(args.path, { resolveDir: HERE, kind: args.kind, pluginData: { again: true } });
    });
  },
};

const t0 = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'abi'), { recursive: true });
const result = await build({
  entryPoints: { app: join(HERE, 'src', 'main.js') },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  outdir: out,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [browserSide],
});
copyFileSync(join(HERE, 'src', 'index.html'), join(out, 'index.html'));

if (!values['no-abi']) {
  const dir = values.artifacts ? resolve(values.artifacts) : defaultArtifactsDir();
  const bundles = loadBundles(dir);
  for (const name of CONTRACT_NAMES) {
    const { source, ...rest } = bundles[name];
    const { wasm, ...src } = source; // the page needs the ABI and the code hash, not the code
    writeFileSync(join(out, 'abi', `${name}.json`), JSON.stringify({ ...rest, source: src }));
  }
  console.log(`dapp: ABIs of ${CONTRACT_NAMES.join(', ')} from ${dir}`);
}
const bytes = Object.values(result.metafile.outputs).reduce((a, o) => a + o.bytes, 0);
console.log(`dapp: built ${out} (${Math.round(bytes / 1024)} KiB) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
