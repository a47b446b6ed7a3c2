#!/usr/bin/env node
// Static build of the dapp into dist/ (or --out DIR): one JavaScript bundle (client/lib, the
// Polkadot.js packages and the page), its CSS, index.html, and the contracts' ABIs taken from the
// `.contract` bundles cargo-contract wrote (without their Wasm). No CDN, nothing fetched at run
// time but these files and the node's websocket. Scripts and styles are named by their content
// hash (app-<hash>.js; the admin view is a chunk of its own, loaded only for admins), so the
// server can let browsers cache them for good; each text file also gets a .br and a .gz twin.
//
//   node build.mjs [--out DIR] [--artifacts DIR] [--no-abi]
// Bundles: --artifacts, else $FUNC_ARTIFACTS, $CARGO_TARGET_DIR/ink or target/ink (client/lib/bundles.js).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { dirname, join, relative, resolve, sep } from 'node:path';
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
  splitting: true,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: '[name]-[hash]',
  outdir: out,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [browserSide],
});
const names = Object.keys(result.metafile.outputs).map((f) => relative(out, resolve(f)));
const js = names.find((f) => /^app-[A-Z0-9]+\.js$/.test(f));
const css = names.find((f) => /^app-[A-Z0-9]+\.css$/.test(f));
if (!js || !css) throw new Error(`the build wrote no app-<hash>.js / .css: ${names.join(', ')}`);
writeFileSync(
  join(out, 'index.html'),
  readFileSync(join(HERE, 'src', 'index.html'), 'utf8').replace('./app.js', `./${js}`).replace('./app.css', `./${css}`),
);
copyFileSync(join(HERE, 'src', 'favicon.svg'), join(out, 'favicon.svg'));

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
// .br and .gz next to every text file but the source maps (the server picks by Accept-Encoding)
function compressAll(dir) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) compressAll(p);
    else if (/\.(js|css|html|json|svg)$/.test(f)) {
      const data = readFileSync(p);
      writeFileSync(`${p}.br`, brotliCompressSync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: data.length } }));
      writeFileSync(`${p}.gz`, gzipSync(data, { level: 9 }));
    }
  }
}
compressAll(out);
const bytes = Object.values(result.metafile.outputs).filter((o, i) => !Object.keys(result.metafile.outputs)[i].endsWith('.map')).reduce((a, o) => a + o.bytes, 0);
const br = statSync(join(out, `${js}.br`)).size;
console.log(`dapp: built ${out} (${Math.round(bytes / 1024)} KiB; ${js} ${Math.round(br / 1024)} KiB with brotli) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
